"""The report as a website (--format site) and as section bodies (--format fragments), and the
single page's tables at desktop and phone widths, checked in headless Chromium: what apr wrote,
opened from disk. Screenshots of every page at every width are kept under
$TMPDIR/apr-site-screenshots for a person to look at."""
from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import pytest
from lxml import html as lxml_html

from tests.browser import AXE_TAGS, axe_js_path, format_violations, java_path, open_browser, \
    vnu_jar_path

WIDTHS = (1280, 1024, 768, 375)
SHOTS = Path(tempfile.gettempdir()) / "apr-site-screenshots"
SCROLLING = """() => [...document.querySelectorAll('.table-wrap')]
    .filter(w => w.scrollWidth > w.clientWidth + 1)
    .map(w => w.querySelector('caption').textContent)"""
# every table scrolled to its far right: are its caption and first column still on screen?
HIDDEN_AT_PHONE = """() => { const out = [];
  for (const w of document.querySelectorAll('.table-wrap')) {
    w.scrollLeft = w.scrollWidth;
    const caption = w.querySelector('caption > span').getBoundingClientRect();
    if (caption.left < -1 || caption.right > innerWidth + 1) out.push('caption ' + w.id);
    for (const row of w.querySelectorAll('tr')) {
      const r = row.cells[0].getBoundingClientRect();
      if (r.left < -1 || r.right > innerWidth + 1) { out.push(row.cells[0].textContent); break; }
    }
  }
  return out; }"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from apr.pipeline import build
    from tests.conftest import copy_sample
    project = copy_sample(tmp_path_factory.mktemp("site") / "sample")
    result = build(project, 2023, ("html", "site", "fragments"))
    return {p.name.rsplit("-", 1)[-1] if p.is_dir() else "html": p for p in result.outputs}


@pytest.fixture(scope="module")
def browser():
    with open_browser() as b:
        yield b


def _pages(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.html"))


def test_site_has_a_page_per_main_section_with_contents_and_pager(built):
    site = built["site"]
    names = {p.stem for p in _pages(site)}
    for wanted in ("index", "about", "outcome-1", "outcome-9", "core-indicators", "finance",
                   "localities", "best-value", "inspections", "appendices"):
        assert wanted in names, sorted(names)
    assert (site / "report.css").is_file()
    for page in _pages(site):
        tree = lxml_html.fromstring(page.read_bytes())
        assert len(tree.findall(".//h1")) == 1, page.name
        assert tree.find(".//nav[@class='site-contents']") is not None
        assert b"data:" not in page.read_bytes(), f"{page.name} inlines a picture"
        for src in tree.xpath("//img/@src") + tree.xpath("//link/@href"):
            assert (site / src).is_file(), f"{page.name}: {src} missing"
        for href in tree.xpath("//a/@href"):
            file, _, anchor = href.partition("#")
            if href.startswith(("http", "mailto:")) or not file:
                continue
            assert (site / file).is_file(), f"{page.name}: link to {href}"
            if anchor:
                target = lxml_html.fromstring((site / file).read_bytes())
                assert target.get_element_by_id(anchor, None) is not None, href
    pager = lxml_html.fromstring((site / "outcome-2.html").read_bytes()).find(
        ".//nav[@class='pager']")
    assert [a.get("href") for a in pager.findall("a")] == ["outcome-1.html", "outcome-3.html"]


def test_fragments_are_bodies_without_a_page_shell(built):
    folder = built["fragments"]
    finance = (folder / "finance.html").read_text(encoding="utf-8")
    assert "<html" not in finance and "<head" not in finance and "<footer" not in finance
    tree = lxml_html.fromstring(finance)
    assert tree.xpath("//h1")[0].text_content() == "Financial performance"
    for src in tree.xpath("//img/@src"):
        assert (folder / src).is_file(), src
    contents = lxml_html.fromstring((folder / "contents.html").read_bytes())
    assert all((folder / href).is_file() for href in contents.xpath("//a/@href"))


def test_a_site_build_replaces_the_folder_whole(built, tmp_path):
    from apr.output import write_all
    target = tmp_path / "site"
    write_all({"site": {"a.html": b"one", "images/x.png": b"1"}}, {"site": target})
    write_all({"site": {"b.html": b"two"}}, {"site": target})
    assert sorted(p.name for p in target.rglob("*")) == ["b.html"]
    assert [p.name for p in tmp_path.iterdir()] == ["site"]     # nothing left beside it


@pytest.mark.parametrize("width", WIDTHS)
def test_tables_fit_from_1024_and_keep_caption_and_first_column_on_a_phone(built, browser,
                                                                            width):
    pages = [built["html"], *_pages(built["site"])]
    for path in pages:
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(path.as_uri(), wait_until="load")
        overflow = page.evaluate("document.scrollingElement.scrollWidth - innerWidth")
        scrolling = page.evaluate(SCROLLING)
        hidden = page.evaluate(HIDDEN_AT_PHONE) if width < 768 else []
        context.close()
        assert overflow <= 0, f"{path.name} at {width}px is {overflow}px too wide"
        if width >= 1024:
            assert scrolling == [], f"{path.name} at {width}px: these scroll: {scrolling}"
        assert hidden == [], f"{path.name} at {width}px: out of view: {hidden[:5]}"


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_passes_axe_at_every_width(built, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    problems = {}
    for path in [built["html"], *_pages(built["site"])]:
        page.goto(path.as_uri(), wait_until="load")
        page.add_script_tag(path=str(axe_js_path()))
        result = page.evaluate("""async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return [r.violations, r.incomplete.filter(i => i.id === 'color-contrast')
                    .flatMap(i => i.nodes).filter(n => JSON.stringify(n).includes('hidden'))
                    .map(n => n.target)]; }""", AXE_TAGS)
        if result[0] or result[1]:
            problems[path.name] = (format_violations(result[0]), result[1][:3])
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{path.parent.name[-4:]}-{path.stem}-{width}.png"),
                        full_page=width == 375 or path.stem == "index")
    context.close()
    assert problems == {}


def test_every_site_page_is_valid_html(built):
    java, jar = java_path(), vnu_jar_path()
    proc = subprocess.run([java, "-jar", str(jar), "--errors-only", "--skip-non-html",
                           str(built["site"])], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "LC_ALL": "C"})
    assert proc.returncode == 0, proc.stderr[-3000:]


def _branded(tmp_path, accent: str = "#7a1f5c", css: str = ".site-header { color: #0b0c0c; }"):
    from tests.conftest import copy_sample
    project = copy_sample(tmp_path / "sample")
    toml = project / "apr.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("[report]\n", (
        f'[report]\naccent_colour = "{accent}"\n'
        'header_links = ["[Contact us](https://www.example.org/contact)"]\n'
        'footer_links = ["[Accessibility](https://www.example.org/accessibility)"]\n'), 1),
        encoding="utf-8")
    (project / "styles").mkdir()
    (project / "styles" / "house.css").write_text(css, encoding="utf-8")
    return project


def _apr(project, formats: str):
    import sys
    return subprocess.run([sys.executable, "-m", "apr", "build", "--project", str(project),
                           "--year", "2023", "--format", formats], capture_output=True,
                          text=True, timeout=300)


def test_accent_colour_links_and_stylesheet_reach_every_page(tmp_path, browser):
    project = _branded(tmp_path)
    proc = _apr(project, "html,site")
    assert proc.returncode == 0, proc.stderr
    site = next((project / "output").glob("*-site"))
    single = next((project / "output").glob("*.html"))
    for path in (single, site / "finance.html"):
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.goto(path.as_uri())
        found = page.evaluate("""() => [
            getComputedStyle(document.documentElement).getPropertyValue('--accent').trim(),
            [...document.querySelectorAll('a')].map(a => a.textContent),
            getComputedStyle(document.querySelector('h2, main h1')).color]""")
        context.close()
        assert found[0] == "#7a1f5c", path.name
        assert "Contact us" in found[1] and "Accessibility" in found[1], path.name
        assert found[2] == "rgb(0, 45, 84)", path.name       # reference.docx's Heading 1 navy
    assert ".site-header { color: #0b0c0c; }" in (site / "report.css").read_text(encoding="utf-8")


@pytest.mark.parametrize("accent, css, message", [
    ("#e080b0", "", "apr.toml:"),
    ("pink", "", "found 'pink'"),
    ("#7a1f5c", "a { color: red }\n</style><script>", "house.css:2: error"),
])
def test_a_bad_colour_or_stylesheet_stops_the_build_with_a_located_message(tmp_path, accent,
                                                                             css, message):
    proc = _apr(_branded(tmp_path, accent, css), "site")
    assert proc.returncode == 1
    assert message in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert not (tmp_path / "sample" / "output").exists() or \
        not list((tmp_path / "sample" / "output").iterdir())

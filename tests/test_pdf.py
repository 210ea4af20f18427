"""`--format pdf`: the sample report printed by headless Chromium, reopened as a reader would.

Every test reads the PDF apr really wrote: pypdf for the structure, the metadata and the
bookmarks, poppler's pdftotext for the text and where each word lies on its page. Tests that need
the browser skip when none is installed (and fail under CI, see tests/browser.py)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pypdf import PdfReader

from apr.config import load_config
from apr.document.nodes import BLOCK_TYPES, Document, Figure, Table
from apr.findings import AprError
from apr.resources import styles_dir
from apr.writers.chromium import find_browser
from tests.browser import libreoffice_to_pdf, missing_tool
from tests.conftest import copy_sample

MM = 72 / 25.4           # PDF points in a millimetre
TOLERANCE = 1.0          # points: a glyph's box may overhang its advance a little


@pytest.fixture(scope="module")
def printed(publication):
    """The sample's publication, whose PDF needs a browser (skipped without one, but not in
    CI)."""
    if find_browser() is None:
        missing_tool("no Chromium, Chrome or Edge to print the PDF")
    return publication


@pytest.fixture(scope="module")
def report_pdf(printed) -> PdfReader:
    return PdfReader(printed.report["pdf"])


@pytest.fixture(scope="module")
def words(printed) -> list[dict]:
    """Every word of the report PDF with its page's size and its box (pdftotext -bbox)."""
    return pdf_words(printed.report["pdf"])


def pdf_words(pdf: Path) -> list[dict]:
    if shutil.which("pdftotext") is None:
        missing_tool("pdftotext (poppler-utils) not found")
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                          check=True, text=True).stdout
    found = []
    for number, page in enumerate(re.findall(r"<page (.*?)</page>", html, re.S), start=1):
        size = dict(re.findall(r'(width|height)="([\d.]+)"', page.split(">", 1)[0]))
        for box, text in re.findall(r'<word ([^>]*)>([^<]*)</word>', page):
            found.append({"page": number, "text": text, "width": float(size["width"]),
                          "height": float(size["height"]),
                          **{k: float(v) for k, v in re.findall(r'(\w+)="([\d.]+)"', box)}})
    return found


def page_texts(pdf: Path, mode: str = "-layout") -> list[str]:
    """Return each page's text: laid out as on the page (-layout), or in the order it was
    drawn (-raw: a table cell's lines together)."""
    text = subprocess.run(["pdftotext", mode, str(pdf), "-"], capture_output=True,
                          check=True, text=True).stdout
    return text.split("\f")[:-1]


def outline(reader: PdfReader) -> list[tuple[str, int]]:
    """Return every bookmark as (title, page number counted from 1), depth first."""
    found: list[tuple[str, int]] = []

    def walk(items) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.append((item.title, reader.get_destination_page_number(item) + 1))
    walk(reader.outline)
    return found


def page_margins() -> tuple[float, float, float, float]:
    """Return the @page margins of styles/print.css (top, right, bottom, left) in points."""
    css = (styles_dir() / "print.css").read_text(encoding="utf-8")
    values = re.search(r"@page \{[^}]*?margin: ([\d.]+mm(?: [\d.]+mm)*);", css).group(1)
    mm = [float(v[:-2]) for v in values.split()]
    top, right, bottom, left = (mm * 4)[:4] if len(mm) == 1 else \
        (mm[0], mm[1], mm[2] if len(mm) > 2 else mm[0], mm[3] if len(mm) > 3 else mm[1])
    return tuple(v * MM for v in (top, right, bottom, left))


def partnership_title(publication) -> str:
    name = load_config(publication.project).name
    return f"{name}: {publication.document.meta.title}"


# -- structure and metadata --------------------------------------------------------------------
def test_pdf_is_tagged_with_language_title_and_pdfua_identifier(report_pdf, publication):
    root = report_pdf.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert root["/Lang"] == "en-GB"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    title = partnership_title(publication)
    assert title.startswith("Strathlinn Health and Social Care Partnership: ")
    assert report_pdf.metadata.title == title
    assert report_pdf.metadata.author == publication.document.meta.author
    xmp = ET.fromstring(root["/Metadata"].get_object().get_data())
    ns = {"pdfuaid": "http://www.aiim.org/pdfua/ns/id/", "dc": "http://purl.org/dc/elements/1.1/",
          "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}
    assert xmp.find(".//pdfuaid:part", ns).text == "1"
    assert xmp.find(".//dc:title/rdf:Alt/rdf:li", ns).text == title


def test_pdf_bookmarks_follow_the_sections(report_pdf, publication):
    titles = [title for title, _ in outline(report_pdf)]
    sections = [h.text for h in publication.document.headings(1)]
    assert sections and all(s in titles for s in sections), set(sections) - set(titles)
    assert len(titles) > 20


def structure_elements(reader: PdfReader) -> list:
    """Return every element of the PDF's structure tree (tags), depth first."""
    found, stack = [], [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif hasattr(node, "get"):
            if "/S" in node:
                found.append(node)
            if node.get("/K") is not None:
                stack.append(node["/K"])
    return found


def test_pdf_tags_headings_tables_and_every_figure_with_alt_text(report_pdf, publication):
    tags = structure_elements(report_pdf)
    kinds = [str(t["/S"]) for t in tags]
    meta = publication.document.meta
    cover = [alt for alt in (meta.logo_alt, meta.cover_image_alt) if alt]   # apr.toml pictures
    figures = [b for b in publication.document.walk() if isinstance(b, Figure)]
    alts = [str(t.get("/Alt", "")) for t in tags if t["/S"] == "/Figure"]
    assert len(alts) == len(figures) + len(cover) and all(a.strip() for a in alts)
    assert {f.alt for f in figures} | set(cover) == set(alts)
    assert kinds.count("/H1") == 1 and "/H2" in kinds and "/H3" in kinds
    assert "/Table" in kinds and "/TH" in kinds


def test_every_header_a_data_cell_names_is_in_the_sorted_id_tree(report_pdf):
    tree = report_pdf.trailer["/Root"]["/StructTreeRoot"]["/IDTree"]
    names = tree["/Names"]
    ids = [str(names[i]) for i in range(0, len(names), 2)]
    assert ids == sorted(ids) and len(ids) == len(set(ids)) > 100
    elements = {str(names[i]): names[i + 1].get_object() for i in range(0, len(names), 2)}
    headers = [str(h) for t in structure_elements(report_pdf) if t["/S"] == "/TD"
               for a in (t.get("/A") or []) if "/Headers" in a for h in a["/Headers"]]
    assert len(headers) > 500 and set(headers) <= set(elements)
    assert {elements[h]["/S"] for h in headers} == {"/TH"}


# -- layout ------------------------------------------------------------------------------------
def test_no_text_lies_outside_the_margins(words):
    top, right, bottom, left = page_margins()
    assert len(words) > 10000 and {w["page"] for w in words} == set(range(1, words[-1]["page"] + 1))
    outside = [w for w in words if w["xMin"] < left - TOLERANCE
               or w["xMax"] > w["width"] - right + TOLERANCE
               or w["yMin"] < 0 or w["yMax"] > w["height"]]
    assert not outside, [(w["page"], w["text"], round(w["xMax"])) for w in outside[:10]]


def test_wide_tables_print_on_landscape_pages(report_pdf, publication):
    landscape = [n for n, page in enumerate(report_pdf.pages, start=1)
                 if page.mediabox.width > page.mediabox.height]
    texts = page_texts(publication.report["pdf"])
    assert landscape, "the core indicators table should be on a landscape page"
    assert any("Core integration indicators, 2018/19" in texts[n - 1] for n in landscape)


def squashed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_cell_of_the_core_indicators_table_is_printed(printed, publication):
    table = next(b for b in publication.document.walk()
                 if isinstance(b, Table) and b.id == "indicators-all")
    text = squashed(" ".join(page_texts(publication.report["pdf"], "-raw")))
    cells = [c.text for row in table.rows for c in row] + table.columns
    missing = [c for c in cells if squashed(c) not in text]
    assert len(cells) > 200 and not missing, missing[:10]


def contents_entries(publication) -> list[str]:
    """Return the titles the contents lists, in order (two levels, then the chart data)."""
    from apr.writers.html import chart_data_title
    titles = [h.text for h in publication.document.headings(2)]
    return titles + [chart_data_title(publication.document)]


def test_contents_page_numbers_match_the_pages_of_the_headings(report_pdf, publication):
    texts = page_texts(publication.report["pdf"])
    bookmarks = outline(report_pdf)
    pages = dict(reversed(bookmarks))            # title -> page of its first bookmark
    first_entry = contents_entries(publication)[0]
    lines = "\n".join(texts[pages["Contents"] - 1:pages[first_entry] - 1]).splitlines()
    lines = [line for line in lines if not line.strip().isdigit()]     # the page's own number
    # contents entries are numbered "1." or lettered "a."; the key facts page that may follow
    # the contents ("2 of 18") is not one
    printed = [int(m) for m in re.findall(r"^\s*(?:\d+\.|[a-z]\.)\D.*\s(\d{1,3})$",
                                          "\n".join(lines), re.M)]
    actual, at = [], 0
    for title in contents_entries(publication):
        at = next(i for i in range(at, len(bookmarks)) if bookmarks[i][0] == title)
        actual.append(bookmarks[at][1])
    assert printed == actual
    assert actual == sorted(actual) and actual[-1] > 50


def test_page_count_within_ten_percent_of_the_word_report(report_pdf, publication, tmp_path):
    word = PdfReader(libreoffice_to_pdf(publication.report["docx"], tmp_path))
    assert len(report_pdf.pages) <= 1.1 * len(word.pages), (len(report_pdf.pages),
                                                             len(word.pages))


def in_margins(words: list[dict], page: int) -> str:
    """Return the text printed in the top and bottom margins of a page."""
    top, _, bottom, _ = page_margins()
    return " ".join(w["text"] for w in words if w["page"] == page and (
        w["yMax"] < top or w["yMin"] > w["height"] - bottom))


def test_cover_has_no_running_header_or_page_number(words, publication):
    title = partnership_title(publication)
    assert in_margins(words, 1) == ""
    assert in_margins(words, 2) == f"{title} 2"
    assert in_margins(words, 40) == f"{title} 40"


def test_chart_data_go_to_an_appendix_one_table_per_chart(printed, publication):
    charts = [b for b in publication.document.walk() if isinstance(b, Figure) and b.data]
    texts = page_texts(publication.report["pdf"], "-raw")
    start = dict(reversed(outline(PdfReader(publication.report["pdf"]))))[
        contents_entries(publication)[-1]]
    appendix = squashed(" ".join(texts[start - 1:]))
    numbers = {id(f): n for n, f in enumerate(
        (b for b in publication.document.walk() if isinstance(b, Figure)), start=1)}
    assert len(charts) > 20
    for chart in charts:
        assert squashed(f"Data for Figure {numbers[id(chart)]}: {chart.caption}") in appendix
    html = publication.report["html"].read_text(encoding="utf-8")
    assert html.count("<details><summary>Data for ") == len(charts)
    assert "Data for Figure" not in html


# -- determinism, temporary files, a missing browser -------------------------------------------
def browser_profiles() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("apr-browser-*"))


def test_same_document_gives_byte_identical_pdf_dated_from_apr_toml(printed, publication):
    from apr.writers.pdf import render_pdf
    before = browser_profiles()
    first = render_pdf(publication.summary_document, "Summary")
    assert first == render_pdf(publication.summary_document, "Summary")
    assert browser_profiles() == before, "the browser's profile folder was left behind"
    meta = PdfReader(publication.summary["pdf"]).metadata
    date = publication.summary_document.meta.date_iso.replace("-", "")
    assert meta["/CreationDate"].startswith(f"D:{date}") and meta["/ModDate"] == meta[
        "/CreationDate"]


def test_summary_pdf_is_two_to_four_pages(printed, publication):
    reader = PdfReader(publication.summary["pdf"])
    assert 2 <= len(reader.pages) <= 4
    assert "summary" in reader.metadata.title
    assert "Our money" in [title for title, _ in outline(reader)]


def test_a_missing_browser_is_a_finding_naming_what_to_install(tmp_path, monkeypatch):
    from apr.pipeline import build
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.delenv("APR_BROWSER", raising=False)
    monkeypatch.setattr("apr.writers.chromium.KNOWN_PLACES", ())
    project = copy_sample(tmp_path / "sample")
    with pytest.raises(AprError) as caught:
        build(project, 2023, ("html", "pdf"))
    message = {f.code: f.message for f in caught.value.findings}["pdf.browser_missing"]
    assert "sudo apt-get install chromium" in message and "APR_BROWSER" in message
    assert not (project / "output").exists()


def test_apr_browser_naming_no_program_exits_1_without_traceback(tmp_path):
    project = copy_sample(tmp_path / "sample")
    env = dict(os.environ, APR_BROWSER=str(tmp_path / "no-such-browser"),
               PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    run = subprocess.run([sys.executable, "-c", "from apr.cli import main; main()", "build",
                          "--project", str(project), "--year", "2023", "--format", "pdf"],
                         capture_output=True, text=True, env=env, timeout=120)
    output = run.stdout + run.stderr
    assert run.returncode == 1 and "Traceback" not in output, output
    assert "APR_BROWSER names" in output and "[pdf.browser_missing]" in output
    assert not (project / "output").exists()


def test_a_wrong_cached_guess_of_the_page_numbers_is_corrected(printed, publication):
    from apr.writers.chromium import find_browser
    from apr.writers.html import render_html
    from apr.writers.pdf import PageNumbers, render_pdf
    document, title = publication.document, partnership_title(publication)
    html = render_html(document, for_print=True, running_title=title)
    memo = PageNumbers(html, find_browser())
    right = memo.get()
    assert right and len(right) > 50, "the publication's build should have cached its numbers"
    memo.put({target: "99" for target in right})
    assert render_pdf(document, title, cached=True) == publication.report["pdf"].read_bytes()
    assert memo.get() == right


# -- the print variant of the HTML page (no browser needed) -----------------------------------
@pytest.mark.parametrize("node_type", BLOCK_TYPES, ids=lambda t: t.__name__)
def test_the_print_variant_renders_every_node_type(node_type):
    from tests.test_html_writer import EXAMPLES, meta, parse
    from apr.writers.html import render_html
    parse(render_html(Document(meta(), [EXAMPLES[node_type]]), for_print=True, running_title="T"))


def test_the_print_variant_moves_chart_data_to_an_appendix_and_numbers_figures():
    from tests.test_html_writer import full_document, parse
    from apr.writers.html import render_html
    screen = render_html(full_document())
    printed = render_html(full_document(), for_print=True, running_title='A "quoted" title')
    shown = parse(screen).root
    assert shown.find("details") is not None and not any(
        "data-page-of" in s.attrs for s in shown.iter("span"))
    assert not [c.text for c in shown.iter("figcaption") if c.text.startswith("Figure")]
    tree = parse(printed).root
    assert tree.find("details") is None
    captions = [c.text for c in tree.iter("figcaption")]
    assert captions and all(c.startswith(f"Figure {n}: ") for n, c in enumerate(captions, 1))
    appendix = next(e for e in tree.iter("section") if e.attrs.get("class") == "chart-data")
    assert [c.text for c in appendix.iter("caption")] == [
        "Data for Figure 1: Adults able to look after their health"]
    slots = [s.attrs["data-page-of"] for s in tree.iter("span") if "data-page-of" in s.attrs]
    ids = {e.attrs.get("id") for e in tree.iter()}
    assert slots and set(slots) <= ids and slots[-1] == "chart-data"
    assert '@top-center { content: "A \\22 quoted\\22  title"; }' in printed


def test_a_browser_that_stops_is_a_finding_and_nothing_is_written(tmp_path, monkeypatch):
    from apr.pipeline import build
    fake = tmp_path / "browser"
    fake.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("APR_BROWSER", str(fake))
    project = copy_sample(tmp_path / "sample")
    before = browser_profiles()
    with pytest.raises(AprError) as caught:
        build(project, 2023, ("html", "pdf"))
    message = {f.code: f.message for f in caught.value.findings}["pdf.browser_failed"]
    assert "the browser stopped unexpectedly" in message and "cannot open display" in message
    assert not (project / "output").exists()
    assert browser_profiles() == before


def test_a_build_stopped_by_bad_data_closes_the_browser(printed, tmp_path):
    from apr.pipeline import build
    project = copy_sample(tmp_path / "sample")
    finance = project / "data" / "finance.csv"
    lines = finance.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[2] = "abc"                                        # the budget: not an amount
    finance.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]), encoding="utf-8")
    before = browser_profiles()
    with pytest.raises(AprError) as caught:
        build(project, 2023, ("pdf",))
    assert "data.bad_amount" in {f.code for f in caught.value.findings}
    assert browser_profiles() == before and not (project / "output").exists()


def test_the_command_line_fallback_prints_the_same_pdf(printed, publication, monkeypatch):
    """Windows has no pipe to the browser: a browser per print, page numbers written into the
    HTML between prints; the PDF is the same, byte for byte."""
    from apr.writers.pdf import render_pdf
    monkeypatch.setenv("APR_BROWSER_TRANSPORT", "command-line")
    before = browser_profiles()
    made = render_pdf(publication.document, partnership_title(publication), cached=False)
    assert made == publication.report["pdf"].read_bytes()
    assert browser_profiles() == before

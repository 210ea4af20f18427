"""The published HTML of the sample report and its summary: WCAG 2.2 AA by axe-core in headless
Chromium, valid under the Nu HTML checker, and the structure a screen-reader user relies on.

With CI=true a missing browser or Java fails these tests (tests/browser.py), never skips them.
"""
from __future__ import annotations

import re

import pytest
from lxml import html as lxml_html

from tests.browser import _page, format_violations, open_browser, run_axe, run_vnu, screenshot

PHONE_WIDTH = 375
WHICH = ("report", "summary")


def _html_path(publication, which: str):
    return getattr(publication, which)["html"]


@pytest.fixture(scope="module")
def browser():
    with open_browser() as b:
        yield b


@pytest.fixture(scope="module", params=WHICH)
def page_tree(request, publication):
    path = _html_path(publication, request.param)
    return lxml_html.fromstring(path.read_bytes())


@pytest.mark.parametrize("which", WHICH)
def test_axe_finds_no_wcag22_aa_violation(publication, browser, which):
    violations = run_axe(_html_path(publication, which), browser=browser)
    assert violations == [], format_violations(violations)


@pytest.mark.parametrize("which", WHICH)
def test_nu_html_checker_finds_no_error(publication, which):
    errors = run_vnu(_html_path(publication, which))
    assert errors == [], [(e.get("lastLine"), e["message"]) for e in errors]


@pytest.mark.parametrize("which", WHICH)
def test_nothing_overflows_sideways_on_a_phone(publication, browser, tmp_path, which):
    path = _html_path(publication, which)
    with _page(path, browser, width=PHONE_WIDTH) as page:
        scroll, inner = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
        wide = page.evaluate("""() => [...document.querySelectorAll('main *')]
            .filter(e => e.getBoundingClientRect().right > innerWidth + 1
                         && !e.closest('.table-wrap'))
            .slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + e.className)""")
    assert scroll <= inner, f"page is {scroll}px wide at {inner}px: {wide}"
    shot = screenshot(path, tmp_path / f"{which}-{PHONE_WIDTH}.png", PHONE_WIDTH, browser)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_wide_tables_scroll_inside_a_focusable_region(page_tree):
    for wrap in page_tree.xpath("//div[contains(@class, 'table-wrap')]"):
        assert wrap.get("tabindex") == "0" and wrap.get("role") == "region"
        assert page_tree.get_element_by_id(wrap.get("aria-labelledby")).tag == "caption"


def test_language_title_and_landmarks(page_tree):
    assert page_tree.get("lang") == "en-GB"
    assert page_tree.findtext(".//title").strip()
    assert len(page_tree.xpath("//main[@id='main']")) == 1
    assert len(page_tree.xpath("//body/header")) == 1
    assert len(page_tree.xpath("//body/footer")) == 1


def test_skip_link_is_first_and_targets_main(page_tree):
    first = page_tree.xpath("//body//a")[0]
    assert first.get("href") == "#main" and "skip" in first.text_content().lower()


def test_headings_start_at_one_h1_and_never_skip_a_level(page_tree):
    levels = [int(h.tag[1]) for h in page_tree.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels[0] == 1 and levels.count(1) == 1
    jumps = [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1]
    assert jumps == []


def test_contents_lists_every_top_section(publication):
    tree = lxml_html.fromstring(publication.report["html"].read_bytes())
    nav = tree.xpath("//nav[contains(@class, 'contents')]")[0]
    links = {a.get("href")[1:] for a in nav.iter("a")}
    sections = {h.get("id") for h in tree.xpath("//main/h2")}
    assert sections and sections <= links
    assert all(tree.get_element_by_id(target) is not None for target in links)


def test_every_table_has_a_caption_and_scoped_headers(page_tree):
    tables = page_tree.xpath("//table")
    assert tables
    for table in tables:
        assert table.find("caption").text_content().strip(), lxml_html.tostring(table)[:200]
        assert all(th.get("scope") == "col" for th in table.xpath("thead//th"))
        assert all(th.get("scope") == "row" for th in table.xpath("tbody//th"))
        assert not table.xpath(".//*[@colspan or @rowspan]"), "merged cells in a data table"


def test_every_chart_has_alt_text_and_its_data_as_a_table(publication):
    tree = lxml_html.fromstring(publication.report["html"].read_bytes())
    for img in tree.xpath("//img"):  # charts and the narrative's own pictures
        assert img.get("alt", "").strip(), lxml_html.tostring(img)[:120]
    figures = tree.xpath("//figure[starts-with(@id, 'figure-')]")  # the charts apr draws
    assert len(figures) >= 10
    for figure in figures:
        img, = figure.xpath(".//img")
        assert len(img.get("alt", "").split()) >= 8, img.get("alt")
        assert figure.findtext("figcaption").strip()
        data = figure.xpath("./details/table | ./details/div/table")
        assert data, f"figure {figure.get('id')} has no data table"
        assert figure.xpath("./details/summary")


def test_print_stylesheet_hides_screen_only_parts(publication, browser):
    css = "".join(lxml_html.fromstring(publication.report["html"].read_bytes())
                  .xpath("//style/text()"))
    assert "@media print" in css and re.search(r"@page\s*\{", css)
    with _page(publication.report["html"], browser) as page:
        page.emulate_media(media="print")
        skip = page.evaluate("getComputedStyle(document.querySelector('.skip-link')).display")
        thead = page.evaluate("getComputedStyle(document.querySelector('thead')).display")
    assert skip == "none"
    assert thead == "table-header-group"  # header rows repeat on every printed page

"""What a reader of the Word report sees, page by page: the sample report's .docx converted to
PDF by LibreOffice (the nearest to Word available here) and read back with the position of every
word (``pdftotext -bbox-layout``, from poppler).

No word lies outside its page; no word of a table header or an indicator's name is broken
across two lines; the cover carries no running header or footer; the wide tables are on
landscape pages that keep the header and the page number; the data behind the charts is in the
closing appendix, and the key facts follow the contents.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from apr.document import nodes as n
from tests.browser import libreoffice_to_pdf

XHTML = "{http://www.w3.org/1999/xhtml}"
WORD_CHARS = re.compile(r"[^\w£%+'-]")
ALLOWED_AFTER = ("-", "/", "–")


@dataclass
class Line:
    words: list[str]
    x_min: float
    x_max: float


@dataclass
class Page:
    width: float
    height: float
    lines: list[list[Line]]     # the lines of each text block (a paragraph, a table cell)
    boxes: list[tuple[float, float, float, float]]   # every word's box

    @property
    def text(self) -> str:
        return " ".join(w for block in self.lines for line in block for w in line.words)

    @property
    def landscape(self) -> bool:
        return self.width > self.height


def read_pages(pdf: Path) -> list[Page]:
    """Return the pages of ``pdf`` with their blocks, lines and word boxes."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True,
                         check=True, timeout=120).stdout
    root = ET.fromstring(out)
    pages = []
    for page in root.iter(f"{XHTML}page"):
        blocks, boxes = [], []
        for block in page.iter(f"{XHTML}block"):
            lines = []
            for line in block.iter(f"{XHTML}line"):
                words = list(line.iter(f"{XHTML}word"))
                boxes += [tuple(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))
                          for w in words]
                lines.append(Line([w.text or "" for w in words], float(line.get("xMin")),
                                  float(line.get("xMax"))))
            blocks.append(lines)
        pages.append(Page(float(page.get("width")), float(page.get("height")), blocks, boxes))
    return pages


def broken_words(pages: list[Page], whole: set[str]) -> list[str]:
    """Return the words of ``whole`` printed broken: the last word of one line of a block and
    the first of the next make one of them, though neither piece is one ("Compare|d")."""
    found = []
    for page_no, page in enumerate(pages, start=1):
        for block in page.lines:
            for above, below in zip(block, block[1:]):
                if not above.words or not below.words:
                    continue
                if above.words[-1].endswith(ALLOWED_AFTER) or below.words[0].startswith(("(", "[")):
                    continue    # "co-|ordinated", "s.42(4)|(b)": where a line may end
                head, tail = _bare(above.words[-1]), _bare(below.words[0])
                if head + tail in whole and head not in whole:
                    found.append(f"page {page_no}: {head}|{tail}")
    return found


def _bare(word: str) -> str:
    return WORD_CHARS.sub("", word)


def table_words(document: n.Document) -> set[str]:
    """Return every word of the tables' headers and of their row names (first column)."""
    words = set()
    for block in document.walk():
        tables = [block] if isinstance(block, n.Table) else (
            [block.data] if isinstance(block, n.Figure) and block.data else [])
        for table in tables:
            texts = list(table.columns) + [row[0].text for row in table.rows if row]
            words |= {_bare(w) for text in texts for w in text.split() if len(_bare(w)) > 2}
    return words


@pytest.fixture(scope="module")
def pages(publication, tmp_path_factory) -> list[Page]:
    out = tmp_path_factory.mktemp("word-layout")
    return read_pages(libreoffice_to_pdf(publication.report["docx"], out))


def test_no_word_lies_outside_its_page(pages):
    outside = [(i, box) for i, page in enumerate(pages, start=1) for box in page.boxes
               if box[0] < 0 or box[1] < 0 or box[2] > page.width or box[3] > page.height]
    assert outside == []
    # and none in the side margins (2 cm): the tables fit the text width
    margin = 28.35 * 1.5
    crowded = [(i, box) for i, page in enumerate(pages, start=1) for box in page.boxes
               if box[0] < margin or box[2] > page.width - margin]
    assert crowded == []


def test_no_header_word_or_indicator_name_is_broken(pages, publication):
    whole = table_words(publication.document)
    assert {"Compared", "Scotland", "Indicator"} <= whole     # the words the check covers
    assert broken_words(pages, whole) == []


def test_the_check_finds_a_broken_word_and_allows_a_break_at_a_hyphen_or_bracket():
    lines = [Line(["Compare"], 0, 10), Line(["d", "with", "co-"], 0, 10), Line(["ordinated",
             "s.42(4)"], 0, 10), Line(["(b)"], 0, 10)]
    page = Page(100, 100, [lines], [])
    assert broken_words([page], {"Compared", "with", "co-ordinated", "s424b"}) == [
        "page 1: Compare|d"]


def test_cover_has_no_running_header_or_footer(pages, publication):
    meta = publication.document.meta
    cover = pages[0].text
    assert meta.title in cover
    assert f"{meta.organisation} | {meta.title}" not in cover and "Page 1" not in cover
    assert cover.count(meta.website) == 1
    second = pages[1].text
    assert f"{meta.organisation} | {meta.title}" in second and "Page 2" in second


def test_wide_tables_are_on_landscape_pages_that_keep_header_and_page_number(pages,
                                                                           publication):
    meta = publication.document.meta
    landscape = [(i, p) for i, p in enumerate(pages, start=1) if p.landscape]
    assert landscape, "no landscape page"
    for number, page in landscape:
        assert f"Page {number}" in page.text, number
        assert f"{meta.organisation} | {meta.title}" in page.text, number
    captions = " ".join(p.text for _, p in landscape)
    for outcome in (1, 5, 9):
        assert f"Indicators for outcome {outcome}:" in captions
    portrait = " ".join(p.text for p in pages if not p.landscape)
    assert "Foreword" in portrait and "Appendix 2: Glossary" in portrait


def test_chart_data_is_in_the_appendix_and_key_facts_follow_the_contents(pages, publication):
    figures = [b for b in publication.document.walk() if isinstance(b, n.Figure)]
    with_data = [k for k, f in enumerate(figures, start=1) if f.data is not None]
    text = [p.text for p in pages]
    appendix = next(i for i, t in enumerate(text) if "Data for Figure 1:" in t)
    assert appendix > len(pages) // 2 and ": Data for the charts" in text[appendix]
    later = " ".join(text[appendix:])
    assert [k for k in with_data if f"Data for Figure {k}:" not in later] == []
    contents = next(i for i, t in enumerate(text) if "Contents" in t)
    facts = next(i for i, t in enumerate(text) if "people live in" in t)
    assert contents < facts <= contents + 4 and "Appendix" not in text[facts]


def _grid(table: n.Table) -> tuple[list[int], object]:
    """Write a one-table document and return the table's column widths and its w:tbl."""
    import io
    import zipfile

    from lxml import etree

    from apr.resources import styles_dir
    from apr.writers.docx import render_docx

    doc = n.Document(n.DocumentMeta("T", "", "", "", "O", "", cover="paper"), [table])
    data = render_docx(doc, styles_dir() / "reference.docx")
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    tbl = body.find(".//w:tbl", ns)
    widths = [int(g.get(f"{{{ns['w']}}}w")) for g in tbl.findall("w:tblGrid/w:gridCol", ns)]
    return widths, body


def test_text_column_gets_the_room_and_every_header_word_fits():
    from apr.writers.docx_layout import CELL_PADDING, header_words, text_twips
    reason = ("More older people than planned were placed in nursing homes while care at "
              "home capacity was short, and the contract uplift was above the budget.")
    columns = ["Service", "Category", "Budget (£000)", "Outturn (£000)",
               "Under/(over)spend (£000)", "Reason for the variance"]
    rows = [[n.Cell("Care homes", header=True), n.Cell("(c)"), n.Cell("41,907", "right"),
             n.Cell("43,327", "right"), n.Cell("(1,420)", "right"), n.Cell(reason)]]
    widths, body = _grid(n.Table("t", "Budget and outturn", columns, rows))
    assert widths[5] > 2 * max(widths[1:5])                    # the reason has the room
    for header, width in zip(columns, widths):
        assert all(text_twips(w, 10, True) + CELL_PADDING <= width
                   for w in header_words(header)), header
    assert "Under/\u200b(over)spend" in "".join(body.itertext())   # may break after "/"
    assert sum(widths) <= 9638                                  # A4 portrait text width


def test_a_six_year_table_goes_on_a_landscape_section_and_back():
    columns = ["Indicator"] + [f"20{y}/{y + 1}" for y in range(18, 24)] + [
        "Scotland", "Trend since previous period", "Compared with Scotland"]
    rows = [[n.Cell("NI-12 Emergency admissions per 100,000 adults", header=True)] +
            [n.Cell("11,240 (CY 2023)", "right")] * 7 + [n.Cell("▲ Worsened"), n.Cell("≈")]]
    widths, body = _grid(n.Table("t", "Indicators", columns, rows))
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    sections = body.findall(".//w:sectPr", ns)
    sizes = [s.find("w:pgSz", ns).get(f"{{{ns['w']}}}orient") for s in sections]
    assert sizes == [None, "landscape"]    # the table's section is landscape, the last one
    assert 9638 < sum(widths) <= 16838 - 2 * 1134

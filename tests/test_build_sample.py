"""End to end: the sample partnership's report, reopened as Word and HTML and checked against
the input data it was built from."""
from __future__ import annotations

import csv
import re

import docx
import pytest
from lxml import html as lxml_html

from tests.conftest import SAMPLE

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

REQUIRED_SECTIONS = [
    "Foreword", "About Strathlinn Health and Social Care Partnership",
    "2023/24 at a glance", "Our performance against the national outcomes",
    *[f"Outcome {n}:" for n in range(1, 10)],
    "Core integration indicators", "The integration delivery principles", "Strategic planning",
    "Significant decisions", "Review of the strategic plan", "Our localities",
    "Linnhaven Coast", "Kirkbrae and Glen", "Strathlinn Town", "Upper Strathlinn",
    "Financial performance", "Spend by category", "Under- and overspends",
    "Spending over time", "Best value", "Inspection of services", "Looking ahead",
    "Appendix 1: Indicator definitions", "Appendix 2: Glossary", "Appendix 3: Data sources",
]
YEARS = ["2018/19", "2019/20", "2020/21", "2021/22", "2022/23", "2023/24"]


def sample_indicators() -> dict[tuple[str, str], dict]:
    with open(SAMPLE / "data" / "indicators.csv", newline="", encoding="utf-8") as fh:
        return {(r["indicator"], r["period"]): r for r in csv.DictReader(fh)
                if not r.get("locality")}


def fmt(value: str, decimals: int, percent: bool) -> str:
    text = f"{float(value):,.{decimals}f}"
    return text + "%" if percent else text


@pytest.fixture(scope="module")
def word(built_sample):
    return docx.Document(str(built_sample.docx))


@pytest.fixture(scope="module")
def page(built_sample):
    return lxml_html.fromstring(built_sample.html.read_bytes())


def word_headings(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]


def word_table(document, caption: str):
    for table in document.tables:
        cap = table._tbl.tblPr.find(f"{W}tblCaption")
        if cap is not None and cap.get(f"{W}val") == caption:
            # a header may hold a zero-width space after a slash (where a line may break):
            # invisible, so compared as the reader sees the text
            return [[c.text.replace("\u200b", "") for c in row.cells] for row in table.rows]
    raise AssertionError(f"no Word table captioned {caption!r}")


def html_table(page, caption: str):
    for table in page.iter("table"):
        cap = table.find("caption")
        if cap is not None and caption in cap.text_content():
            rows = []
            for tr in table.iter("tr"):
                rows.append([c.text_content().strip() for c in tr if c.tag in ("th", "td")])
            return rows
    raise AssertionError(f"no HTML table captioned {caption!r}")


@pytest.mark.parametrize("section", REQUIRED_SECTIONS)
def test_every_required_section_is_a_heading_in_word_and_html(word, page, section):
    in_word = [h for h in word_headings(word) if h.startswith(section)]
    in_html = [h.text_content().strip() for h in page.iter("h2", "h3", "h4")
               if h.text_content().strip().startswith(section)]
    assert in_word, f"Word report lacks section {section!r}"
    assert in_html, f"HTML report lacks section {section!r}"


def test_word_headings_never_skip_a_level(word):
    levels = [int(p.style.name.split()[-1]) for p in word.paragraphs
              if re.fullmatch(r"Heading \d", p.style.name)]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:]))


CAPTION = "Core integration indicators, 2018/19 to 2023/24"


@pytest.mark.parametrize("reader", ["word", "html"])
def test_indicator_table_columns(reader, word, page):
    rows = word_table(word, CAPTION) if reader == "word" else html_table(page, CAPTION)
    assert rows[0][:8] == ["Indicator", "Outcome"] + YEARS
    assert rows[0][8] == "Scotland (latest period)"
    assert [r[0].split()[0] for r in rows[1:]] == [
        f"NI-{n}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20)
    ] + ["L-1", "L-2"]


@pytest.mark.parametrize("reader", ["word", "html"])
@pytest.mark.parametrize("code,column,period,decimals,percent", [
    ("NI-1", "2023/24", "2023/24", 1, True),
    ("NI-1", "2021/22", "2021/22", 1, True),
    ("NI-19", "2021/22", "2021/22", 0, False),
    ("NI-17", "2018/19", "2018/19", 1, True),
])
def test_indicator_values_match_the_input_data(reader, word, page, code, column, period,
                                               decimals, percent):
    rows = word_table(word, CAPTION) if reader == "word" else html_table(page, CAPTION)
    row = next(r for r in rows if r[0].startswith(code + " "))
    cell = row[rows[0].index(column)]
    expected = fmt(sample_indicators()[(code, period)]["value"], decimals, percent)
    assert cell.startswith(expected), (cell, expected)


@pytest.mark.parametrize("reader", ["word", "html"])
def test_calendar_year_stands_in_for_the_reporting_year_and_says_so(reader, word, page):
    rows = word_table(word, CAPTION) if reader == "word" else html_table(page, CAPTION)
    row = next(r for r in rows if r[0].startswith("NI-12 "))
    expected = fmt(sample_indicators()[("NI-12", "2023")]["value"], 0, False)
    assert row[rows[0].index("2023/24")] == f"{expected} (CY 2023)"
    scot = fmt(sample_indicators()[("NI-12", "2023")]["scotland"], 0, False)
    assert row[rows[0].index("Scotland (latest period)")] == f"{scot} (CY 2023)"


@pytest.mark.parametrize("reader", ["word", "html"])
def test_survey_indicator_has_no_value_in_years_without_a_survey(reader, word, page):
    rows = word_table(word, CAPTION) if reader == "word" else html_table(page, CAPTION)
    row = next(r for r in rows if r[0].startswith("NI-6 "))
    assert row[rows[0].index("2022/23")] == "survey not run"
    assert row[rows[0].index("2020/21")] == "survey not run"


def test_every_word_image_has_alt_text(word):
    pics = word.element.body.findall(".//{http://schemas.openxmlformats.org/drawingml/2006/"
                                     "wordprocessingDrawing}docPr")
    assert len(pics) >= 20
    cover = {"Strathlinn Integration Joint Board logo",   # apr.toml: report.logo, cover_image
             "Drawing of three houses below green hills on a sunny day"}
    assert cover <= {pic.get("descr") for pic in pics}
    for pic in pics:
        if pic.get("descr") not in cover:
            assert len(pic.get("descr", "")) > 40, pic.get("descr")


def test_every_html_image_has_alt_text_and_its_data(page):
    imgs = [img for img in page.iter("img")       # the cover's logo and picture have the alt
            if not img.get("class", "").startswith("cover-")]   # text apr.toml gives them
    assert len(imgs) >= 20
    for img in imgs:
        assert len(img.get("alt", "")) > 40
        figure = img.getparent()
        while figure.tag != "figure":
            figure = figure.getparent()
        if figure.get("id", "").startswith("image-"):
            continue  # a picture from the narrative (content/images): no data behind it
        assert figure.find(".//table") is not None, "a chart without its data table"


def test_indicator_chart_alt_text_follows_the_data(page):
    alt = next(i.get("alt") for i in page.iter("img") if "emergency admission" in i.get("alt"))
    data = sample_indicators()
    first = fmt(data[("NI-12", "2018/19")]["value"], 0, False)
    last = fmt(data[("NI-12", "2023")]["value"], 0, False)
    assert f"from {first} in 2018/19 to {last} in 2023" in alt


def test_finance_category_table_adds_up(word):
    rows = word_table(word, "Spend on each prescribed category, 2023/24")
    with open(SAMPLE / "data" / "finance.csv", newline="", encoding="utf-8") as fh:
        lines = [r for r in csv.DictReader(fh) if r["year"] == "2023/24"]
    outturn = sum(float(r["outturn"]) for r in lines)
    budget = sum(float(r["budget"]) for r in lines)
    final = sum(float(r["final_budget"]) for r in lines)
    total = next(r for r in rows if r[0] == "Total spend")
    # the financial statement, the final budget (total paid or set aside), the spend
    assert total[1:4] == [f"{budget:,.0f}", f"{final:,.0f}", f"{outturn:,.0f}"]
    spent = sum(float(r[3].replace(",", "")) for r in rows[1:6])
    assert spent == pytest.approx(outturn, abs=5)


def test_draft_marking_and_properties(word, page):
    props = word.core_properties
    assert props.title == ("Strathlinn Health and Social Care Partnership: "
                           "Annual Performance Report 2023/24")
    assert props.language == "en-GB"
    assert any("DRAFT" in p.text for p in word.paragraphs[:8])
    assert page.get("lang") == "en-GB"
    assert "DRAFT" in page.find(".//header").text_content()


def test_html_is_one_self_contained_file(page):
    assert not [e for e in page.iter("link") if e.get("rel") == "stylesheet"]
    assert not [e for e in page.iter("script") if e.get("src")]
    assert all(i.get("src").startswith("data:image/") for i in page.iter("img"))


def test_significant_decisions_are_counted_with_reasons(word):
    with open(SAMPLE / "data" / "significant_decisions.csv", newline="", encoding="utf-8") as fh:
        decisions = list(csv.DictReader(fh))
    text = "\n".join(p.text for p in word.paragraphs)
    assert f"took {len(decisions)} significant decisions" in text
    for d in decisions:
        assert d["reason"][:60] in text

"""One number style (docs/numbers.md): the formatting module on its own, then the sample report
reopened (Word and HTML) and its charts drawn from the specs the build really made."""
from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import docx
import pytest
from lxml import html as lxml_html

from apr import formatting as fmt
from apr import pipeline
from apr.catalogue import indicators
from apr.charts import figure
from apr.findings import AprError
from tests.report_helpers import PNG, build, edit, html_table, project, row, word_table

# --------------------------------------------------------------------------- the module


@pytest.mark.parametrize("value, digits, rounded", [
    (0.5, 0, 1), (2.5, 0, 3), (-2.5, 0, -3), (272.65, 1, 272.7), (-0.05, 1, -0.1),
    (0.1 + 0.2 + 0.15, 1, 0.5), (8.95, 1, 9.0),
])
def test_rounding_is_half_away_from_zero(value, digits, rounded):
    assert fmt.round_half_up(value, digits) == rounded


def test_numbers_have_separators_and_no_negative_zero():
    assert fmt.number(1234567) == "1,234,567"
    assert fmt.number(861.0) == "861"
    assert fmt.number(12.345, 1) == "12.3"
    assert fmt.number(-0.04, 1) == "0.0"
    assert fmt.number(-1200, brackets=True) == "(1,200)"
    assert fmt.number(-1200) == "-1,200"
    assert fmt.number(None) == fmt.DASH == "–"


def test_percentages_and_points():
    assert fmt.percent(12.345) == "12.3%"
    assert fmt.percent(-0.18, brackets=True) == "(0.2%)"
    assert fmt.share(-550, 309800) == "(0.2%)"
    assert fmt.share(5, 0) == fmt.DASH
    assert fmt.points(-0.6) == "0.6 percentage points"
    assert fmt.points(1.04, 0) == "1 percentage point"
    assert fmt.relative_change(861, 948) == "9.2%"
    assert fmt.relative_change(5, 0) == ""


def test_money_in_tables_follows_the_unit_and_the_decimals_setting():
    assert fmt.money(-1420, "£000") == "(1,420)"
    assert fmt.money(65.91, "£m") == "65.9"
    assert fmt.money(66.0, "£m", decimals=0) == "66"
    assert fmt.money(272.65, "£m") == "272.7"
    assert fmt.money(-0.55, "£m", decimals=2) == "(0.55)"


def test_money_in_words_has_one_style():
    words = [fmt.money_words(v) for v in (65913, 47197, 8950, 310350)]
    assert words == ["£65.9m", "£47.2m", "£9.0m", "£310.4m"]
    assert [fmt.money_words(v, decimals=0) for v in (65913, 66000)] == ["£66m", "£66m"]
    assert fmt.money_words(550) == "£550k"
    assert fmt.money_words(999.6) == "£1.0m"       # £999.6k rounds to £1,000k: say £1.0m
    assert fmt.money_words(0.9) == "£900"
    assert fmt.money_words(2.72, "£m", 2) == "£2.72m"


def test_indicator_values_and_intervals_share_the_catalogue_decimals():
    rate, pct = indicators()["NI-19"], indicators()["NI-1"]
    assert rate.decimals == 0 and fmt.indicator_value(rate, 861.0) == "861"
    assert fmt.indicator_value(pct, 91.24) == "91.2%"
    assert fmt.interval(pct, (89.8, 92.55)) == "89.8% to 92.6%"
    money_ind = SimpleNamespace(decimals=0, unit_short="£")
    assert fmt.indicator_value(money_ind, 1234.4) == "£1,234"


def test_dates_and_year_ranges():
    assert fmt.long_date(dt.date(2024, 7, 31)) == "31 July 2024"
    assert fmt.long_date(dt.date(2024, 7, 1)) == "1 July 2024"
    assert fmt.year_range("2022/23", "2022/23") == "2022/23"
    assert fmt.year_range("2018/19", "2023/24") == "2018/19 to 2023/24"
    assert fmt.short_year("2023/24") == "23/24" and fmt.short_year("2023") == "2023"
    assert fmt.short_year("Linnhaven Coast") == "Linnhaven Coast"


@pytest.mark.parametrize("value, step, text", [
    (2000, 2000, "2,000"), (0, 2000, "0"), (0.5, 0.5, "0.5"), (120000, 20000, "120,000"),
    (12.5, 2.5, "12.5"), (-0.0, 1, "0"),
])
def test_chart_ticks(value, step, text):
    assert fmt.tick(value, step) == text


# ------------------------------------------------------------------ the sample, reopened

@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample built once (charts stubbed), with the chart specs the build asked for."""
    specs: list = []

    def record(chart_specs, *args, **kwargs):
        specs.extend(chart_specs)
        return [PNG] * len(chart_specs)

    mp = pytest.MonkeyPatch()
    mp.setattr(pipeline, "draw_charts", record)
    try:
        result = pipeline.build(project(tmp_path_factory.mktemp("numbers")), 2023,
                                ("html", "docx"))
    finally:
        mp.undo()
    paths = {p.suffix: p for p in result.outputs}
    return SimpleNamespace(page=lxml_html.fromstring(paths[".html"].read_bytes()),
                           word=docx.Document(str(paths[".docx"])), specs=specs)


# caption in HTML -> caption in Word, where the two differ: the data behind a chart sits beside
# it on the web page and in the chart-data appendix in Word ("Data for Figure N: <its caption>")
CHART_DATA = {"Spend by category (£": ": Spend by category, ",
              "Budget and outturn (£": ": Budget and outturn by year",
              "Spend by locality (£": ": Spend by locality, ",
              "Reserves (£": ": Reserves by type",
              "Savings planned and achieved (£": ": Savings planned and achieved, "}
FINANCE_TABLES = ("Spend on each prescribed category", "Budget and outturn by service",
                  "Spend on key care groups", "Spend by category, ",
                  "Proportion of funding spent on each category", "Reserves, ",
                  "Savings planned and achieved, ", "Population and spend by locality",
                  *CHART_DATA)


def _word_rows(sample, caption: str) -> list[list[str]]:
    """The Word table of ``caption`` (an HTML caption): a chart's data in the appendix."""
    if caption not in CHART_DATA:
        return word_table(sample.word, caption)
    return word_table(sample.word, "Data for Figure ", CHART_DATA[caption])


def _captions(sample) -> list[str]:
    return [t.find("caption").text_content().strip() for t in sample.page.iter("table")
            if t.find("caption") is not None]


@pytest.mark.parametrize("caption", FINANCE_TABLES)
def test_no_finance_cell_has_a_minus_sign(sample, caption):
    for rows in (html_table(sample.page, caption), _word_rows(sample, caption)):
        cells = [c for r in rows[1:] for c in r[1:]]
        assert cells, caption
        assert [c for c in cells if re.search(r"[-−]\s*\d", c)] == []


def _numbers(cell: str) -> list[str]:
    """Return the figures of an indicator cell, leaving out periods "(CY 2023)", "(2023/24)"
    and qualifiers "[p]"."""
    cell = re.sub(r"\((CY )?\d{4}(/\d{2})?\)|\[[a-z~]+\]", "", cell)
    return re.findall(r"\d[\d,]*(?:\.\d+)?", cell)


def test_indicator_rows_keep_the_catalogue_decimals(sample):
    """Every figure in a row (each year, the interval, Scotland) has the indicator's decimal
    places: no "861.0" for a whole-number rate, Scotland as precise as the partnership."""
    rows = html_table(sample.page, "Core integration indicators, ")
    header, checked = rows[0], 0
    years = [i for i, h in enumerate(header) if re.fullmatch(r"\d{4}/\d{2}", h)]
    scotland = header.index("Scotland (latest period)")
    catalogue = indicators()
    for r in rows[1:]:
        code = r[0].split()[0]
        if code not in catalogue:
            continue
        for cell in [r[i] for i in years] + [r[scotland]]:
            if not cell[:1].isdigit():      # "survey not run", "not updated since 2019/20"
                continue
            for figure_ in _numbers(cell):
                places = len(figure_.partition(".")[2])
                assert places == catalogue[code].decimals, (code, cell)
                checked += 1
    assert checked > 50
    ni19 = row(rows, "NI-19")
    assert ni19[years[-1]].startswith("861") and not ni19[years[-1]].startswith("861.0")


def test_chart_data_agree_with_the_text(sample):
    text = re.sub(r"\s+", " ", sample.page.text_content())
    data = html_table(sample.page, "Budget and outturn (£")
    budget, outturn = row(data, "2023/24")[1:3]
    assert f"We spent £{outturn}m against a budget of £{budget}m" in text
    localities = html_table(sample.page, "Spend by locality (£")
    alts = " ".join(img.get("alt", "") for img in sample.page.iter("img"))
    for name, spend in localities[1:]:
        assert f"{name} £{spend}m" in alts                     # the alt text
        assert f"£{spend}m (" in text                            # the locality's paragraph
    delayed = html_table(sample.page, "Delayed discharge")
    assert f"to {row(delayed, '2023/24')[1]} delayed bed days" in text


def test_year_ranges_are_never_a_year_to_itself(sample):
    text = sample.page.text_content() + " ".join(_captions(sample))
    assert re.search(r"(\d{4}/\d{2}) to \1", text) is None


def test_a_series_of_two_figures_gets_a_sentence_not_a_chart(sample):
    ids = {f.get("id") for f in sample.page.iter("figure")}
    assert "figure-ni-20" not in ids and "figure-ni-1" in ids
    assert "There is no chart of NI-20: with only 2 figures" in sample.page.text_content()
    for spec in sample.specs:
        ours = [v for v in spec.series[0].values if v is not None]
        assert spec.kind != "line" or len(ours) >= 3, spec.title


# ------------------------------------------------------------------------------ charts

def _drawn(spec):
    fig = figure(spec)
    fig.canvas.draw()
    return fig, fig.axes[0]


def test_value_axes_have_separators_and_the_unit_once(sample):
    seen_thousands = False
    for spec in sample.specs:
        _, ax = _drawn(spec)
        axis = ax.xaxis if spec.kind == "hbar" else ax.yaxis
        ticks = [t.get_text() for t in axis.get_ticklabels() if t.get_text()]
        assert axis.get_label().get_text() == spec.unit, spec.title
        assert not any(spec.unit in t or "%" in t or "£" in t for t in ticks), (spec.title, ticks)
        for tick, value in zip(ticks, axis.get_ticklocs()):
            if abs(value) >= 1000:
                assert "," in tick, (spec.title, tick)
                seen_thousands = True
    assert seen_thousands


def test_axes_start_at_zero_or_say_where_they_start(sample):
    alts = {img.get("alt", "") for img in sample.page.iter("img")}
    zoomed = 0
    for spec in sample.specs:
        fig, ax = _drawn(spec)
        low = min(ax.get_xlim()) if spec.kind == "hbar" else ax.get_ylim()[0]
        if not spec.percent:
            assert low == 0, spec.title
            continue
        assert low == spec.axis_from
        if low:
            zoomed += 1
            marks = [t.get_text() for t in ax.texts if t.get_text().startswith("Axis starts")]
            assert marks == [f"Axis starts at {low:.0f}%"], spec.title
            assert any(f"The axis starts at {low:.0f}%" in alt for alt in alts), spec.title
    assert zoomed


def test_no_turned_labels_where_short_or_wrapped_ones_fit(sample):
    for spec in sample.specs:
        _, ax = _drawn(spec)
        if spec.kind == "hbar":      # names beside lying bars: upright, one per bar group
            names = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
            assert names == spec.labels and ax.get_xlim()[0] == 0, spec.title
            continue
        labels = [t for t in ax.get_xticklabels() if t.get_text()]
        assert all(t.get_rotation() == 0 for t in labels), spec.title
        shown = [t.get_text().replace("\n", " ") for t in labels]
        assert all(s in (label, fmt.short_year(label)) for s, label in zip(shown, spec.labels))


def test_the_cache_key_covers_the_formatting_module():
    """Tick labels are written by apr/formatting.py, so it is part of the chart cache key."""
    from apr.charts import batch
    assert "formatting.py" in batch.SHARED_CODE


def test_word_and_html_agree_on_every_finance_figure(sample):
    for caption in FINANCE_TABLES:
        html_rows = html_table(sample.page, caption)
        word_rows = _word_rows(sample, caption)
        assert [r[1:] for r in html_rows[1:]] == [r[1:] for r in word_rows[1:]], caption



def test_whole_millions_when_the_setting_says_no_decimals(tmp_path, monkeypatch):
    """[finance] decimals = 0: "£310m" in the text and "310" in the chart data, never "310.0"."""
    proj = project(tmp_path)
    edit(proj / "apr.toml", "[finance]\n", "[finance]\ndecimals = 0\n")
    built = build(proj, monkeypatch)
    assert "We spent £310m against a budget of £310m" in built.text
    rows = html_table(built.page, "Budget and outturn (£")
    assert row(rows, "2023/24")[1:] == ["310", "310", "(1)"]
    cells = [c for r in html_table(built.page, "Spend by locality (£")[1:]
             for c in r[1:]]
    assert cells and not any(c.endswith(".0") or "." in c for c in cells)


def test_the_decimals_setting_is_checked(tmp_path, monkeypatch):
    proj = project(tmp_path)
    edit(proj / "apr.toml", "[finance]\n", "[finance]\ndecimals = 5\n")
    with pytest.raises(AprError) as stopped:
        build(proj, monkeypatch)
    assert "finance.decimals" in str(stopped.value) and "from 0 to 2" in str(stopped.value)

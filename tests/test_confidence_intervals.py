"""95% confidence intervals of the survey indicators: read in every layout and spelling, checked
cell by cell, used for the comparison with Scotland, and shown beside the latest figure in the
Word and HTML reports that apr really writes (docs/indicators.md, "Confidence intervals")."""
from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path

import pytest

from apr.analysis.indicators import analyse_indicators
from apr.batch.synthetic import _indicator_row
from apr.config import ReportingYear, load_config
from apr.findings import AprError
from apr.model import IndicatorValue, Source
from apr.sources import read_sources
from tests.conftest import REPO, SAMPLE
from tests.report_helpers import build, build_once, edit, html_table, project, row, word_table
from tests.test_indicators_phs import DASH, MI, dash_rows, mi_row
from tests.test_indicators_phs import project as phs_project

Y = ReportingYear(2023)
FILE = "data/indicators.csv"


def write_indicators(root: Path, header: list[str], rows: list[list]) -> None:
    with open(root / FILE, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([header] + rows)


def read(root: Path):
    inputs, findings = read_sources(load_config(root), Y)
    return {(v.code, v.period): v for v in inputs.indicators}, findings


def errors_of(root: Path):
    with pytest.raises(AprError) as err:
        read_sources(load_config(root), Y)
    return err.value.findings


# --- reading ------------------------------------------------------------------------------------

def test_sample_survey_indicators_carry_their_intervals():
    ours, findings = read(SAMPLE)
    assert ours[("NI-1", "2023/24")].interval == (90.0, 92.4)
    assert ours[("NI-6", "2023/24")].interval == (69.0, 71.8)
    assert ours[("NI-12", "2023")].interval is None       # not a survey indicator: no interval
    assert not [f for f in findings if "interval" in f.code]


@pytest.mark.parametrize("lower, upper", [
    ("lower_ci", "upper_ci"), ("Lower CI", "Upper CI"), ("LowerCI", "UpperCI"),
    ("Lower 95% CI", "Upper 95% CI"), ("CI_lower", "CI_upper"), ("LCL", "UCL")])
def test_apr_layout_accepts_the_usual_spellings(tmp_path, lower, upper):
    root = project(tmp_path)
    write_indicators(root, ["indicator", "period", "value", "scotland", lower, upper],
                     [["NI-1", "2023/24", "91.2", "90.7", "89.8", "92.6"]])
    ours, findings = read(root)
    assert ours[("NI-1", "2023/24")].interval == (89.8, 92.6)
    assert "data.extra_column" not in [f.code for f in findings]


def test_mi_workbook_lower_ci_and_upper_ci_are_read(tmp_path):
    ours = mi_row("2023/24", "Fife", "NI1", "91.2")
    ours[-2:] = ["89.8", "92.6"]
    root = phs_project(tmp_path, MI, [ours, mi_row("2023/24", "Scotland", "NI1", "90.7")])
    values, _ = read(root)
    assert values[("NI-1", "2023/24")].interval == (89.8, 92.6)
    assert values[("NI-1", "2023/24")].scotland == 90.7


def partnership_rows() -> list[list]:
    """Return the dashboard rows of test_indicators_phs without its locality row."""
    return [r for r in dash_rows() if r[4] == "All"]


def test_dashboard_upperci_and_lowerci_are_read(tmp_path):
    root = phs_project(tmp_path, DASH, partnership_rows())
    values, _ = read(root)
    assert values[("NI-1", "2023/24")].interval == (90.0, 92.0)    # UpperCI 92, LowerCI 90


def test_every_bad_limit_is_reported_at_once_with_file_row_and_column(tmp_path):
    root = project(tmp_path)
    write_indicators(root, ["indicator", "period", "value", "scotland", "Lower CI", "Upper CI"], [
        ["NI-1", "2023/24", "91.2", "90.7", "abc", "92.6"],        # row 2: not a number
        ["NI-2", "2023/24", "71.1", "72.4", "71.5", "73.0"],       # row 3: lower above value
        ["NI-3", "2023/24", "60.8", "59.6", "58.0", "0.62"],       # row 4: upper below value
        ["NI-4", "2023/24", "62.7", "61.4", "60.1", ""],           # row 5: one limit only
        ["NI-5", "2023/24", "c", "70.0", "c", "c"],                # suppressed: no finding
    ])
    found = errors_of(root)
    where = [(f.code, f.severity, f.location.file.endswith(FILE), f.location.row,
              f.location.column) for f in found]
    assert where == [
        ("indicators.bad_interval", "error", True, 2, "Lower CI"),
        ("indicators.bad_interval", "error", True, 3, "Lower CI"),
        ("indicators.bad_interval", "error", True, 4, "Upper CI"),
        ("indicators.incomplete_interval", "warning", True, 5, "Upper CI"),
    ]
    messages = [f.message for f in found]
    assert messages[0] == ("expected a number for the lower 95% confidence limit of NI-1 2023/24 "
                           "in 'Lower CI', found 'abc'; type the number as published, or leave "
                           "both limits empty where there is no interval")
    assert messages[1].startswith("expected the lower 95% confidence limit of NI-2 2023/24 to be "
                                  "no more than the value 71.1, found 71.5; check that the lower "
                                  "and upper columns are not swapped")
    assert "no less than the value 60.8, found 0.62" in messages[2]
    assert "percentages, not proportions" in messages[2]
    assert messages[3].startswith("NI-4 2023/24 has a lower 95% confidence limit but no upper "
                                  "one; the interval was ignored")
    assert str(found[0]).endswith("[indicators.bad_interval]") and ":2: column 'Lower CI'" in \
        str(found[0])


def test_a_bad_limit_in_a_phs_dashboard_names_the_phs_column(tmp_path):
    rows = partnership_rows()
    rows[3][-2:] = [90, 92]           # UpperCI 90 below the value 91.0, LowerCI 92 above it
    found = errors_of(phs_project(tmp_path, DASH, rows))
    bad = [(f.location.row, f.location.column) for f in found
           if f.code == "indicators.bad_interval"]
    assert bad == [(5, "LowerCI"), (5, "UpperCI")]


def test_one_limit_only_is_a_warning_and_the_margin_rule_is_used(tmp_path, monkeypatch):
    root = project(tmp_path)
    edit(root / FILE, "NI-6,2023/24,70.4,68.5,,,,,69.0,71.8", "NI-6,2023/24,70.4,68.5,,,,,69.0,")
    built = build(root, monkeypatch, formats=("html",))
    assert "indicators.incomplete_interval" in built.codes()
    r = next(r for r in built.result.analysis.indicators if r.code == "NI-6")
    assert (r.vs_scotland, r.scotland_rule, r.interval) == ("similar", "margin", None)


# --- the comparison with Scotland ---------------------------------------------------------------

def v(code, start, value, scot, lower=None, upper=None):
    return IndicatorValue(code, start, False, value, scot, None, None, "", Source("t.csv", 2),
                          lower=lower, upper=upper)


def judge(*values):
    return {r.code: r for r in analyse_indicators(list(values), Y, 2016, 5.0, {})}


@pytest.mark.parametrize("value, scot, lower, upper, vs, rule", [
    (70.4, 68.5, 69.0, 71.8, "better", "interval"),   # within 5% but outside the interval
    (70.4, 68.5, None, None, "similar", "margin"),    # the same figures without an interval
    (60.0, 64.0, 57.0, 64.5, "similar", "interval"),  # 6% below Scotland, inside the interval
    (60.0, 64.0, None, None, "worse", "margin"),
    (60.0, 64.0, 58.0, 62.0, "worse", "interval"),
    (60.0, 62.0, 58.0, 62.0, "similar", "interval"),  # a limit counts as inside
])
def test_scotland_inside_the_interval_is_similar_outside_is_better_or_worse(
        value, scot, lower, upper, vs, rule):
    r = judge(v("NI-6", 2023, value, scot, lower, upper))["NI-6"]
    assert (r.vs_scotland, r.scotland_rule) == (vs, rule)


def test_the_interval_rule_follows_the_indicators_polarity():
    # NI-9: higher is better, Scotland above the interval; NI-12 (limits given anyway): lower
    # is better, Scotland above the interval
    r = judge(v("NI-9", 2023, 74.0, 76.5, 71.8, 76.2), v("NI-12", 2023, 10000.0, 11000.0,
                                                         9500.0, 10500.0))
    assert r["NI-9"].vs_scotland == "worse"
    assert r["NI-12"].vs_scotland == "better"       # lower is better, Scotland above the interval


def test_sentences_name_the_interval_and_the_rule():
    r = judge(v("NI-1", 2023, 91.2, 90.7, 90.0, 92.4), v("NI-6", 2023, 70.4, 68.5, 69.0, 71.8),
              v("NI-9", 2023, 74.0, 72.7))
    assert r["NI-1"].sentence.endswith(
        "The 95% confidence interval (90.0% to 92.4%) includes the Scotland figure of 90.7%, so "
        "the difference from Scotland is not statistically significant.")
    assert r["NI-6"].sentence.endswith(
        "This is above the Scotland figure of 68.5%, which is better: Scotland's figure lies "
        "outside the 95% confidence interval (69.0% to 71.8%), so the difference is "
        "statistically significant.")
    assert r["NI-9"].sentence.endswith("This is close to the Scotland figure of 72.7%.")


# --- what apr writes ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """The sample report in Word and HTML, reopened (charts stubbed: not the concern here)."""
    yield from build_once(tmp_path_factory, "ci")


def caption_of(report, code: str) -> str:
    r = next(r for r in report.result.analysis.indicators if r.code == code)
    return f"Indicators for outcome {r.main_outcome}:"


@pytest.mark.parametrize("where", ["html", "docx"])
def test_latest_figure_shows_its_interval_and_earlier_years_do_not(report, where):
    rows = (html_table(report.page, caption_of(report, "NI-6")) if where == "html" else
            word_table(report.word, caption_of(report, "NI-6")))
    header, ni6 = rows[0], row(rows, "NI-6 ")
    cells = dict(zip(header, ni6))
    assert cells["2023/24"] == "70.4% (69.0% to 71.8%)"
    assert cells["2021/22"] == "69.2%"                         # earlier years: the value only
    assert cells["Compared with Scotland"] == "✓ Better than Scotland"
    ni12 = dict(zip(header, row(rows, "NI-12 "))) if any(r[0].startswith("NI-12 ")
                                                         for r in rows) else None
    if ni12:
        assert " to " not in ni12["2023/24"]
    assert "–" not in cells["2023/24"] and "-" not in cells["2023/24"]   # "to", never a dash


@pytest.mark.parametrize("where", ["html", "docx"])
def test_table_notes_explain_the_interval_and_say_which_rule_was_used(report, where):
    text = report.text if where == "html" else report.word_text
    assert "The 95% confidence interval is the range in brackets after the latest figure, " \
           "such as (90.0% to 92.4%) for NI-1. The survey asks only a sample of people" in text
    assert "are judged by their 95% confidence interval, similar (≈) when the Scotland figure " \
           "lies inside the interval" in text
    assert "have no interval: figures within 5% of Scotland count as similar (≈)" in text


def test_sentence_in_the_report_names_the_interval(report):
    assert ("Scotland's figure lies outside the 95% confidence interval (69.0% to 71.8%), so "
            "the difference is statistically significant") in report.text
    assert "includes the Scotland figure of 90.7%" in report.word_text


def test_without_intervals_the_notes_keep_the_margin_rule_alone(tmp_path, monkeypatch):
    root = project(tmp_path)
    text = (root / FILE).read_text(encoding="utf-8")
    (root / FILE).write_text(text.replace(",lower_ci,upper_ci", ""), encoding="utf-8")
    built = build(root, monkeypatch, formats=("html",))
    assert "95% confidence interval" not in built.text
    assert "Figures within 5% of Scotland count as similar (≈)" in built.text
    assert "(90.0% to 92.4%)" not in built.text


# --- the sample data and the synthetic national set ---------------------------------------------

def test_sample_generator_reproduces_the_sample_data_byte_for_byte(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("make_sample_data",
                                                  REPO / "scripts" / "make_sample_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "DATA", tmp_path)
    monkeypatch.setattr(module, "ROOT", tmp_path.parent)
    monkeypatch.setattr(sys, "argv", ["make_sample_data.py"])
    module.main()
    written = sorted(p.name for p in tmp_path.glob("*.csv"))
    assert "indicators.csv" in written
    for name in written:
        assert (tmp_path / name).read_bytes() == (SAMPLE / "data" / name).read_bytes(), name


def test_sample_intervals_are_plausible():
    with open(SAMPLE / FILE, newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["lower_ci"]]
    assert {r["indicator"] for r in rows} == {f"NI-{n}" for n in range(1, 10)}
    for r in rows:
        value, lower, upper = float(r["value"]), float(r["lower_ci"]), float(r["upper_ci"])
        assert 1.0 <= value - lower <= 3.0 and 1.0 <= upper - value <= 3.0


@pytest.mark.parametrize("code", ["S37000001", "S37000019", "S37000032"])
def test_synthetic_partnerships_keep_their_value_inside_the_interval(code):
    with open(SAMPLE / FILE, newline="", encoding="utf-8") as fh:
        rows = [_indicator_row(r, code) for r in csv.DictReader(fh) if r["lower_ci"]]
    for r in rows:
        assert float(r["lower_ci"]) <= float(r["value"]) <= float(r["upper_ci"])

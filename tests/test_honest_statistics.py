"""Honest statistics (issue 17, items 1 to 4): publication lags, the significance of survey
changes, like-for-like periods for calendar-year stand-ins, and one rule for what counts.

Small scenarios are built in code; the folder scenarios are copies of the sample, changed, built
and reopened (Word with python-docx, HTML parsed), and `apr check` run on them."""
from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

from apr import pipeline
from apr.analysis import analyse
from apr.analysis.indicators import Z95, analyse_indicators, counts_as_current, current
from apr.catalogue import indicators
from apr.cli import main
from apr.config import ReportingYear, load_config
from apr.model import IndicatorValue, Source
from apr.sources import read_sources
from tests.report_helpers import build, html_table, html_visible_text, project, rewrite_csv, \
    row, word_table

Y = ReportingYear(2023)
SAMPLE = Path(__file__).resolve().parents[1] / "sample_inputs"
NOT_SIGNIFICANT = ("; the change is within what sampling in the survey could cause, so it is not "
                   "statistically significant")


def v(code, start, value, scot=None, calendar=False, lower=None, upper=None):
    return IndicatorValue(code, start, calendar, value, scot, None, None, "", Source("t.csv", 2),
                          None, None, lower, upper)


def run(values):
    return {r.code: r for r in analyse_indicators(values, Y, 2016, 5.0, {})}


def z(old, new):
    """The z statistic of the documented method, from the two 95% intervals."""
    se = [(u - lo) / (2 * 1.96) for lo, u in (old[1:], new[1:])]
    return (new[0] - old[0]) / math.sqrt(se[0] ** 2 + se[1] ** 2)


# --- 1. publication lags ----------------------------------------------------------------------

def test_a_lagged_period_is_not_yet_published_and_the_sentence_says_which_is_latest():
    values = [v("NI-11", y, 400.0 + y - 2018, 430.0, calendar=True) for y in range(2018, 2023)]
    r = run(values)["NI-11"]
    assert indicators()["NI-11"].lag == 1
    assert [c.note for c in r.cells] == [""] * 5 + ["not yet published (latest: 2022)"]
    assert r.latest.period == "2022" and r.previous.period == "2021"
    assert r.sentence.startswith("Premature mortality rose by 0.2% to 404 deaths per 100,000 "
                                 "population aged under 75 (European age-standardised) in "
                                 "calendar year 2022, from 403 in 2021; calendar year 2022 is "
                                 "the latest period Public Health Scotland has published.")
    assert indicators()["NI-11"].lag_note in r.notes


def test_only_the_lag_is_excused_an_older_gap_is_still_missing():
    values = [v("NI-11", y, 400.0, 430.0, calendar=True) for y in range(2018, 2022)]
    r = run(values)["NI-11"]
    assert [c.note for c in r.cells[-2:]] == ["not available",
                                              "not yet published (latest: 2021)"]
    # an indicator without a lag is simply missing in the reporting year
    r19 = run([v("NI-19", y, 800.0, 850.0) for y in range(2018, 2023)])["NI-19"]
    assert r19.cells[-1].note == "not available"


def _drop_ni11(years):
    def change(r):
        return None if r["indicator"] == "NI-11" and r["period"] in years else r
    return change


def _check(project_dir: Path):
    result = pipeline.check(project_dir, 2023)
    return {r.id: r for r in result.requirements}


def test_apr_check_accepts_the_lagged_year_and_the_table_names_the_latest(tmp_path, monkeypatch):
    proj = project(tmp_path)
    rewrite_csv(proj / "data" / "indicators.csv", _drop_ni11({"2023"}))
    req = _check(proj)["reg3.a.iii"]
    assert req.status == "met", req.detail
    built = build(proj, monkeypatch)
    for rows in (html_table(built.page, "Core integration indicators"),
                 word_table(built.word, "Core integration indicators")):
        ni11 = row(rows, "NI-11")
        assert "not yet published (latest: 2022)" in ni11
    assert ("in calendar year 2022, from 447 in 2021; calendar year 2022 is the latest period "
            "Public Health Scotland has published.") in built.text


def test_apr_check_still_reports_a_year_missing_beyond_the_lag(tmp_path):
    proj = project(tmp_path)
    rewrite_csv(proj / "data" / "indicators.csv", _drop_ni11({"2022", "2023"}))
    req = _check(proj)["reg3.a.iii"]
    assert req.status == "missing"
    assert req.detail == ("no value and no reason for NI-11 2022/23: add the figures to "
                          "data/indicators")


# --- 2. significance of survey changes ----------------------------------------------------------

@pytest.mark.parametrize("old,new", [
    ((91.8, 90.6, 93.0), (91.2, 90.0, 92.4)),     # the fall of 0.6 points
    ((28.4, 25.6, 31.2), (32.0, 29.2, 34.8)),     # 3.6 points, still inside sampling error
])
def test_a_change_inside_sampling_error_is_no_significant_change(old, new):
    r = run([v("NI-8", 2021, old[0], 30.0, lower=old[1], upper=old[2]),
             v("NI-8", 2023, new[0], 31.0, lower=new[1], upper=new[2])])["NI-8"]
    assert abs(z(old, new)) <= Z95
    assert r.direction == "no significant change" and r.z == pytest.approx(z(old, new))
    arrow = "▲" if new[0] > old[0] else "▼"
    assert r.trend_text == f"{arrow} No significant change since 2021/22"
    assert NOT_SIGNIFICANT in r.sentence
    assert ("The change since the previous survey is within what could arise from sampling "
            "(judged on the 95% confidence intervals of both years), so it is not statistically "
            "significant.") in r.notes


def test_a_change_outside_sampling_error_keeps_its_direction():
    old, new = (28.4, 25.6, 31.2), (32.6, 29.8, 35.4)
    r = run([v("NI-8", 2021, old[0], 30.0, lower=old[1], upper=old[2]),
             v("NI-8", 2023, new[0], 31.0, lower=new[1], upper=new[2])])["NI-8"]
    assert abs(z(old, new)) > Z95
    assert r.direction == "improved" and r.trend_text == "▲ Improved since 2021/22"
    assert NOT_SIGNIFICANT not in r.sentence


def test_a_survey_change_without_intervals_is_not_tested_and_not_judged():
    r = run([v("NI-6", 2021, 69.2, 68.0), v("NI-6", 2023, 66.0, 68.5)])["NI-6"]
    assert r.direction == "not tested" and r.z is None
    assert r.trend_text == "▼ Fell since 2021/22, not tested for significance"
    assert r.sentence.startswith("Positive GP experience fell by 3.2 percentage points to 66.0% "
                                 "in 2023/24, from 69.2% in 2021/22; whether this change is "
                                 "statistically significant was not tested, as the survey's "
                                 "confidence intervals were not given for both years.")


def test_a_non_survey_change_is_judged_as_before():
    r = run([v("NI-19", 2022, 948.0, 900.0), v("NI-19", 2023, 861.0, 902.0)])["NI-19"]
    assert r.direction == "improved" and r.z is None


@pytest.fixture(scope="module")
def sample_summary(tmp_path_factory):
    """The sample's report (Word, HTML) and summary (HTML), built once."""
    root = tmp_path_factory.mktemp("honest")
    proj = root / "proj"
    shutil.copytree(SAMPLE, proj, ignore=shutil.ignore_patterns("output"))
    for extra in ([], ["--summary"]):
        result = CliRunner().invoke(main, ["build", "--project", str(proj), "--year", "2023",
                                           "--format", "docx,html", *extra])
        assert result.exit_code == 0, result.output
    return proj


def _sample_results(proj: Path):
    config = load_config(proj)
    inputs, _ = read_sources(config, Y)
    return analyse(inputs)


def test_the_sample_shows_no_significant_change_in_word_and_html(sample_summary):
    out = sample_summary / "output"
    page = lxml_html.fromstring(next(out.glob("*-apr-2023-24.html")).read_bytes())
    word = docx.Document(str(next(out.glob("*-apr-2023-24.docx"))))
    results = {r.code: r for r in _sample_results(sample_summary).indicators}
    assert results["NI-1"].direction == "no significant change"
    for rows in (html_table(page, "Core integration indicators"),
                 word_table(word, "Core integration indicators")):
        assert "▼ No significant change since 2021/22" in row(rows, "NI-1")


def test_the_summary_does_not_list_a_change_that_is_not_significant(sample_summary):
    text = " ".join(html_visible_text(
        next((sample_summary / "output").glob("*summary*.html"))).split())
    worse = text.split("Where things got worse")[1].split("Our money")[0]
    results = {r.code: r for r in _sample_results(sample_summary).indicators}
    assert results["NI-1"].sentence not in worse
    assert "Able to look after own health" not in worse
    page = lxml_html.fromstring(
        next((sample_summary / "output").glob("*summary*.html")).read_bytes())
    table = html_table(page, "Headline indicators")
    ni6 = row(table, "NI-6")
    assert ni6[-1] == "No significant change"


# --- 3. like-for-like periods ---------------------------------------------------------------

def test_a_calendar_stand_in_is_trended_against_the_previous_calendar_year():
    r = run([v("NI-12", 2022, 10870.0, 11155.0), v("NI-12", 2022, 10950.0, 11290.0, True),
             v("NI-12", 2023, 11240.0, 11707.0, True)])["NI-12"]
    assert r.comparison == "like for like"
    assert r.previous.value.calendar and r.previous.period == "2022"
    assert r.change == pytest.approx(11240.0 - 10950.0)
    assert r.trend_text == "▲ Worsened since CY 2022"
    assert ("from 10,950 in calendar year 2022. This is close to the Scotland figure of 11,707."
            in r.sentence)
    assert ("The trend compares calendar year 2023 with calendar year 2022, like for like."
            in r.notes)
    # the table still shows the financial year in its own column
    assert r.cells[-2].value.calendar is False and r.cells[-2].number == 10870.0


def test_mismatched_periods_only_give_an_indicative_trend():
    r = run([v("NI-14", 2022, 99.8, 101.9), v("NI-14", 2023, 101.3, 102.5, True)])["NI-14"]
    assert r.comparison == "indicative"
    assert r.trend_text == "▲ Worsened since 2022/23 (indicative: different periods)"
    assert ("from 99.8 in financial year 2022/23 (a different kind of period, so the comparison "
            "is only indicative)") in r.sentence
    assert ("The trend compares calendar year 2023 with financial year 2022/23: the periods "
            "differ, so it is indicative only.") in r.notes


# --- 4. one rule for what counts --------------------------------------------------------------

def test_frozen_and_local_indicators_never_count():
    assert not counts_as_current(run([v("NI-20", 2019, 23.4, 24.2)])["NI-20"])
    r12 = run([v("NI-12", 2023, 11240.0, 11707.0)])["NI-12"]
    assert counts_as_current(r12)


def test_summary_at_a_glance_best_value_and_check_count_the_same(sample_summary):
    analysis = _sample_results(sample_summary)
    counted = [r for r in current(analysis.indicators)
               if r.vs_scotland in ("better", "worse", "similar")]
    ni20 = next(r for r in analysis.indicators if r.code == "NI-20")
    assert ni20.vs_scotland in ("better", "worse", "similar")   # it has a 2019/20 comparison
    assert ni20 not in counted
    out = sample_summary / "output"
    summary = " ".join(html_visible_text(next(out.glob("*summary*.html"))).split())
    m = re.search(r"Of the core integration indicators with a current figure, (\d+|none) "
                  r"(?:was|were) better than Scotland, (\d+|none) worse and (\d+|none) "
                  r"similar\.", summary)
    assert m and sum(0 if g == "none" else int(g) for g in m.groups()) == len(counted)
    assert sum(analysis.benchmark.values()) == len(counted)
    detail = _check(sample_summary)["reg3.a.ii"].detail
    assert detail == f"{len(counted)} indicators with a current figure"

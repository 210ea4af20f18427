"""One named scenario per indicator rule (docs/indicators.md), on the analysis and the tables."""
from __future__ import annotations

from pathlib import Path

import re

import pytest

from apr.analysis import analyse
from apr.analysis.indicators import analyse_indicators, locality_figures
from apr.config import ReportingYear, load_config
from apr.document.indicator_tables import cell_text, indicator_tables
from apr.model import IndicatorValue, Source
from apr.sources import read_sources
from apr.sources.values import SUPPRESSED

SAMPLE = Path(__file__).resolve().parents[1] / "sample_inputs"
Y = ReportingYear(2023)


def v(code, start, value, scot=None, calendar=False, q="", loc=None, num=None):
    return IndicatorValue(code, start, calendar, value, scot, num, None, q, Source("t.csv", 2),
                          loc)


def run(values, config=None):
    return {r.code: r for r in analyse_indicators(values, Y, 2016, 5.0, {}, config)}


def test_biennial_survey_shows_only_survey_years_and_never_forward_fills():
    r = run([v("NI-1", 2021, 91.8, 90.9), v("NI-1", 2023, 91.2, 90.7)])["NI-1"]
    assert [c.note or c.number for c in r.cells] == [
        "survey not run", "not available", "survey not run", 91.8, "survey not run", 91.2]
    # a survey change without confidence intervals is shown but not judged (not tested)
    assert r.previous.period == "2021/22" and r.direction == "not tested"


def test_calendar_year_stands_in_and_is_named():
    r = run([v("NI-12", 2022, 10870.0, 11155.0), v("NI-12", 2023, 11240.0, 11707.0, True)])[
        "NI-12"]
    assert r.latest.standin and cell_text(r, r.latest) == "11,240 (CY 2023)"
    assert "calendar year 2023 (used in place of 2023/24)" in r.sentence
    # without calendar 2022 the stand-in is compared with the overlapping financial year
    assert r.comparison == "indicative" and r.direction == "worsened"
    assert r.trend_text == "▲ Worsened since 2022/23 (indicative: different periods)"


def test_series_break_gives_no_trend_arrow_and_a_note():
    r = run([v("NI-2", 2021, 79.6, 78.8), v("NI-2", 2023, 71.1, 72.4)])["NI-2"]
    assert r.direction == "not comparable" and "▲" not in r.trend_text and "▼" not in r.trend_text
    assert any("not comparable" in n for n in r.notes)
    assert "cannot be compared" in r.sentence and "fell" not in r.sentence


def test_break_qualifier_b_breaks_a_series_too():
    r = run([v("NI-17", 2022, 73.7), v("NI-17", 2023, 79.4, q="b")])["NI-17"]
    assert r.direction == "not comparable" and cell_text(r, r.latest).endswith("[b]")


def test_not_reported_indicator_has_a_row_with_the_reason():
    config = load_config(SAMPLE)
    inputs, _ = read_sources(config, Y)
    tables = indicator_tables(analyse(inputs), config)
    rows = tables["indicators.outcome-8"].rows
    assert rows[0][0].text.startswith("NI-10") and "Not available nationally" in \
        [c.text for c in rows[0]]
    assert any("Not reported nationally" in n for n in tables["indicators.outcome-8"].notes)


def test_frozen_indicator_is_not_given_a_current_trend():
    r = run([v("NI-20", 2018, 22.8, 24.0), v("NI-20", 2019, 23.4, 24.2),
             v("NI-20", 2022, 25.0)])["NI-20"]
    assert r.latest.period == "2019/20" and r.direction == "not updated"
    assert r.cells[-1].note == "not updated since 2019/20"


@pytest.mark.parametrize("code,old,new,direction,vs", [
    ("NI-12", 11000.0, 10000.0, "improved", "better"),     # lower is better
    ("NI-12", 10000.0, 13000.0, "worsened", "worse"),
    ("NI-18", 60.0, 70.0, "improved", "better"),           # higher is better
    ("NI-18", 70.0, 60.0, "worsened", "worse"),
])
def test_polarity_decides_improved_and_better(code, old, new, direction, vs):
    cal = code == "NI-18"
    r = run([v(code, 2022, old, 11500.0 if not cal else 65.0, cal),
             v(code, 2023, new, 11500.0 if not cal else 65.0, cal)])[code]
    assert (r.direction, r.vs_scotland) == (direction, vs)
    assert r.scotland_text.split()[0] in ("✓", "✗")


def test_small_locality_counts_are_suppressed_with_secondary_suppression():
    values = [v("NI-16", 2023, 24.8, num=201.0, loc="A", calendar=True),
              v("NI-16", 2023, 3.1, num=6.0, loc="B", calendar=True),
              v("NI-16", 2023, 18.2, num=124.0, loc="C", calendar=True),
              v("NI-16", 2023, 0.0, num=0.0, loc="D", calendar=True)]
    figs = {f.locality: f for f in locality_figures(values, 10)}
    assert figs["B"].suppressed == "primary" and figs["B"].value is SUPPRESSED
    assert figs["D"].suppressed == "" and figs["D"].count == 0.0      # zeros are shown
    assert figs["C"].suppressed == "secondary"                        # next smallest
    assert figs["A"].suppressed == ""


def test_sample_locality_table_marks_c_and_explains():
    config = load_config(SAMPLE)
    inputs, _ = read_sources(config, Y)
    table = indicator_tables(analyse(inputs), config)["localities.indicators"]
    l1 = [[c.text for c in row] for row in table.rows if row[0].text.startswith("L-1")][0]
    assert l1[3:] == ["21", "c", "19", "c"]
    assert any("secondary suppression" in n for n in table.notes)


def test_every_indicator_table_names_the_data_vintage():
    """Each table names the release in its source; the note that figures are revised is said
    once for the outcome tables (in their key) and under each of the other tables."""
    config = load_config(SAMPLE)
    inputs, _ = read_sources(config, Y)
    for name, table in indicator_tables(analyse(inputs), config).items():
        if name.startswith("indicators.") and name != "indicators.not-reported":
            assert config.data_vintage in table.source, name
            revised = any("Data vintage: Public Health Scotland" in n for n in table.notes)
            assert revised == (not name.startswith("indicators.outcome-")), name


def test_local_indicator_sits_under_its_main_outcome_and_is_cross_referenced():
    config = load_config(SAMPLE)
    inputs, _ = read_sources(config, Y)
    tables = indicator_tables(analyse(inputs), config)
    assert any(r[0].text.startswith("L-1") for r in tables["indicators.outcome-2"].rows)
    assert any("L-1" in n and "see outcome 2" in n for n in tables["indicators.outcome-9"].notes)


def test_unknown_peer_group_name_is_an_error_with_a_suggestion(tmp_path):
    import shutil

    from apr.config import load_config
    from apr.findings import AprError
    project = tmp_path / "p"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("output", ".apr-cache"))
    toml = project / "apr.toml"
    text = re.sub(r"^peer_group = .*$", 'peer_group = ["Angus", "Morey"]',
                  toml.read_text(encoding="utf-8"), flags=re.M)
    toml.write_text(text, encoding="utf-8")
    with pytest.raises(AprError) as caught:
        load_config(project)
    messages = [str(f) for f in caught.value.findings]
    assert len(messages) == 1
    assert "'Morey', which is not one of the 31 partnerships (did you mean 'Moray'?)" in messages[0]
    assert "[config.unknown_peer]" in messages[0]

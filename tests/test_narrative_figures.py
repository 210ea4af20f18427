"""Figures in the narrative agree with the data: [[...]] citations and typed figures checked.

See docs/narrative-figures.md.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from apr import formatting as fmt
from apr import pipeline
from apr.catalogue import indicators
from apr.config import display_path
from apr.findings import AprError
from tests.report_helpers import build, docx_texts, edit, project


def indicator_row(proj: Path, code: str, period: str) -> dict:
    with open(proj / "data" / "indicators.csv", newline="", encoding="utf-8") as fh:
        return next(r for r in csv.DictReader(fh)
                    if r["indicator"] == code and r["period"] == period and not r["locality"])


def year_total(proj: Path, table: str, column: str) -> float:
    with open(proj / "data" / f"{table}.csv", newline="", encoding="utf-8") as fh:
        return sum(float(r[column].strip("()")) * (-1 if r[column].startswith("(") else 1)
                   for r in csv.DictReader(fh) if r["year"] == "2023/24")


def population(proj: Path, locality: str) -> float:
    with open(proj / "data" / "localities.csv", newline="", encoding="utf-8") as fh:
        return next(float(r["population"]) for r in csv.DictReader(fh)
                    if r["locality"] == locality and r["year"] == "2023/24")


def shown(proj: Path, relative: str) -> str:
    return display_path(proj / relative)


def mismatches(proj: Path) -> list[str]:
    result = pipeline.check(proj, 2023)
    return [f"{f.location}: {f.message}" for f in result.findings
            if f.code == "narrative.figure_mismatch"]


# --- the sample ------------------------------------------------------------------------------

def test_the_samples_narrative_has_no_figure_that_contradicts_the_data(tmp_path):
    assert mismatches(project(tmp_path)) == []


def test_the_sample_cites_figures_and_they_read_as_typed_ones_did(tmp_path, monkeypatch):
    proj = project(tmp_path)
    text = (proj / "content" / "outcomes" / "outcome-1.md").read_text(encoding="utf-8")
    assert "[[NI-1 latest]] of adults" in text and "[[NI-1 scotland]]" in text
    row = indicator_row(proj, "NI-1", "2023/24")
    ni1 = indicators()["NI-1"]
    latest, scotland = (fmt.indicator_value(ni1, float(row[c])) for c in ("value", "scotland"))
    built = build(proj, monkeypatch)
    sentence = (f"In the 2023/24 Health and Care Experience survey, {latest} of adults in "
                "Strathlinn said they could look after their own health very or quite well, "
                f"slightly above the Scottish figure of {scotland}.")
    assert sentence in built.text
    assert any(sentence in p for p in docx_texts(built.result.outputs[0].with_suffix(".docx")))
    assert "[[" not in built.text and "[[" not in built.word_text


# --- citations -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cited(tmp_path_factory):
    proj = project(tmp_path_factory.mktemp("cited"))
    edit(proj / "content" / "finance.md", "## Savings",
         "Figures: [[finance budget]]; [[Finance  Total Spend]]; [[finance variance]]; "
         "[[NI-12 latest]]; [[reserves closing]]; [[locality Upper Strathlinn population]].\n\n"
         "## Savings")
    mp = pytest.MonkeyPatch()
    try:
        yield proj, build(proj, mp)
    finally:
        mp.undo()


def expected_figures(proj: Path) -> str:
    budget, spend = year_total(proj, "finance", "budget"), year_total(proj, "finance", "outturn")
    ni12 = indicators()["NI-12"]
    rate = fmt.indicator_value(ni12, float(indicator_row(proj, "NI-12", "2023")["value"]))
    over = fmt.money_words(spend - budget)
    return (f"Figures: {fmt.money_words(budget)}; {fmt.money_words(spend)}; an overspend of "
            f"{over}; {rate}; {fmt.money_words(year_total(proj, 'reserves', 'closing'))}; "
            f"{fmt.number(population(proj, 'Upper Strathlinn'))}.")


def test_citations_are_written_in_the_reports_number_style_in_html(cited):
    proj, built = cited
    assert expected_figures(proj) in built.text


def test_citations_are_written_in_the_reports_number_style_in_word(cited):
    proj, built = cited
    assert expected_figures(proj) in built.word_text


def test_an_unknown_citation_is_an_error_at_its_file_and_line_with_the_nearest_name(tmp_path):
    proj = project(tmp_path)
    edit(proj / "content" / "best_value.md", "## Benchmarking",
         "The budget was [[finance budgt]] and [[NI-99 latest]].\n\n## Benchmarking")
    with pytest.raises(AprError) as caught:
        pipeline.check(proj, 2023)
    found = [str(f) for f in caught.value.findings if f.code == "narrative.unknown_figure"]
    file = shown(proj, "content/best_value.md")
    assert found == [
        (f"{file}:11: error: there is no figure called [[finance budgt]] (did you mean "
        "[[finance budget]]?); the names are listed in docs/narrative-figures.md "
        "[narrative.unknown_figure]"),
        (f"{file}:11: error: there is no figure called [[NI-99 latest]] (did you mean "
        "[[NI-9 latest]]?); the names are listed in docs/narrative-figures.md "
        "[narrative.unknown_figure]")]


def test_a_cited_figure_the_data_lack_is_a_marker_naming_the_data_file(tmp_path, monkeypatch):
    proj = project(tmp_path)
    (proj / "data" / "savings.csv").unlink()
    edit(proj / "content" / "best_value.md", "The savings programme delivered £5.1 million",
         "The savings programme delivered [[savings achieved]]")
    built = build(proj, monkeypatch)
    marker = "To be completed: the savings achieved, from data/savings.csv"
    assert f"delivered {marker}, described in the finance section" in built.text
    assert any(marker in p for p in docx_texts(built.result.outputs[0].with_suffix(".docx")))
    found = [str(f) for f in built.result.findings if f.code == "placeholder.cited_figure"]
    assert found == [
        (f"{shown(proj, 'data/savings.csv')}: warning: to be completed: the savings "
        "achieved, from data/savings.csv; add it to this file, or write the figure in the "
        "narrative instead of [[...]] [placeholder.cited_figure]")]


# --- typed figures ---------------------------------------------------------------------------

def test_typed_figures_that_contradict_the_data_are_each_flagged_with_both(tmp_path):
    proj = project(tmp_path)
    content = proj / "content"
    edit(content / "finance.md", "was **£309.8 million**", "was **£320 million**")
    edit(content / "outcomes" / "outcome-7.md", "74.0% of adults supported at home",
         "78.0% of adults supported at home")
    edit(content / "localities" / "upper-strathlinn.md", "about 31,600 residents",
         "about 34,600 residents")
    edit(content / "best_value.md", "programme delivered £5.1 million",
         "programme delivered £5.6 million")
    ni9 = indicators()["NI-9"]
    felt_safe = fmt.indicator_value(ni9, float(indicator_row(proj, "NI-9", "2023/24")["value"]))
    budget = fmt.money_words(year_total(proj, "finance", "budget"))
    saved = fmt.money_words(year_total(proj, "savings", "achieved"))
    people = fmt.number(population(proj, "Upper Strathlinn"))
    assert mismatches(proj) == [
        (f"{shown(proj, 'content/best_value.md')}:9: the total of savings achieved is written as "
        f"£5.6 million; the savings table gives {saved}. Correct the figure, or write "
        "[[savings achieved]] to take it from the data"),
        (f"{shown(proj, 'content/finance.md')}:5: the budget is written as £320 million; the "
        f"finance table gives {budget}. Correct the figure, or write [[finance budget]] to "
        "take it from the data"),
        (f"{shown(proj, 'content/localities/upper-strathlinn.md')}:3: the population of Upper "
        f"Strathlinn is written as 34,600; the localities table gives {people}. Correct the "
        "figure, or write [[locality Upper Strathlinn population]] to take it from the data"),
        (f"{shown(proj, 'content/outcomes/outcome-7.md')}:7: the latest figure of NI-9 is "
        f"written as 78.0%; the indicator table gives {felt_safe} for 2023/24. Correct the "
        "figure, or write [[NI-9 latest]] to take it from the data")]


def test_a_contradicting_figure_is_a_warning_the_build_stops_on_when_strict(tmp_path,
                                                                           monkeypatch):
    proj = project(tmp_path)
    edit(proj / "content" / "finance.md", "was **£309.8 million**", "was **£320 million**")
    with pytest.raises(AprError) as caught:
        build(proj, monkeypatch, formats=("html",), strict=True)
    assert [f.severity for f in caught.value.findings
            if f.code == "narrative.figure_mismatch"] == ["warning"]


@pytest.mark.parametrize("sentence", [
    "The 2024/25 budget of £321.4 million was balanced.",             # another year
    "We spent £4.1 million on support for unpaid carers.",            # part of the spend
    "The budget was more than £200 million.",                         # not exact
    "Felt safe: 90.1% of staff said so, and 80.0% of carers agreed in 2021/22.",
    "The IJB's budget for 2023/24 was [[finance budget]], not £320m as first planned.",
])
def test_figures_that_are_not_the_datas_are_left_alone(tmp_path, sentence):
    proj = project(tmp_path)
    edit(proj / "content" / "finance.md", "## Savings", f"{sentence}\n\n## Savings")
    assert mismatches(proj) == []

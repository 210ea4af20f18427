"""Inspections: the body normalised, grades in words, good-or-better summary, none in the year."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from apr.analysis.inspections import good_or_better, normalise_body
from apr.model import Inspection
from tests.report_helpers import build, edit, html_table, project, rewrite_csv, row, word_table

CAPTION = "Inspections published in 2023/24"


@pytest.mark.parametrize("text, body", [
    ("Care Inspectorate", "Care Inspectorate"), ("CI", "Care Inspectorate"),
    ("care inspectorate (SCSWIS)", "Care Inspectorate"),
    ("Healthcare Improvement Scotland", "Healthcare Improvement Scotland"),
    ("HIS", "Healthcare Improvement Scotland"), ("Joint", "Joint"),
    ("Care Inspectorate and HIS", "Joint"), ("CI / HIS joint inspection", "Joint"),
    ("Mental Welfare Commission", "Other"), ("Other", "Other"),
])
def test_body_is_normalised(text, body):
    assert normalise_body(text) == body


def _inspection(grades: dict[str, int]) -> Inspection:
    return Inspection("A service", "Care Inspectorate", dt.date(2023, 6, 1), "f", "r",
                      grades=grades)


def test_good_or_better_needs_every_graded_key_question_at_4_or_above():
    assert good_or_better(_inspection({"wellbeing": 5, "leadership": 4}))
    assert not good_or_better(_inspection({"wellbeing": 6, "leadership": 3}))
    assert not good_or_better(_inspection({}))


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    try:
        proj = project(tmp_path_factory.mktemp("insp"))
        edit(proj / "data" / "inspections.csv", "Linnhaven\",Harbourview Care Ltd,Care Inspectorate,",
             "Linnhaven\",Harbourview Care Ltd,CI,")
        edit(proj / "data" / "inspections.csv", "NHS Linnshire,Healthcare Improvement Scotland,",
             "NHS Linnshire,HIS,")
        yield build(proj, mp)
    finally:
        mp.undo()


def test_summary_counts_good_or_better(sample):
    sentence = ("In 2023/24, 8 inspection reports on services delivered under the partnership's "
                "functions were published: 6 by Care Inspectorate, 1 by Healthcare Improvement "
                "Scotland and 1 joint. Of the services inspected, 5 of the 6 graded services were "
                "graded good (4) or better in every key question inspected. The inspections made "
                "7 requirements, 8 areas for improvement and 3 recommendations.")
    assert sentence in sample.text
    assert sentence in sample.word_text


def test_table_has_normalised_body_grades_in_words_and_counts(sample):
    for rows in (html_table(sample.page, CAPTION), word_table(sample.word, CAPTION)):
        harbour = row(rows, "Harbourview Care Home")
        assert harbour[2] == "Care Inspectorate"
        assert "Leadership: 4 (Good)" in harbour[4] and "Wellbeing: 5 (Very good)" in harbour[4]
        assert harbour[5:] == ["Yes", "0", "1"]
        mill = row(rows, "Mill Lade Nursing Home")
        assert "Wellbeing: 3 (Adequate)" in mill[4] and mill[5:] == ["No", "3", "2"]
        hospital = row(rows, "Strathlinn Community Hospital")
        assert hospital[2] == "Healthcare Improvement Scotland"
        assert hospital[4:] == ["Not graded", "Not graded", "4", "0"]
        assert row(rows, "Adult support and protection")[2] == "Joint"


def test_findings_are_labelled_in_each_body_s_words(sample):
    # the Care Inspectorate makes areas for improvement, Healthcare Improvement Scotland
    # recommendations; the column holds both, so its heading names both
    for rows in (html_table(sample.page, CAPTION), word_table(sample.word, CAPTION)):
        assert rows[0][-2:] == ["Requirements", "Areas for improvement or recommendations"]
    for text in (sample.text, sample.word_text):
        assert ("Inspected by Care Inspectorate; provided by Caldermuir Care Homes Ltd; report "
                "published 21 November 2023.") in text
        assert "The report made 3 requirements and 2 areas for improvement." in text
        assert "The report made 4 requirements and no recommendations." in text
    notes = ("The Care Inspectorate's reports make requirements and areas for improvement; "
             "Healthcare Improvement Scotland's make requirements and recommendations.")
    assert notes in sample.text and notes in sample.word_text


def test_only_care_inspectorate_reports_say_areas_for_improvement(tmp_path, monkeypatch):
    proj = project(tmp_path)
    rewrite_csv(proj / "data" / "inspections.csv",
                lambda r: r if r["body"] == "Care Inspectorate" else None)
    built = build(proj, monkeypatch, formats=("html",))
    assert html_table(built.page, CAPTION)[0][-1] == "Areas for improvement"
    assert "The inspections made 3 requirements and 8 areas for improvement." in built.text
    made = re.findall(r"The report made [^.]*\.", built.text)
    assert len(made) == 6 and not [m for m in made if "recommendation" in m]


def test_each_inspection_has_findings_and_response(sample):
    assert "Our response: The partnership paused new placements" in sample.text
    assert "Findings: Residents' nutrition and hydration" in sample.text


def test_other_body_keeps_its_name(tmp_path, monkeypatch):
    proj = project(tmp_path)
    edit(proj / "data" / "inspections.csv", "NHS Linnshire,Healthcare Improvement Scotland,",
         "NHS Linnshire,Mental Welfare Commission,")
    built = build(proj, monkeypatch, formats=("html",))
    rows = html_table(built.page, CAPTION)
    assert row(rows, "Strathlinn Community Hospital")[2] == "Other (Mental Welfare Commission)"
    assert "Inspected by Mental Welfare Commission" in built.text


def test_no_inspections_in_the_year(tmp_path, monkeypatch):
    proj = project(tmp_path)

    def last_year(r):
        r["date"] = r["date"].replace("2023-", "2022-").replace("2024-", "2023-01-")[:10]
        return r
    rewrite_csv(proj / "data" / "inspections.csv", last_year)
    built = build(proj, monkeypatch)
    sentence = ("No inspection reports on services delivered under the partnership's functions "
                "were published in 2023/24.")
    assert sentence in built.text and sentence in built.word_text

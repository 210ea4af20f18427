"""apr.toml problems, one real scenario each (tests/roots/minimal changed by one setting),
the finding asserted word for word."""
from __future__ import annotations

from pathlib import Path

import pytest

from apr.config import load_config
from apr.findings import AprError
from tests.report_helpers import edit
from tests.scenarios import append, copy_root, findings_of, line_of

TOML = "apr.toml"


@pytest.fixture
def minimal(tmp_path, monkeypatch) -> Path:
    """tests/roots/minimal at ./minimal, the current folder its parent."""
    monkeypatch.chdir(tmp_path)
    copy_root("minimal", tmp_path)
    return Path("minimal")


def test_no_apr_toml(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    with pytest.raises(AprError) as stopped:
        load_config(Path("empty"))
    assert [str(f) for f in stopped.value.findings] == [
        "empty/apr.toml: error: no apr.toml in empty; run apr in a partnership project folder, "
        "pass --project DIR, or create one with `apr init DIR` [config.not_found]"]


def test_output_outside_the_project(minimal):
    edit(minimal / TOML, "first_year = 2022", 'first_year = 2022\noutput = "../elsewhere"')
    line = line_of(minimal / TOML, "output =")
    assert findings_of(minimal, code="config.output_outside") == [
        f"minimal/apr.toml:{line}: setting 'report.output': error: 'report.output' must be a "
        "folder inside the project, found '../elsewhere' [config.output_outside]"]


def test_a_locality_without_a_name(minimal):
    edit(minimal / TOML, 'name = "South"', 'name = ""')
    line = line_of(minimal / TOML, 'name = ""') - 1     # the table's [[localities]] line
    assert findings_of(minimal, code="config.locality_name") == [
        f"minimal/apr.toml:{line}: setting 'localities.name': error: locality 2 in [[localities]] "
        'needs a name, e.g. name = "North" [config.locality_name]']


def test_one_locality_is_too_few(minimal):
    edit(minimal / TOML, '[[localities]]\nname = "South"\n', "")
    line = line_of(minimal / TOML, "[[localities]]")
    assert findings_of(minimal, code="config.too_few_localities") == [
        f"minimal/apr.toml:{line}: setting 'localities': error: the Act requires at least two "
        "localities; apr.toml lists 1. Add a [[localities]] table with a name for each locality "
        "in your strategic plan [config.too_few_localities]"]


@pytest.mark.parametrize("mapping, code, expected", [
    ('{ category = "z" }', "config.bad_category",
     "setting 'finance.service_lines.\"Social care\"': error: service line "
     "'Social care' must map to a reg 4(2) category a to e, found 'z'; see docs/finance.md "
     "[config.bad_category]"),
    ('{ category = "c", outcomes = [1, 12] }', "config.bad_outcome",
     "setting 'finance.service_lines.\"Social care\".outcomes': error: "
     "'finance.service_lines.\"Social care\".outcomes' lists outcome 12; national outcomes are "
     "numbered 1 to 9 [config.bad_outcome]"),
    ('{ category = "c", care_groups = ["Older people"] }', "config.unknown_care_group",
     "setting 'finance.service_lines.\"Social care\"': error: service line "
     "'Social care' names care group 'Older people', which is not in finance.key_care_groups "
     "[config.unknown_care_group]"),
], ids=["bad_category", "bad_outcome", "unknown_care_group"])
def test_a_bad_service_line(minimal, mapping, code, expected):
    edit(minimal / TOML, '"Social care" = { category = "c" }', f'"Social care" = {mapping}')
    line = line_of(minimal / TOML, '"Social care" =')
    assert findings_of(minimal, code=code) == [f"minimal/apr.toml:{line}: {expected}"]


def test_indicator_outcomes_out_of_range(minimal):
    append(minimal, TOML, '\n[indicators]\noutcomes = { "NI-12" = [10] }\n')
    line = line_of(minimal / TOML, "outcomes =")
    assert findings_of(minimal, code="config.bad_indicator_outcomes") == [
        f"minimal/apr.toml:{line}: setting 'indicators.outcomes': error: indicators.outcomes: "
        'expected e.g. "NI-12" = [1, 9] (outcomes 1 to 9), found NI-12 = a list [10] '
        "[config.bad_indicator_outcomes]"]


def test_suppress_below_zero(minimal):
    append(minimal, TOML, "\n[indicators]\nsuppress_below = 0\n")
    line = line_of(minimal / TOML, "suppress_below")
    assert findings_of(minimal, code="config.bad_suppress_below") == [
        f"minimal/apr.toml:{line}: setting "
        "'indicators.suppress_below': error: "
        "'indicators.suppress_below' must be a count from 1 to 100 (PHS practice is 5 or 10), "
        "found 0 [config.bad_suppress_below]"]


def test_a_reference_document_that_does_not_exist(minimal):
    edit(minimal / TOML, "first_year = 2022", 'first_year = 2022\nreference_docx = "ours.docx"')
    assert findings_of(minimal, code="config.reference_missing", formats=("docx",)) == [
        "minimal/apr.toml: setting 'report.reference_docx': error: reference document "
        "minimal/ours.docx does not exist; correct report.reference_docx in apr.toml or remove "
        "it to use apr's house style [config.reference_missing]"]


def test_a_name_with_a_line_separator(minimal):
    """U+2028 is no control character to TOML, but it breaks the line on the cover."""
    edit(minimal / TOML, 'health_board = "NHS Minimal"',
         'health_board = "NHS Minimal"\nchair = "Councillor Ann\\u2028Bell"')
    line = line_of(minimal / TOML, "chair =")
    assert findings_of(minimal, code="names.control_character") == [
        f"minimal/apr.toml:{line}: setting 'partnership.chair': error: the name "
        "'Councillor Ann?Bell' holds characters that cannot be printed (U+2028: a line break, "
        "tab or control character, often pasted from another program); retype it on one line "
        "[names.control_character]"]

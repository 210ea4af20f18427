"""Problems in data/indicators, in apr's own layout and in Public Health Scotland's dashboard
extract, one real scenario each (tests/roots/minimal), the finding asserted word for word."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.report_helpers import edit
from tests.scenarios import append, copy_root, findings_of, write

DASHBOARD = ("Indicator1,Year1,Data1,Partnership1,Locality,Denominator,Value,Scotland,Numerator,"
             "LA_Code,UpperCI,LowerCI\n"
             "NI12,2022/23,Annual,Fife,All,1000,11000,11700,110,S37000032,,\n")
INDICATORS = "minimal/data/indicators.csv"


@pytest.fixture
def minimal(tmp_path, monkeypatch) -> Path:
    """tests/roots/minimal at ./minimal, the current folder its parent."""
    monkeypatch.chdir(tmp_path)
    copy_root("minimal", tmp_path)
    return Path("minimal")


def dashboard(project: Path, row: str) -> None:
    """Make PROJECT Fife's, its indicators a PHS dashboard extract with one more ROW."""
    edit(project / "apr.toml", 'code = "S37999002"', 'code = "S37000032"')
    write(project, "data/indicators.csv", DASHBOARD + row)


def test_a_layout_apr_does_not_know(minimal):
    write(minimal, "data/indicators.csv", "code,when,figure\nNI-12,2023/24,10800\n")
    assert findings_of(minimal, code="indicators.unknown_layout") == [
        f"{INDICATORS}:1: error: expected apr's layout (columns indicator, period, value ...), a "
        "Public Health Scotland MI workbook (Year, Time Period, Partnership, Indicator, Rate "
        "...) or a PHS dashboard extract (Indicator1, Year1, Partnership1, Value, Scotland ...); "
        "found columns: code, when, figure. See docs/indicators.md [indicators.unknown_layout]"]


def test_an_indicator_code_apr_does_not_know(minimal):
    append(minimal, "data/indicators.csv", "NI-99,2023/24,5,6\n")
    assert findings_of(minimal, code="indicators.unknown_code") == [
        f"{INDICATORS}:4: column 'indicator': error: expected an indicator code NI-1 to NI-23 or "
        "a local indicator code from apr.toml, found 'NI-99'; correct it or declare it under "
        "[[local_indicators]] [indicators.unknown_code]"]


def test_a_row_without_a_value(minimal):
    append(minimal, "data/indicators.csv", "NI-13,2023/24,,\n")
    assert findings_of(minimal, code="indicators.no_value") == [
        f"{INDICATORS}:4: warning: NI-13 2023/24 has no value; the report shows it as not "
        "available [indicators.no_value]"]


def test_a_survey_indicator_between_surveys(minimal):
    append(minimal, "data/indicators.csv", "NI-1,2022/23,90.1,90.0\n")
    assert findings_of(minimal, code="indicators.not_survey_year") == [
        f"{INDICATORS}:4: warning: NI-1 is a biennial survey indicator but this row is for "
        "2022/23, when the survey did not run; apr ignores it (never fill in the years between "
        "surveys). Delete the row [indicators.not_survey_year]"]


def test_a_qualifier_phs_does_not_use(minimal):
    write(minimal, "data/indicators.csv", "indicator,period,value,scotland,qualifier\n"
          "NI-12,2022/23,11000,11200,\nNI-12,2023/24,10800,11100,x\n")
    assert findings_of(minimal, code="indicators.unknown_qualifier") == [
        f"{INDICATORS}:3: column 'qualifier': warning: qualifier 'x' is not a Public Health "
        "Scotland code (c, e, p, r, b, f, u, z, d, ~); it was ignored "
        "[indicators.unknown_qualifier]"]


def test_a_locality_apr_toml_does_not_list(minimal):
    write(minimal, "data/indicators.csv", "indicator,period,value,scotland,locality\n"
          "NI-12,2022/23,11000,11200,\nNI-12,2023/24,10800,11100,\nNI-12,2023/24,500,,East\n")
    assert findings_of(minimal, code="indicators.unknown_locality") == [
        f"{INDICATORS}:4: column 'locality': error: locality 'East' is not one of the "
        "localities in apr.toml (North, South); correct the name or add a [[localities]] entry "
        "[indicators.unknown_locality]"]


def test_a_value_that_is_not_a_number_in_a_phs_extract(minimal):
    dashboard(minimal, "NI12,2023/24,Annual,Fife,All,1000,eleven,11700,110,S37000032,,\n")
    assert findings_of(minimal, code="indicators.bad_number") == [
        f"{INDICATORS}:3: column 'value': error: expected a number or 'c' in 'value', found "
        "'eleven'; correct the cell or leave it empty [indicators.bad_number]"]


def test_a_year_that_is_not_one_in_a_phs_extract(minimal):
    dashboard(minimal, "NI12,someday,Annual,Fife,All,1000,11000,11700,110,S37000032,,\n")
    assert findings_of(minimal, code="indicators.bad_period") == [
        f"{INDICATORS}:3: column 'Year1': error: expected a year such as 2023/24 or 2023 in "
        "'Year1', found 'someday' [indicators.bad_period]"]


def test_a_partnership_phs_does_not_know(minimal):
    dashboard(minimal, "NI12,2022/23,Annual,Atlantis,All,1000,10000,11700,110,S37000099,,\n")
    assert findings_of(minimal, code="indicators.unknown_partnership") == [
        f"{INDICATORS}:3: warning: 'Atlantis' is not one of the 31 partnerships or a known "
        "spelling of one; its rows were left out of ranks. Use Public Health Scotland's names "
        "or S37 codes [indicators.unknown_partnership]"]

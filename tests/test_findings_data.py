"""Problems in the data tables, one real scenario each (tests/roots/minimal with one table
changed), the finding asserted word for word: the file, row and column, what was expected,
what was found."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests.scenarios import append, copy_root, findings_of, write

FINANCE_2022 = ("year,service_line,budget,outturn,reason\n"
                "2022/23,Community health services,1000,990,\n2022/23,Social care,2000,2010,\n")


@pytest.fixture
def minimal(tmp_path, monkeypatch) -> Path:
    """tests/roots/minimal at ./minimal, the current folder its parent."""
    monkeypatch.chdir(tmp_path)
    copy_root("minimal", tmp_path)
    return Path("minimal")


# -- cells of each kind ------------------------------------------------------------------------

@pytest.mark.parametrize("path, text, code, expected", [
    ("data/finance.csv", None, "data.bad_text",
     "minimal/data/finance.csv:6: column 'service_line': error: expected some text in "
     "'service_line', found an empty cell [data.bad_text]"),
    ("data/deprivation.csv", "indicator,period,quintile,value\nNI-12,2023/24,one,5\n",
     "data.bad_int",
     "minimal/data/deprivation.csv:2: column 'quintile': error: expected a whole number in "
     "'quintile', found 'one' [data.bad_int]"),
    ("data/inspections.csv", "service,body,date,wellbeing,findings,response\n"
     "Home care,Care Inspectorate,2023-06-14,Great,Good care,Thanks\n", "data.bad_grade",
     "minimal/data/inspections.csv:2: column 'wellbeing': error: expected a grade from 1 to 6 "
     "in 'wellbeing', found 'Great' [data.bad_grade]"),
    ("data/significant_decisions.csv",
     "date,decision,reason\n30 Febtember 2023,Close a day centre,Not in the plan\n",
     "data.bad_date",
     "minimal/data/significant_decisions.csv:2: column 'date': error: expected a date such as "
     "2023-09-14 in 'date', found '30 Febtember 2023' [data.bad_date]"),
    ("data/deprivation.csv", "indicator,period,quintile,value\nNI-12,last year,1,5\n",
     "data.bad_period",
     "minimal/data/deprivation.csv:2: column 'period': error: expected a year such as 2023/24 "
     "or 2023 in 'period', found 'last year' [data.bad_period]"),
    ("data/localities.csv", "locality,year,population,spend\nNorth,2023/24,many,1500\n"
     "South,2023/24,12000,1600\n", "data.bad_number",
     "minimal/data/localities.csv:2: column 'population': error: expected a number in "
     "'population', found 'many' [data.bad_number]"),
    ("data/localities.csv", None, "data.bad_year",
     "minimal/data/localities.csv:4: column 'year': error: expected a reporting year such as "
     "2023/24 in 'year', found '2023-24x' [data.bad_year]"),
], ids=["text", "int", "grade", "date", "period", "number", "year"])
def test_a_cell_of_the_wrong_kind(minimal, path, text, code, expected):
    if text is not None:
        write(minimal, path, text)
    elif code == "data.bad_text":
        append(minimal, path, "2023/24,,10,10,\n")
    else:
        append(minimal, path, "North,2023-24x,10000,1500\n")
    assert findings_of(minimal, code=code) == [expected]


# -- whole files -------------------------------------------------------------------------------

def test_a_binary_file(minimal):
    (minimal / "data" / "localities.csv").write_bytes(b"locality,year\x00\x01\x02\xff\xfe\n")
    assert findings_of(minimal, code="data.not_text") == [
        "minimal/data/localities.csv: error: this is not a text CSV file (it contains binary "
        "data); export the table from Excel as 'CSV UTF-8' [data.not_text]"]


def test_a_csv_the_csv_module_cannot_read(minimal):
    """A quote never closed swallows the rest of the file into one enormous cell."""
    append(minimal, "data/localities.csv", 'North,"' + "x" * 140_000 + '",1,2\n')
    assert findings_of(minimal, code="data.bad_csv") == [
        "minimal/data/localities.csv: error: the CSV cannot be read: field larger than field "
        "limit (131072); check for unclosed quotes [data.bad_csv]"]


def test_a_column_twice(minimal):
    write(minimal, "data/localities.csv", "locality,year,population,spend,year\n"
          "North,2023/24,10000,1500,2023/24\nSouth,2023/24,12000,1600,2023/24\n")
    assert findings_of(minimal, code="data.duplicate_column") == [
        "minimal/data/localities.csv:1: column 'year': error: column 'year' appears twice in "
        "the header row; rename or delete one [data.duplicate_column]"]


def test_a_sheet_with_merged_cells(minimal):
    (minimal / "data" / "localities.csv").unlink()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "localities"
    for row in (["locality", "year", "population", "spend"], ["North", "2023/24", 10000, 1500],
                ["South", "2023/24", 12000, 1600]):
        sheet.append(row)
    sheet.merge_cells("B2:B3")
    book.save(minimal / "data" / "apr-data.xlsx")
    assert findings_of(minimal, code="data.merged_cells") == [
        "minimal/data/apr-data.xlsx[localities]: warning: the sheet has merged cells (first: "
        "B2:B3); apr reads the value into the first cell only. Unmerge cells in data sheets "
        "[data.merged_cells]"]


# -- finance and localities --------------------------------------------------------------------

def test_a_service_line_without_a_category(minimal):
    text = (minimal / "apr.toml").read_text(encoding="utf-8")
    (minimal / "apr.toml").write_text(text.replace('"Social care" = { category = "c" }\n', ""),
                                      encoding="utf-8")
    message = ("column 'service_line': error: service line 'Social care' has no spend "
               'category; add "Social care" = { category = "b" } (a letter a to e) under '
               "[finance.service_lines] in apr.toml [finance.unmapped_service_line]")
    assert findings_of(minimal, code="finance.unmapped_service_line") == [
        f"minimal/data/finance.csv:3: {message}", f"minimal/data/finance.csv:5: {message}"]


def test_no_finance_for_the_reporting_year(minimal):
    write(minimal, "data/finance.csv", FINANCE_2022)
    assert findings_of(minimal, code="finance.no_current_year") == [
        "data/finance: error: the finance table has no rows for 2023/24; add the year's budget "
        "and outturn for each service line [finance.no_current_year]"]


def test_a_locality_apr_toml_does_not_list(minimal):
    append(minimal, "data/localities.csv", "East,2023/24,9000,1000\n")
    assert findings_of(minimal, code="localities.unknown") == [
        "minimal/data/localities.csv:4: column 'locality': error: locality 'East' is not one of "
        "the localities in apr.toml (North, South); correct the name or add it as a "
        "[[localities]] entry [localities.unknown]"]

"""Public Health Scotland's files as they come (issue 12, part 7): an indicator workbook is
recognised by its layout whatever its sheet is called, and a missing table lists the files and
sheets found and suggests the nearest. Real .xlsx files written with openpyxl."""
from __future__ import annotations

from pathlib import Path

import openpyxl

from apr.config import ReportingYear, load_config
from apr.findings import AprError
from apr.sources import read_sources
from tests.conftest import copy_sample
from tests.report_helpers import edit
from tests.test_indicators_phs import DASH, MI, mi_rows


def fife(tmp_path: Path) -> Path:
    """Return the sample project as Fife, without its indicators table."""
    root = copy_sample(tmp_path / "fife")
    edit(root / "apr.toml", 'code = "S37999001"', 'code = "S37000032"')
    edit(root / "apr.toml", 'name = "Strathlinn Health and Social Care Partnership"',
         'name = "Fife Health and Social Care Partnership"')
    edit(root / "apr.toml", 'short_name = "Strathlinn"', 'short_name = "Fife"')
    (root / "data" / "indicators.csv").unlink()
    return root


def workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def read(root: Path):
    try:
        return read_sources(load_config(root), ReportingYear(2023))
    except AprError as exc:
        return None, exc.findings


NOTES = [["Core suite of integration indicators"], ["Notes: see the publication"]]


def test_the_mi_workbook_data_sheet_is_recognised_whatever_it_is_called(tmp_path):
    root = fife(tmp_path)
    workbook(root / "data" / "ni-mi-july-2024.xlsx", {"Notes": NOTES, "Data": [MI, *mi_rows()]})
    inputs, findings = read(root)
    assert inputs is not None, [str(f) for f in findings]
    ours = {(v.code, v.period): v for v in inputs.indicators}
    assert ours[("NI-12", "2023")].value == 11100.0
    assert ours[("NI-12", "2023")].scotland == 11800.0
    assert inputs.national
    assert inputs.indicators[0].source.file.endswith("data/ni-mi-july-2024.xlsx[Data]")


def test_a_dashboard_extract_sheet_is_recognised_too(tmp_path):
    root = fife(tmp_path)
    rows = [["NI12", "2022/23", "Annual", "Fife", "All", 1000, 11000, 11700, 100, "S37000032",
             "", ""]]
    workbook(root / "data" / "dashboard.xlsx", {"Sheet 1": [DASH, *rows]})
    inputs, findings = read(root)
    assert inputs is not None, [str(f) for f in findings]
    assert [(v.code, v.value, v.scotland) for v in inputs.indicators] == [
        ("NI-12", 11000.0, 11700.0)]


def test_two_phs_sheets_are_an_error_naming_both(tmp_path):
    root = fife(tmp_path)
    workbook(root / "data" / "phs.xlsx", {"Data": [MI, *mi_rows()],
                                                  "Data 2023": [MI, *mi_rows()]})
    _, findings = read(root)
    [problem] = [f for f in findings if f.code == "data.ambiguous_table"]
    where = problem.location.file
    assert problem.message == (f"2 tables look like Public Health Scotland indicator files "
                               f"({where}, {where[:-len('[Data]')]}[Data 2023]); keep one, or "
                               "name the one to use 'indicators'")
    assert where.endswith("data/phs.xlsx[Data]")
    assert "data.missing_table" not in [f.code for f in findings]


def test_a_missing_table_lists_what_was_found_and_the_nearest_name(tmp_path):
    root = copy_sample(tmp_path / "p")
    (root / "data" / "finance.csv").rename(root / "data" / "finanse.csv")
    workbook(root / "data" / "extra.xlsx", {"Notes": NOTES})
    _, findings = read(root)
    [problem] = [f for f in findings if f.code == "data.missing_table"]
    data = problem.location.file.removesuffix("/finance.csv")
    assert problem.message == (
        f"the 'finance' table is missing: expected {data}/finance.csv or a workbook sheet "
        f"named 'finance'; found {data}/finanse.csv, {data}/extra.xlsx[Notes]; "
        f"rename {data}/finanse.csv to 'finance'")


def test_a_missing_table_with_nothing_near_says_so(tmp_path):
    root = copy_sample(tmp_path / "p")
    (root / "data" / "localities.csv").unlink()
    _, findings = read(root)
    [problem] = [f for f in findings if f.code == "data.missing_table"]
    data = problem.location.file.removesuffix("/localities.csv")
    assert problem.message == (
        f"the 'localities' table is missing: expected {data}/localities.csv or a workbook "
        f"sheet named 'localities'; found no other CSV file or sheet in {data}/ "
        "(see docs/input-formats.md)")


def test_a_dashboard_row_whose_code_and_name_disagree_is_an_error_naming_both(tmp_path):
    root = fife(tmp_path)
    rows = [["NI12", "2022/23", "Annual", "Fife", "All", 1000, 11000, 11700, 100, "S37000032",
             "", ""],
            ["NI12", "2022/23", "Annual", "Angus", "All", 1000, 10500, 11700, 100, "S37000032",
             "", ""]]
    workbook(root / "data" / "dashboard.xlsx", {"Sheet 1": [DASH, *rows]})
    _, findings = read(root)
    [problem] = [f for f in findings if f.code == "indicators.partnership_mismatch"]
    assert problem.message == ("LA_Code S37000032 is Fife's code but Partnership1 names Angus; "
                               "correct one of the two cells, or download the extract again")
    assert (problem.location.row, problem.location.column) == (3, "LA_Code")


def test_another_partnerships_implausible_value_in_a_national_file_names_it(tmp_path):
    root = fife(tmp_path)
    rows = [*mi_rows(), ["x", "2023", "Annual", "Angus", "NI12", "No", "", "", "0.5", "12", "",
                         ""]]
    workbook(root / "data" / "mi.xlsx", {"Data": [MI, *rows]})
    _, findings = read(root)
    [problem] = [f for f in findings if f.code == "indicators.implausible"]
    assert problem.message == ("NI-12 2023 for Angus: expected 3,000 to 30,000 per "
                               "100,000, found 0.5; check the unit (per 100,000 adults aged "
                               "18+) and the digits")
    assert problem.location.column == "Rate"


def test_a_national_workbook_outside_data_is_read_from_its_phs_sheet(tmp_path):
    root = fife(tmp_path)
    book = workbook(tmp_path / "national.xlsx", {"Notes": NOTES, "Data": [MI, *mi_rows()]})
    inputs, findings = read_sources(load_config(root), ReportingYear(2023),
                                    {"indicators": book})
    assert not findings.errors
    assert {(v.code, v.period) for v in inputs.indicators} >= {("NI-12", "2023")}


def test_a_national_workbook_without_a_phs_sheet_lists_its_sheets(tmp_path):
    root = fife(tmp_path)
    book = workbook(tmp_path / "national.xlsx", {"Notes": NOTES, "Contents": NOTES})
    try:
        read_sources(load_config(root), ReportingYear(2023), {"indicators": book})
        raise AssertionError("expected an error")
    except AprError as exc:
        [problem] = [f for f in exc.findings if f.code == "data.missing_table"]
    assert problem.message == ("no sheet of the workbook is the 'indicators' table: expected a "
                               "sheet named 'indicators' or one Public Health Scotland indicator "
                               "sheet; found sheets 'Notes', 'Contents'")


def test_title_rows_above_the_header_are_skipped(tmp_path):
    root = fife(tmp_path)
    title = [["Core suite of integration indicators: management information"], [],
             ["Source: Public Health Scotland"]]
    workbook(root / "data" / "mi.xlsx", {"Data": [*title, MI, *mi_rows()]})
    inputs, findings = read(root)
    assert inputs is not None, [str(f) for f in findings]
    first = min(v.source.row for v in inputs.indicators)
    assert first == 5          # the title (rows 1 to 3) and the header (row 4) are not data

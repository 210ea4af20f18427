"""apr workbook: the project's tables as one protected Excel workbook with drop-down lists,
read back into the same report; checked by reopening what apr wrote (and what LibreOffice
makes of it)."""
from __future__ import annotations

import csv
import shutil
import subprocess
import tempfile
import tomllib
from pathlib import Path

import openpyxl
import pytest

from apr.sources import SCHEMAS
from tests.conftest import copy_sample
from tests.report_helpers import unwrap
from tests.test_cli_build import run_apr

BOOK = Path("data/apr-data.xlsx")


def _build_html(project: Path) -> bytes:
    done = run_apr("build", "--project", str(project), "--year", "2023", "--format", "html")
    assert done.returncode == 0, done.stderr
    return next((project / "output").glob("*.html")).read_bytes()


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> tuple[Path, Path, str]:
    """The sample as CSV files, and a copy converted by apr workbook."""
    root = tmp_path_factory.mktemp("workbook")
    csvs = copy_sample(root / "csv")
    book = copy_sample(root / "book")
    done = run_apr("workbook", "--project", str(book))
    assert done.returncode == 0, done.stderr
    return csvs, book, done.stdout


def _moved(folder: Path) -> list[Path]:
    """The CSV files of apr's own tables: the MSG files from Public Health Scotland (msg*.csv,
    docs/msg.md) stay as they come, beside the workbook."""
    return [p for p in sorted(folder.glob("*.csv")) if not p.stem.startswith("msg")]


def _csv_tables(project: Path) -> dict[str, list[list[str]]]:
    tables = {}
    for path in _moved(project / "data"):
        with open(path, newline="", encoding="utf-8-sig") as fh:
            tables[path.stem] = list(csv.reader(fh))
    return tables


def test_every_table_moves_into_the_workbook_and_reads_back_the_same(converted):
    csvs, book, out = converted
    tables = _csv_tables(csvs)
    assert not _moved(book / "data")
    assert sorted(p.name for p in (book / "data/previous-csv").iterdir()) == \
        sorted(f"{name}.csv" for name in tables)
    assert out.splitlines()[0] == f"wrote {book / BOOK} with sheets " + \
        ", ".join(n for n in SCHEMAS if n in tables)
    assert _build_html(book) == _build_html(csvs)


def test_sheets_hold_the_data_with_numbers_as_numbers(converted):
    csvs, book, _ = converted
    wb = openpyxl.load_workbook(book / BOOK)
    assert wb.sheetnames[0] == "instructions"
    for name, rows in _csv_tables(csvs).items():
        sheet = wb[name]
        header = [c.value for c in sheet[1] if c.value is not None]
        schema = [c.name for c in SCHEMAS[name]]
        assert header == rows[0] + [c for c in schema if c not in rows[0]]
        assert sheet.max_row >= len(rows)
        for number, row in enumerate(rows[1:], start=2):
            for index, text in enumerate(row, start=1):
                cell = sheet.cell(number, index)
                assert "%" not in cell.number_format and "£" not in cell.number_format
                if text == "":
                    assert cell.value is None
                elif isinstance(cell.value, (int, float)):
                    assert cell.value == pytest.approx(float(text.replace(",", "")
                                                           .replace("(", "-").rstrip(")")))
                elif cell.is_date:
                    assert cell.value.date().isoformat() == text
                else:
                    assert cell.value == text and cell.number_format == "@"
    finance = wb["finance"]
    budget = [c.value for c in finance[1]].index("budget") + 1
    assert isinstance(finance.cell(2, budget).value, int)


def test_header_protected_rows_open(converted):
    _, book, _ = converted
    wb = openpyxl.load_workbook(book / BOOK)
    for name in SCHEMAS:
        if name not in wb.sheetnames:
            continue
        sheet = wb[name]
        p = sheet.protection
        assert p.sheet and not p.insertRows and not p.deleteRows and not p.sort
        width = len([c for c in sheet[1] if c.value is not None])
        assert all(sheet.cell(1, i).protection.locked for i in range(1, width + 1))
        for row in (2, sheet.max_row):        # the data and the empty rows below for new ones
            assert not any(sheet.cell(row, i).protection.locked for i in range(1, width + 1))
        assert sheet.max_row > 400


def _lists(wb) -> dict[tuple[str, str], tuple[list, str]]:
    """Return (sheet, column header) -> (values of the drop-down list, error style)."""
    found = {}
    for name in wb.sheetnames:
        sheet = wb[name]
        headers = {c.column_letter: c.value for c in sheet[1]}
        for rule in sheet.data_validations.dataValidation:
            assert rule.type == "list"
            ref, cells = rule.formula1, str(rule.sqref)
            target, area = ref.split("!")
            first, last = area.replace("$", "").split(":")
            values = [c.value for row in wb[target.strip("'")][f"{first}:{last}"] for c in row]
            letter = cells.split(":")[0].rstrip("0123456789")
            assert cells.startswith(f"{letter}2:")
            found[(name, headers[letter])] = (values, rule.errorStyle)
    return found


def _expected_lists(project: Path) -> dict:
    settings = tomllib.loads((project / "apr.toml").read_text(encoding="utf-8"))
    localities = [loc["name"] for loc in settings["localities"]]
    grades = [1, 2, 3, 4, 5, 6]
    expected = {
        ("localities", "locality"): (localities, "stop"),
        ("indicators", "locality"): (localities, "stop"),
        ("finance", "service_line"): ([*settings["finance"]["service_lines"], "Total"],
                                      "warning"),
        ("finance", "body"): ([settings["partnership"]["council"],
                               settings["partnership"]["health_board"]], "warning"),
        ("inspections", "body"): (["Care Inspectorate", "Healthcare Improvement Scotland",
                                   "Joint", "Other"], "warning"),
        ("reserves", "type"): (["earmarked", "ring-fenced", "general"], "stop"),
        ("savings", "recurring"): (["yes", "no"], "stop"),
    }
    for column in ("wellbeing", "leadership", "staff", "setting", "care_planning"):
        expected[("inspections", column)] = (grades, "stop")
    return expected


def _check_lists(book_file: Path, project: Path) -> None:
    wb = openpyxl.load_workbook(book_file)
    found = _lists(wb)
    for key, value in _expected_lists(project).items():
        assert found[key] == value, key
    codes, style = found[("indicators", "indicator")]
    assert style == "warning" and "NI-1" in codes and "NI-23" in codes and "L-1" in codes
    assert wb["lists"].sheet_state == "hidden"


def test_drop_down_lists(converted):
    _, book, _ = converted
    _check_lists(book / BOOK, book)


def test_libreoffice_keeps_the_lists_and_the_report(converted, tmp_path):
    from tests.browser import soffice_path
    csvs, book, _ = converted
    profile = Path(tempfile.mkdtemp(prefix="apr-lo-profile-", dir="/tmp"))
    try:
        subprocess.run([soffice_path(), f"-env:UserInstallation={profile.as_uri()}",
                        "--headless", "--norestore", "--nolockcheck", "--convert-to", "xlsx",
                        "--outdir", str(tmp_path / "lo"), str(book / BOOK)],
                       capture_output=True, text=True, timeout=180, check=True)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    saved = tmp_path / "lo" / BOOK.name
    _check_lists(saved, book)
    sheet = openpyxl.load_workbook(saved)["finance"]
    assert sheet.protection.sheet and sheet["A1"].protection.locked
    assert not sheet["A2"].protection.locked
    again = tmp_path / "again"
    shutil.copytree(book, again, ignore=shutil.ignore_patterns("output"))
    shutil.copyfile(saved, again / BOOK)
    assert _build_html(again) == _build_html(csvs)


def test_bad_cells_named_by_sheet_row_and_column(converted, tmp_path):
    _, book, _ = converted
    project = tmp_path / "bad"
    shutil.copytree(book, project, ignore=shutil.ignore_patterns("output"))
    wb = openpyxl.load_workbook(project / BOOK)
    finance, savings = wb["finance"], wb["savings"]
    finance["C5"] = "abc"
    savings["E3"] = "maybe"
    wb.save(project / BOOK)
    done = run_apr("build", "--project", str(project), "--year", "2023")
    assert done.returncode == 1
    errors = unwrap(done.stderr)
    where = project / BOOK
    assert f"{where}[finance]:5: column 'budget': error: expected an amount such as 1234 or " \
           "(1,234) in 'budget', found 'abc' [data.bad_amount]" in errors
    assert f"{where}[savings]:3: column 'recurring': error: expected yes or no in 'recurring', " \
           "found 'maybe'" in errors
    assert "Traceback" not in done.stderr


def test_a_table_never_read_twice(converted, tmp_path):
    _, book, _ = converted
    project = tmp_path / "twice"
    shutil.copytree(book, project, ignore=shutil.ignore_patterns("output"))
    shutil.copyfile(project / "data/previous-csv/finance.csv", project / "data/finance.csv")
    done = run_apr("build", "--project", "twice", "--year", "2023", cwd=tmp_path)
    assert done.returncode == 1
    book_file = Path("twice") / BOOK
    assert f"{book_file}: error: table 'finance' is both twice/data/finance.csv and sheet " \
           "'finance'; keep one and delete or rename the other [data.duplicate_table]" \
           in unwrap(done.stderr)
    again = run_apr("workbook", "--project", "twice", cwd=tmp_path)
    assert again.returncode == 1
    assert f"{book_file}: error: {book_file} already exists, and apr reads it; edit it in " \
           "Excel, or rename it to write a new one from the CSV files [workbook.exists]" \
           in unwrap(again.stderr)
    assert (project / "data/finance.csv").is_file()


def test_init_workbook_builds_like_init(tmp_path):
    plain = run_apr("init", str(tmp_path / "plain"))
    book = run_apr("init", "--workbook", str(tmp_path / "book"))
    assert plain.returncode == 0 and book.returncode == 0, book.stderr
    assert (tmp_path / "book" / BOOK).is_file()
    assert not list((tmp_path / "book/data").glob("*.csv"))
    built = [run_apr("build", "--project", str(tmp_path / name), "--year", "2023", "--format",
                     "html") for name in ("plain", "book")]
    assert [b.returncode for b in built] == [0, 0]
    last = [b.stderr.strip().splitlines()[-1] for b in built]
    assert last[0] == last[1] and "things to complete" in last[0]
    examples = [b.stderr.count("[data.example_row]") for b in built]
    assert examples[0] == examples[1] > 0

"""``apr workbook`` (and ``apr init --workbook``): the project's data as one Excel workbook.

One sheet per table (the tables and columns of ``sources.SCHEMAS``, read when apr runs, so a
new column appears here by itself), filled with the project's current data: numbers as
numbers, dates as dates, years and text as text. The header row of each sheet is protected
(no password; rows can still be added, deleted and sorted); columns whose values come from a
list (localities, service lines, bodies, reserve types, grades, yes or no, indicator codes)
have a drop-down list. An instructions sheet comes first.

The CSV files the workbook replaces are moved into ``data/previous-csv/``, which apr does not
read, so no table is ever read twice. The workbook is written all or nothing before any CSV
file is moved.
"""
from __future__ import annotations

import datetime as dt
import io
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .config import ReportConfig, display_path, load_config
from .findings import AprError, Findings

WORKBOOK = "apr-data.xlsx"
PREVIOUS = "previous-csv"
INSTRUCTIONS = "instructions"
LISTS = "lists"
EMPTY_ROWS = 500           # rows below the data made ready (unlocked, validated) for new rows
TEXT = "@"


@dataclass
class WorkbookResult:
    """What ``write_workbook`` did."""

    path: Path
    sheets: list[str] = field(default_factory=list)
    moved: list[Path] = field(default_factory=list)      # CSV files now in data/previous-csv/
    left: list[str] = field(default_factory=list)        # tables left where they are, and why


def write_workbook(project: Path) -> WorkbookResult:
    """Write data/apr-data.xlsx from the project's CSV tables and move those CSV files to
    data/previous-csv/; raise AprError, changing nothing, if it cannot."""
    config = load_config(project)
    data = config.project_dir / "data"
    target = data / WORKBOOK
    tables, left = _tables(data, target)
    result = WorkbookResult(target, [name for name, _, _ in tables], left=left)
    book = build_workbook(config, tables)
    buffer = io.BytesIO()
    book.save(buffer)
    data.mkdir(parents=True, exist_ok=True)
    from .output import write_atomically
    try:
        write_atomically(target, buffer.getvalue())
        result.moved = _move_csvs([path for _, _, path in tables], data / PREVIOUS, target)
    except OSError as exc:
        raise _error("workbook.not_written", f"cannot write {display_path(target)} or move the "
                     f"CSV files it replaces: {exc.strerror or exc}; nothing was changed. Check "
                     "the folder can be written to and no file in it is open in Excel",
                     display_path(target)) from exc
    return result


def _error(code: str, message: str, where: str) -> AprError:
    findings = Findings()
    findings.error(code, message, where)
    return AprError(findings)


def _tables(data: Path, target: Path) -> tuple[list, list[str]]:
    """Return the CSV tables to put in the workbook as (name, RawTable, path), and the tables left
    where they are; raise AprError when the workbook exists or a table cannot be read."""
    from .sources import SCHEMAS
    from .sources.indicators import detect_layout
    from .sources.tables import find_sources, read_table
    findings = Findings()
    if target.exists():
        findings.error("workbook.exists", f"{display_path(target)} already exists, and apr "
                       "reads it; edit it in Excel, or rename it to write a new one from the "
                       "CSV files", display_path(target))
        raise AprError(findings)
    places = find_sources(data, findings)
    tables, left = [], []
    for name in SCHEMAS:
        place = places.get(name)
        if place is None:
            continue
        if place[1] is not None:
            left.append(f"{name}: already a sheet of {display_path(place[0])}, left there")
            continue
        raw = read_table(name, place, findings)
        if raw is None:
            continue
        if name == "indicators" and detect_layout(raw.columns) != "apr":
            left.append(f"{name}: {display_path(place[0])} is in Public Health Scotland's "
                        "layout, left as it is")
            continue
        kept = data / PREVIOUS / place[0].name
        if kept.exists():
            findings.error("workbook.previous_exists", f"{display_path(kept)} already exists: "
                           f"moving {place[0].name} there would overwrite it; rename or "
                           "delete the old copy first", display_path(kept))
        tables.append((name, raw, place[0]))
    if findings.errors:
        raise AprError(findings)
    return tables, left


def _move_csvs(paths: list[Path], folder: Path, book: Path) -> list[Path]:
    """Move the CSV files into ``folder``; if one cannot be moved (on Windows, a file open in
    Excel), put back those already moved and remove ``book``, then raise the OSError."""
    moved: list[tuple[Path, Path]] = []
    try:
        folder.mkdir(exist_ok=True)
        for source in paths:
            moved.append((source, Path(shutil.move(str(source), str(folder / source.name)))))
    except OSError:
        for source, kept in reversed(moved):
            shutil.move(str(kept), str(source))
        book.unlink(missing_ok=True)
        raise
    return [kept for _, kept in moved]


# --- the workbook ------------------------------------------------------------------------------

def build_workbook(config: ReportConfig, tables: list):
    """Return the openpyxl workbook: instructions, a sheet per table, the drop-down lists."""
    import openpyxl
    book = openpyxl.Workbook()
    book.active.title = INSTRUCTIONS
    lists = Lists(book, value_lists(config))
    for name, raw, _ in tables:
        _table_sheet(book, name, raw, lists)
    _instructions(book[INSTRUCTIONS], config, [name for name, _, _ in tables])
    lists.sheet.sheet_state = "hidden"
    return book


def value_lists(config: ReportConfig) -> dict[str, tuple[list, bool]]:
    """Return each column's drop-down list by column name: (values, strict). A strict list
    refuses anything else; the others only warn (a new service line, an inspecting body
    other than the four apr knows, a PHS spelling of an indicator code)."""
    from .catalogue import indicators
    localities = [loc.name for loc in config.localities]
    codes = [*indicators(), *(i.code for i in config.local_indicators)]
    return {
        "locality": (localities, True),
        "service_line": ([*config.service_lines, "Total"], False),
        "body:finance": ([config.council, config.health_board], False),
        "body:inspections": (["Care Inspectorate", "Healthcare Improvement Scotland", "Joint",
                              "Other"], False),
        "type": (["earmarked", "ring-fenced", "general"], True),
        "indicator": (codes, False),
        "grade": ([1, 2, 3, 4, 5, 6], True),
        "yesno": (["yes", "no"], True),
        "outcomes": (list(range(1, 10)), True),
        "outcome": (list(range(1, 10)), True),
        "category": (["a", "b", "c", "d", "e"], True),
    }


class Lists:
    """The hidden sheet that holds the drop-down lists, one column each."""

    def __init__(self, book, lists: dict[str, tuple[list, bool]]) -> None:
        self.sheet = book.create_sheet(LISTS)
        self.lists = lists
        self.ranges: dict[str, str] = {}

    def validation(self, table: str, column: str, kind: str):
        """Return the DataValidation for a column, or None if it has no list."""
        from openpyxl.worksheet.datavalidation import DataValidation
        key = next((k for k in (f"{column}:{table}", column, kind) if k in self.lists), None)
        if key is None or not self.lists[key][0]:
            return None
        values, strict = self.lists[key]
        rule = DataValidation(type="list", formula1=self._range(key, values), allow_blank=True,
                              showDropDown=False, showErrorMessage=True,
                              errorStyle="stop" if strict else "warning")
        rule.errorTitle = "Not in the list"
        rule.error = ("Choose a value from the list." if strict else
                      "This value is not in the list. Keep it only if you are sure (see the "
                      "instructions sheet).")
        return rule

    def _range(self, key: str, values: list) -> str:
        if key not in self.ranges:
            from openpyxl.utils import get_column_letter
            col = len(self.ranges) + 1
            self.sheet.cell(1, col, key.split(":")[0])
            for row, value in enumerate(values, start=2):
                self.sheet.cell(row, col, value)
            letter = get_column_letter(col)
            self.ranges[key] = f"{LISTS}!${letter}$2:${letter}${len(values) + 1}"
        return self.ranges[key]


def _columns(name: str, raw) -> list[tuple[str, str, object]]:
    """Return the sheet's columns as (header, normalised name, schema Column or None): the
    table's own columns in its order, then the schema's columns it does not have yet."""
    from .sources import SCHEMAS
    schema = {c.name: c for c in SCHEMAS[name]}
    own = [(raw.original_columns.get(c, c), c, schema.get(c)) for c in raw.columns
           if not c.startswith("column_")]
    have = {c for _, c, _ in own}
    return own + [(c.name, c.name, c) for c in SCHEMAS[name] if c.name not in have]


def _table_sheet(book, name: str, raw, lists: Lists) -> None:
    """Add the sheet of one table: header, data, formats, drop-downs, protection."""
    from openpyxl.styles import Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    sheet = book.create_sheet(name)
    columns = _columns(name, raw)
    last = len(raw.rows) + 1 + EMPTY_ROWS
    for index, (header, key, column) in enumerate(columns, start=1):
        cell = sheet.cell(1, index, header)
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="DDE6F0")
        kind = column.kind if column else "text"
        for row, cells in enumerate(raw.rows, start=2):
            sheet.cell(row, index, sheet_value(column, cells.get(key)))
        for row in range(2, last + 1):
            target = sheet.cell(row, index)
            target.protection = Protection(locked=False)
            target.number_format = number_format(kind, target.value)
        rule = lists.validation(name, key, kind)
        if rule is not None:
            sheet.add_data_validation(rule)
            rule.add(f"{get_column_letter(index)}2:{get_column_letter(index)}{last}")
        sheet.column_dimensions[get_column_letter(index)].width = _width(kind, header)
    sheet.freeze_panes = "A2"
    _protect(sheet)


def _protect(sheet) -> None:
    """Protect the sheet (the locked header row) but let rows be added, deleted and sorted."""
    p = sheet.protection
    p.sheet = True
    p.insertRows = p.deleteRows = p.sort = p.autoFilter = False
    p.formatCells = p.formatColumns = p.formatRows = False


def _width(kind: str, header: str) -> int:
    wide = {"text": 40, "date": 12, "year": 10, "period": 10}
    return max(len(header) + 2, wide.get(kind, 12))


def sheet_value(column, raw):
    """Return a CSV cell as the workbook holds it: a number or date where apr reads the text
    as one (with apr's own parsing and the column's rules, so the workbook reads back the
    same value), else the text as it was (a bad cell stays bad, and is reported as before)."""
    from .sources import values
    kind = column.kind if column else "text"
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if kind in ("number", "amount", "int", "grade"):
        number, problem = values.parse_number(raw, money=kind == "amount",
                                              pounds=column.pounds or kind == "amount")
        if problem is None and isinstance(number, float):
            return int(number) if number.is_integer() else number
    elif kind == "date":
        when, problem = values.parse_date(raw)
        if problem is None and isinstance(when, dt.date):
            return when
    return raw


def number_format(kind: str, value) -> str:
    """Return the cell format: plain numbers (never % or £ formats, which change what a cell
    means), whole amounts with thousands separators, ISO dates, text as text."""
    if kind in ("number", "amount", "int", "grade"):
        if isinstance(value, float) and not value.is_integer():
            return "General"
        return "#,##0" if kind == "amount" else "0" if kind in ("int", "grade") else "General"
    if kind == "date":
        return "yyyy-mm-dd"
    return TEXT


def instructions(config: ReportConfig, names: list[str]) -> list[str]:
    """Return the lines of the instructions sheet."""
    return [
        f"{config.name}: data for the Annual Performance Report",
        "",
        ("This workbook holds the report's data tables, one sheet per table: "
         + ", ".join(names) + ". apr reads it from the project's data folder; keep it there, "
         "with this name, and keep the sheet names."),
        ("One row per record. The first row of each sheet names the columns: it is protected "
         "so that it is not changed by mistake. Add rows below the last one (or insert rows), "
         "delete and sort rows as you need."),
        ("Columns with a drop-down list (localities, service lines, bodies, reserve types, "
         "grades, yes or no) take a value from the list. A service line or inspecting body not "
         "in the list is allowed after a warning: add a new service line to apr.toml too."),
        (f"Amounts are plain numbers in {config.amounts}, without a £ sign: 1234, or -1234 for "
         "a negative reserve movement. Percentages are plain numbers too: 89.3 for 89.3%. Do "
         "not format cells as % or £: Excel would store 89.3% as 0.893."),
        ("Years are text such as 2023/24 (a calendar year as 2023). Dates are dates "
         "(2024-06-26). Leave a cell empty when there is no value; c marks a suppressed value "
         "and n/a one that is not available."),
        ("To change the header row (not normally needed): Review > Unprotect Sheet (there is "
         "no password), then protect it again."),
        (f"The CSV files this workbook replaced are in data/{PREVIOUS}/. apr does not read "
         "that folder: change the figures here, not there."),
        ("Every column is described in docs/input-formats.md of apr. When a cell is wrong, "
         "apr names this workbook, the sheet, the row and the column."),
    ]


def _instructions(sheet, config: ReportConfig, names: list[str]) -> None:
    from openpyxl.styles import Alignment, Font
    sheet.column_dimensions["A"].width = 110
    for row, line in enumerate(instructions(config, names), start=1):
        cell = sheet.cell(row, 1, line or None)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if row == 1:
            cell.font = Font(bold=True, size=14)
    sheet.protection.sheet = True

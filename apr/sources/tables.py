"""Raw table reading: each input table from ``data/<table>.csv`` or a sheet of one workbook.

The readers return rows of raw cells with their spreadsheet row numbers; typed parsing lives in
the per-table readers. Every problem becomes a finding; nothing here raises on bad input.
"""
from __future__ import annotations

import csv
import functools
import io
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from ..config import display_path
from ..findings import Findings
from .values import Currency, percent_of

MAX_BYTES = 50 * 1024 * 1024
# A workbook is a zip file: 50 MB of it can unpack to gigabytes. Limits on what it unpacks to
# and on the cells of a sheet, far above any real partnership's tables (the sample's largest
# sheet has about 2,000 cells; every indicator of every partnership for 20 years is ~200,000).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_CELLS = 1_000_000          # a sheet (openpyxl keeps each cell as an object)
MAX_CSV_CELLS = 3_000_000      # a CSV table (PHS's national files, every partnership and year)


def _quiet(read):
    """Run a workbook reader without openpyxl's UserWarnings (an out-of-range date cell, an
    unsupported extension) reaching the terminal: what matters becomes a finding."""
    @functools.wraps(read)
    def quietly(*args, **kwargs):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return read(*args, **kwargs)
    return quietly


@dataclass
class RawTable:
    """A table as read: normalised column names, rows of raw cells, and where it came from."""

    name: str
    file: str
    columns: list[str]
    rows: list[dict]
    row_numbers: list[int] = field(default_factory=list)
    original_columns: dict[str, str] = field(default_factory=dict)


def normalise_column(name) -> str:
    """Return a column name in the form apr uses: lower case, words joined by underscores."""
    text = str(name).replace("\ufeff", "").strip().lower()
    text = re.sub(r"[^a-z0-9]+", "_", text)
    return text.strip("_")


def find_sources(data_dir: Path, findings: Findings) -> dict[str, tuple[Path, str | None]]:
    """Return where each table lives: name -> (file, sheet or None for a CSV)."""
    places: dict[str, tuple[Path, str | None]] = {}
    if not data_dir.is_dir():
        return places
    for path in sorted(data_dir.glob("*.csv")):
        if _outside(path, data_dir, findings):
            continue
        places[normalise_column(path.stem)] = (path, None)
    books = sorted(p for p in data_dir.glob("*.xlsx") if not p.name.startswith("~$"))
    for book in books:
        if _outside(book, data_dir, findings) or _workbook_bomb(book, findings):
            continue
        for sheet in sheet_names(book, findings):
            name = normalise_column(sheet)
            if name in places:
                other = places[name]
                where = display_path(other[0]) + (f" sheet '{other[1]}'" if other[1] else "")
                findings.error("data.duplicate_table",
                               f"table '{name}' is both {where} and sheet '{sheet}'; keep one "
                               "and delete or rename the other", display_path(book))
                continue
            places[name] = (book, sheet)
    return places


def place_label(place: tuple[Path, str | None]) -> str:
    """Return a table's place as findings show it: data/x.csv or data/book.xlsx[Sheet]."""
    path, sheet = place
    return display_path(path) + (f"[{sheet}]" if sheet else "")


@_quiet
def peek_columns(place: tuple[Path, str | None], rows: int = 30) -> list[str]:
    """Return the normalised column names of a CSV or sheet (its first non-blank row among the
    first ``rows``), or [] if it cannot be read. Never adds findings: only used to recognise a
    table by its layout."""
    path, sheet = place
    try:
        if sheet is None:
            text = path.read_bytes()[:65536].decode("utf-8-sig", errors="replace")
            try:
                delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
            except csv.Error:
                delimiter = ","
            grid = list(csv.reader(io.StringIO(text), delimiter=delimiter))[:rows]
        else:
            import openpyxl
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
            try:
                grid = [list(r) for r in wb[sheet].iter_rows(max_row=rows, values_only=True)]
            finally:
                wb.close()
    except Exception:  # a damaged file is reported when (if) it is read as a table
        return []
    index = header_row(grid)
    header = grid[index] if index is not None else []
    return [normalise_column(c) for c in header if not _blank(c)]


def header_row(grid: list[list], search: int = 30) -> int | None:
    """Return the index of the header row: the first row with two or more cells filled, so
    that title rows above it (one cell filled, as in published workbooks) are skipped; failing
    that, the first row with anything in it; None for an empty grid."""
    first = next((i for i, row in enumerate(grid) if not all(_blank(c) for c in row)), None)
    if first is None:
        return None
    wide = (i for i, row in enumerate(grid[first:first + search], start=first)
            if sum(not _blank(c) for c in row) >= 2)
    return next(wide, first)


def _outside(path: Path, data_dir: Path, findings: Findings) -> bool:
    """True, with an error, for a file in data/ that is a link leading outside the project."""
    from ..paths import leads_outside, link_path, outside_message
    if leads_outside(path, data_dir.parent):
        findings.error("data.outside_project", outside_message(link_path(path)),
                       link_path(path))
        return True
    return False


def _workbook_bomb(book: Path, findings: Findings) -> bool:
    """True, with an error, for a workbook that unpacks to more than MAX_UNPACKED_BYTES or
    has a sheet of more than MAX_CELLS cells (checked while streaming, before loading it)."""
    import zipfile
    try:
        with zipfile.ZipFile(book) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False        # not a zip: openpyxl reports it as unreadable
    if unpacked > MAX_UNPACKED_BYTES:
        findings.error("data.workbook_too_large", f"the workbook unpacks to "
                       f"{unpacked // 2 ** 20:,} MB; apr reads workbooks that unpack to "
                       f"{MAX_UNPACKED_BYTES // 2 ** 20} MB at most. Keep only the data "
                       "tables in it (one sheet each), or save each table as a CSV file",
                       display_path(book))
        return True
    import openpyxl
    try:
        wb = openpyxl.load_workbook(book, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many types; reported when it is read
        return False
    try:
        for ws in wb.worksheets:
            cells = 0
            for row in ws.iter_rows(values_only=True):
                cells += len(row)
                if cells > MAX_CELLS:
                    findings.error("data.workbook_too_large", f"sheet '{ws.title}' has more "
                                   f"than {MAX_CELLS:,} cells; apr reads sheets of up to that "
                                   "many. Delete unused rows and columns (select them, Delete), "
                                   "or keep only the data tables in the workbook",
                                   display_path(book))
                    return True
    except Exception:  # noqa: BLE001 - a damaged sheet: reported when it is read
        return False
    finally:
        wb.close()
    return False


@_quiet
def sheet_names(book: Path, findings: Findings) -> list[str]:
    import openpyxl
    try:
        wb = openpyxl.load_workbook(book, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        findings.error("data.unreadable_workbook",
                       f"cannot open the workbook ({type(exc).__name__}: {str(exc)[:120]}); save "
                       "it again from Excel as .xlsx", display_path(book))
        return []
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def read_table(name: str, place: tuple[Path, str | None], findings: Findings) -> RawTable | None:
    """Return the raw table from its CSV or sheet, or None (with findings) if unreadable."""
    path, sheet = place
    file = display_path(path) + (f"[{sheet}]" if sheet else "")
    if path.stat().st_size > MAX_BYTES:
        findings.error("data.too_large", f"the file is {path.stat().st_size // 1_000_000} MB; "
                       f"apr reads tables up to {MAX_BYTES // 1_000_000} MB. Remove rows for "
                       "years the report does not use", file)
        return None
    if sheet is None:
        grid = _read_csv_grid(path, file, findings)
    else:
        grid = _read_sheet_grid(path, sheet, file, findings)
    if grid is None or _overlong_cell(grid, file, findings):
        return None
    return _to_table(name, file, grid, findings)


MAX_CELL_CHARS = 10_000   # a cell of a data table; the longest real ones (findings) are ~1,000


def _overlong_cell(grid: list[list], file: str, findings: Findings) -> bool:
    """True, with an error naming the first, if a cell holds more than MAX_CELL_CHARS."""
    for number, row in enumerate(grid, start=1):
        for cell in row:
            if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
                start = (cell[:30].splitlines() or [""])[0]
                findings.error("data.cell_too_long", f"a cell holds {len(cell):,} characters "
                               f"(it starts '{start}'); apr reads cells of up to "
                               f"{MAX_CELL_CHARS:,}. Shorten it, or check that a quote is not "
                               "left open, which runs the rest of the file into one cell",
                               file, number)
                return True
    return False


def _read_csv_grid(path: Path, file: str, findings: Findings) -> list[list] | None:
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):     # Excel's "Unicode Text": UTF-16
        data = _utf16_as_utf8(data)
    if b"\x00" in data[:4096]:
        findings.error("data.not_text", "this is not a text CSV file (it contains binary data); "
                       "export the table from Excel as 'CSV UTF-8'", file)
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        findings.warning("data.encoding", "the file is not UTF-8; read it as Windows-1252 "
                         "(Excel's default). Save it as 'CSV UTF-8' to be sure £ and accented "
                         "letters come through", file)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    try:
        return _bounded_rows(csv.reader(io.StringIO(text), delimiter=delimiter), file, findings)
    except csv.Error as exc:
        findings.error("data.bad_csv", f"the CSV cannot be read: {exc}; check for unclosed "
                       "quotes", file)
        return None


def _bounded_rows(reader, file: str, findings: Findings) -> list[list] | None:
    """Return the rows of a CSV reader, or None (with an error) past MAX_CELLS cells: 50 MB of
    one-character rows would take gigabytes of memory as rows."""
    rows, cells = [], 0
    for row in reader:
        cells += max(len(row), 1)
        if cells > MAX_CSV_CELLS:
            findings.error("data.too_many_cells", f"the table has more than {MAX_CSV_CELLS:,} "
                           "cells; apr reads tables of up to that many. Remove rows for years the "
                           "report does not use, and unused columns", file)
            return None
        rows.append(row)
    return rows


def _utf16_as_utf8(data: bytes) -> bytes:
    try:
        return data.decode("utf-16").encode("utf-8")
    except UnicodeDecodeError:
        return data


@_quiet
def _read_sheet_grid(path: Path, sheet: str, file: str, findings: Findings) -> list[list] | None:
    import openpyxl
    try:
        wb = openpyxl.load_workbook(path, read_only=False, data_only=True)
    except Exception as exc:  # damaged workbook
        findings.error("data.unreadable_workbook", f"cannot open the workbook: {exc}", file)
        return None
    try:
        ws = wb[sheet]
        if ws.merged_cells.ranges:
            first = sorted(str(r) for r in ws.merged_cells.ranges)[0]
            findings.warning("data.merged_cells",
                             f"the sheet has merged cells (first: {first}); apr reads the value "
                             "into the first cell only. Unmerge cells in data sheets", file)
        return [[_cell_value(cell) for cell in row] for row in ws.iter_rows()]
    finally:
        wb.close()


def _cell_value(cell):
    """Return a cell's value; a number formatted as a percentage as the percentage it shows
    (Excel stores 89.3% as 0.893)."""
    value = cell.value
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return value
    style = str(cell.number_format or "")
    if "%" in _LITERALS.sub("", style):
        return percent_of(value)
    symbol = next((c for c in ("£", "€") if c in style), None)
    return Currency(value, symbol) if symbol else value


# quoted text and escaped characters in a number format are shown as they are: 0.0"%" shows
# 89.3 as "89.3%" without multiplying by 100
_LITERALS = re.compile(r'"[^"]*"|\\.')


def _to_table(name: str, file: str, grid: list[list], findings: Findings) -> RawTable | None:
    grid = [row for row in grid]
    while grid and all(_blank(c) for c in grid[-1]):
        grid.pop()
    header_index = header_row(grid)
    if header_index is None:
        findings.error("data.empty", "the table is empty: it needs a header row naming the "
                       "columns (see docs/input-formats.md)", file)
        return None
    header = grid[header_index]
    columns, original = [], {}
    for i, cell in enumerate(header):
        col = normalise_column(cell) if not _blank(cell) else f"column_{i + 1}"
        if col in original:
            findings.error("data.duplicate_column", f"column '{cell}' appears twice in the header "
                           "row; rename or delete one", file, header_index + 1, str(cell))
        original[col] = str(cell).strip() if not _blank(cell) else col
        columns.append(col)
    rows, numbers = [], []
    for offset, row in enumerate(grid[header_index + 1:], start=header_index + 2):
        if all(_blank(c) for c in row):
            continue
        padded = list(row) + [None] * (len(columns) - len(row))
        rows.append(dict(zip(columns, padded)))
        numbers.append(offset)
    return RawTable(name, file, columns, rows, numbers, original)


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())

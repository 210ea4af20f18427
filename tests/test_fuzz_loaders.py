"""Property tests: whatever a user puts in a data file or apr.toml, apr answers with findings.

Every loader either returns (with findings) or raises AprError carrying findings; any other
exception is a bug. Families: random bytes, encodings (BOM, Windows-1252), awkward cell values
(thousands separators, "£", "%", "n/a", "*", "c", formulas, Excel serial dates), workbooks
(formulas, merged cells, dates, extra or missing sheets and columns), empty and oversized files,
and apr.toml garbage.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apr.config import ReportingYear, load_config
from apr.findings import AprError, Findings
from apr.sources import SCHEMAS, read_sources
from apr.sources.tables import MAX_BYTES, read_table

SAMPLE = Path(__file__).resolve().parents[1] / "sample_inputs"
FUZZ = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
TABLES = sorted(SCHEMAS)

AWKWARD = st.sampled_from([
    "", " ", "n/a", "N/A", "*", "c", "[c]", "-", "–", "..", "£1,234", "1,234.5", "12.5%",
    "(1,200)", "−45", "=SUM(A1:A3)", "45123", "45123.0", "2023/24", "2023", "2023-24",
    "31/03/2024", "2024-02-30", "1e308", "1e999", "nan", "inf", "-0", "TRUE", "0x10",
    "Ünïcödé", "£", "%", "()", "\u00a0123", "12 345", "7", "4.0", "99999999999999999999",
    "NI-12", "NI-99", "Linnhaven Coast", "yes", "no", '"quoted, comma"', "a\nb",
    "309,8", "1.234,5", "1,2345", "€12", "$5", "EUR 4", "(1,2)", "-0,5", "Total", "Sub total",
    "All localities", "0.893", "893%", "-45", "Fife", "S37000032", "Scotland",
])
CELL = st.one_of(AWKWARD, st.text(max_size=12))


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fuzz") / "project"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("output"))
    return root


def _read(project: Path) -> Findings:
    """Read every source; return the findings whether or not the read stopped."""
    try:
        config = load_config(project)
    except AprError as exc:
        assert exc.findings, "an AprError must carry findings"
        return Findings(exc.findings)
    try:
        _, findings = read_sources(config, ReportingYear(2023))
        return findings
    except AprError as exc:
        assert exc.findings, "an AprError must carry findings"
        for f in exc.findings:
            assert f.code and f.severity in ("error", "warning") and f.message
        return Findings(exc.findings)


def _put(project: Path, name: str, data: bytes) -> Path:
    data_dir = project / "data"
    for old in data_dir.glob(f"{name}.*"):
        old.unlink()
    path = data_dir / f"{name}.csv"
    path.write_bytes(data)
    return path


def _restore(project: Path, name: str) -> None:
    for old in (project / "data").glob(f"{name}.*"):
        old.unlink()
    original = SAMPLE / "data" / f"{name}.csv"
    if original.exists():
        shutil.copy(original, project / "data" / original.name)


def _csv(header: list[str], rows: list[list[str]]) -> str:
    def q(cell: str) -> str:
        return '"' + cell.replace('"', '""') + '"' if any(c in cell for c in ',"\n') else cell
    return "\n".join(",".join(q(c) for c in row) for row in [header] + rows) + "\n"


# --- CSV families -------------------------------------------------------------------------------


@FUZZ
@given(name=st.sampled_from(TABLES), data=st.binary(max_size=400))
def test_random_bytes(project, name, data):
    _put(project, name, data)
    try:
        _read(project)
    finally:
        _restore(project, name)


@FUZZ
@given(name=st.sampled_from(TABLES), text=st.text(max_size=300),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]))
def test_text_in_any_encoding(project, name, text, encoding):
    _put(project, name, text.encode(encoding, errors="replace"))
    try:
        _read(project)
    finally:
        _restore(project, name)


@FUZZ
@given(name=st.sampled_from(TABLES), data=st.data(),
       bom=st.booleans(), cp1252=st.booleans(), sep=st.sampled_from([",", ";", "\t"]),
       crlf=st.booleans())
def test_awkward_cells_under_the_right_header(project, name, data, bom, cp1252, sep, crlf):
    header = [c.name for c in SCHEMAS[name]]
    header = data.draw(st.lists(st.sampled_from(header + ["extra", "Year ", ""]), min_size=1,
                                max_size=len(header) + 2)) if data.draw(st.booleans()) else header
    rows = data.draw(st.lists(st.lists(CELL, min_size=0, max_size=len(header) + 1), max_size=6))
    text = _csv(header, rows).replace(",", sep) if sep != "," else _csv(header, rows)
    if crlf:
        text = text.replace("\n", "\r\n")
    raw = text.encode("cp1252", errors="replace") if cp1252 else text.encode("utf-8")
    _put(project, name, (b"\xef\xbb\xbf" if bom and not cp1252 else b"") + raw)
    try:
        _read(project)
    finally:
        _restore(project, name)


def test_windows_1252_pound_sign_is_read_with_a_warning(project):
    text = (SAMPLE / "data" / "finance.csv").read_text(encoding="utf-8")
    text = text.replace("Prescribing,", "Prescribing,").replace("grew by 3.1%", "grew by £3.1k")
    _put(project, "finance", text.encode("cp1252"))
    try:
        findings = _read(project)
        assert "data.encoding" in [f.code for f in findings]
        assert not findings.errors
    finally:
        _restore(project, "finance")


def test_empty_file(project):
    _put(project, "finance", b"")
    try:
        codes = [f.code for f in _read(project)]
        assert "data.empty" in codes
    finally:
        _restore(project, "finance")


def test_very_large_file(project):
    path = _put(project, "inspections", b"")
    with open(path, "wb") as fh:       # sparse: takes no disk space
        fh.truncate(MAX_BYTES + 1)
    try:
        codes = [f.code for f in _read(project)]
        assert "data.too_large" in codes
    finally:
        _restore(project, "inspections")


# --- XLSX families ------------------------------------------------------------------------------

XCELL = st.one_of(
    CELL, st.integers(-10**6, 10**9), st.floats(allow_nan=True, allow_infinity=False),
    st.sampled_from(["=SUM(C2:C4)", "=1/0", "=A1", "=NOW()"]),
    st.dates(dt.date(1900, 3, 1), dt.date(2100, 1, 1)),
    st.datetimes(dt.datetime(1950, 1, 1), dt.datetime(2100, 1, 1)),
    st.booleans(), st.none())


def _workbook(path: Path, sheets: dict[str, list[list]], merge: str | None) -> None:
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:     # openpyxl refuses control characters, as Excel does
            ws.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c
                       for c in row])
        if merge:
            ws.merge_cells(merge)
    wb.save(path)


@FUZZ
@given(data=st.data(), merge=st.sampled_from([None, "A2:B2", "A1:A3", "C3:D5"]))
def test_workbooks(project, data, merge):
    name = data.draw(st.sampled_from(TABLES))
    header = [c.name for c in SCHEMAS[name]]
    if data.draw(st.booleans()):
        header = data.draw(st.lists(st.sampled_from(header + ["Extra"]), max_size=6))
    rows = data.draw(st.lists(st.lists(XCELL, max_size=len(header) + 1), max_size=5))
    sheets = {data.draw(st.sampled_from([name, name.upper(), "Sheet1", "notes"])):
              [header] + rows}
    if data.draw(st.booleans()):
        sheets["extra sheet"] = [["anything"], [1]]
    data_dir = project / "data"
    moved = data_dir / f"{name}.csv"
    moved.unlink(missing_ok=True)
    book = data_dir / "fuzz.xlsx"
    _workbook(book, sheets, merge)
    try:
        _read(project)
    finally:
        book.unlink()
        _restore(project, name)


FORMATS = st.sampled_from(["General", "0%", "0.0%", '0.0"%"', "0.0\\%", "#,##0", "£#,##0",
                           "0.00E+00", "@", "yyyy-mm-dd"])


@FUZZ
@given(data=st.data())
def test_workbooks_with_number_formats(project, data):
    """Cells formatted as percentages, currencies, text or dates, in any table's columns."""
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    name = data.draw(st.sampled_from(TABLES))
    header = [c.name for c in SCHEMAS[name]]
    rows = data.draw(st.lists(st.lists(XCELL, min_size=len(header), max_size=len(header)),
                              min_size=1, max_size=4))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = name
    ws.append(header)
    for row in rows:
        ws.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in row])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.number_format = data.draw(FORMATS)
    data_dir = project / "data"
    (data_dir / f"{name}.csv").unlink(missing_ok=True)
    book = data_dir / "formats.xlsx"
    wb.save(book)
    try:
        _read(project)
    finally:
        book.unlink()
        _restore(project, name)


PHS_MI = ["Year", "Time Period", "Partnership", "Indicator", "Rate", "Numerator",
          "Denominator", "lower_ci", "upper_ci"]
PHS_DASH = ["Indicator1", "Year1", "Data1", "Partnership1", "Locality", "Value", "Scotland",
            "LA_Code", "LowerCI", "UpperCI"]


@FUZZ
@given(data=st.data())
def test_phs_sheets_under_any_name(project, data):
    """A PHS-layout sheet under any name (or two of them) in place of the indicators table."""
    header = data.draw(st.sampled_from([PHS_MI, PHS_DASH]))
    cells = st.one_of(XCELL, st.sampled_from(["NI12", "NI1", "2023/24", "2023", "Annual", "Q1",
                                              "Strathlinn", "Fife", "Scotland", "All",
                                              "S37999001", "S37000032", "c", "89.3"]))
    sheets = {}
    for _ in range(data.draw(st.integers(1, 2))):
        title = data.draw(st.sampled_from(["Data", "Sheet1", "MI data", "Tableau export",
                                           "Data 2"]))
        sheets[title] = [header] + data.draw(st.lists(st.lists(cells, min_size=len(header),
                                                               max_size=len(header)),
                                                      max_size=5))
    data_dir = project / "data"
    (data_dir / "indicators.csv").unlink(missing_ok=True)
    book = data_dir / "phs.xlsx"
    _workbook(book, sheets, None)
    try:
        findings = _read(project)
        assert "data.missing_table" not in [f.code for f in findings
                                            if "indicators" in f.message]
    finally:
        book.unlink()
        _restore(project, "indicators")


@FUZZ
@given(data=st.binary(max_size=300), zip_header=st.booleans())
def test_damaged_workbook(project, data, zip_header):
    book = project / "data" / "broken.xlsx"
    book.write_bytes((b"PK\x03\x04" if zip_header else b"") + data)
    try:
        codes = [f.code for f in _read(project)]
        assert "data.unreadable_workbook" in codes
    finally:
        book.unlink()


def test_read_table_on_an_excel_serial_date_column(tmp_path):
    path = tmp_path / "significant_decisions.csv"
    path.write_text("date,decision,reason\n45123,Close a day centre,Moved to a hub\n")
    findings = Findings()
    table = read_table("significant_decisions", (path, None), findings)
    assert table is not None and not findings


# --- apr.toml -----------------------------------------------------------------------------------

TOML_VALUE = st.recursive(
    st.one_of(st.integers(), st.text(max_size=10), st.booleans(), st.floats(allow_nan=False),
              st.dates(), st.just([]), st.just({})),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text("abcdefghij_", min_size=1, max_size=6),
                                            inner, max_size=3)),
    max_leaves=6)
KEYS = {
    "partnership": ["name", "short_name", "model", "council", "health_board", "population",
                    "code"],
    "report": ["status", "output", "amounts", "first_year", "board_date", "publication_date",
               "variance_threshold", "similar_band", "reference_docx"],
    "strategic_plan": ["title", "priorities", "reviewed", "changed"],
    "finance": ["key_care_groups", "service_lines", "supplied_totals"],
    "indicators": ["outcomes", "suppress_below"],
}


def _toml(value) -> str:
    import json
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if value == value and abs(value) != float("inf") else "0"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return "{" + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + "}"


@FUZZ
@given(data=st.binary(max_size=300))
def test_apr_toml_bytes(tmp_path, data):
    (tmp_path / "apr.toml").write_bytes(data)
    _read(tmp_path)


@FUZZ
@given(data=st.data())
def test_apr_toml_wrong_values(project, data):
    original = (SAMPLE / "apr.toml").read_text(encoding="utf-8")
    section = data.draw(st.sampled_from(sorted(KEYS)))
    key = data.draw(st.sampled_from(KEYS[section]))
    value = data.draw(TOML_VALUE)
    extra = f"\n[{section}]\n{key} = {_toml(value)}\n"
    # a repeated table is a TOML error; append to a fresh copy with the key replaced instead
    text = _replace_key(original, section, key, _toml(value)) or original + extra
    (project / "apr.toml").write_text(text, encoding="utf-8")
    try:
        _read(project)
    finally:
        (project / "apr.toml").write_text(original, encoding="utf-8")


@FUZZ
@given(data=st.data())
def test_apr_toml_garbage_localities(project, data):
    original = (SAMPLE / "apr.toml").read_text(encoding="utf-8")
    value = data.draw(TOML_VALUE)
    head, _, tail = original.partition("[[localities]]")
    text = head + f"localities = {_toml(value)}\n" + "[strategic_plan]" + \
        tail.partition("[strategic_plan]")[2]
    (project / "apr.toml").write_text(text, encoding="utf-8")
    try:
        _read(project)
    finally:
        (project / "apr.toml").write_text(original, encoding="utf-8")


def _replace_key(text: str, section: str, key: str, value: str) -> str | None:
    import re
    lines = text.splitlines()
    current = None
    for i, line in enumerate(lines):
        m = re.match(r"^\[([^\[\]]+)\]\s*$", line)
        if m:
            current = m.group(1).strip()
            continue
        if current == section and re.match(rf"^{re.escape(key)}\s*=", line):
            lines[i] = f"{key} = {value}"
            return "\n".join(lines) + "\n"
        if current == section and key == "service_lines":
            break
    return None


def test_sparse_file_does_not_use_disk(tmp_path):
    path = tmp_path / "big.csv"
    with open(path, "wb") as fh:
        fh.truncate(MAX_BYTES + 1)
    assert path.stat().st_size > MAX_BYTES
    assert getattr(os.stat(path), "st_blocks", 0) * 512 < 1_000_000

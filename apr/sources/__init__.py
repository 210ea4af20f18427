"""Readers for the project's inputs: the data tables and the narrative Markdown.

``read_sources`` reads every table, checks every cell and collects every problem before it
stops, so a user sees all of them at once.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..config import ReportConfig, ReportingYear, display_path
from ..findings import AprError, Findings
from ..model import (FinanceLine, Inputs, Inspection, JmcRecommendation, LocalityYear,
                     Narrative, Reserve, Saving, SignificantDecision, Source)
from . import values
from .tables import RawTable, find_sources, read_table


@dataclass(frozen=True)
class Column:
    """A column of an input table: its name, the kind of value, and whether it is required."""

    name: str
    kind: str            # text, number, amount, int, date, period, year
    required: bool = True
    help: str = ""


SCHEMAS: dict[str, tuple[Column, ...]] = {
    "indicators": (
        Column("indicator", "text"), Column("period", "period"),
        Column("value", "number", False), Column("scotland", "number", False),
        Column("numerator", "number", False), Column("denominator", "number", False),
        Column("qualifier", "text", False), Column("locality", "text", False),
        # read as text and checked in sources/intervals.py, which every layout shares
        Column("lower_ci", "text", False, "lower 95% confidence limit (survey indicators)"),
        Column("upper_ci", "text", False, "upper 95% confidence limit (survey indicators)"),
    ),
    "finance": (
        Column("year", "year"), Column("service_line", "text"), Column("budget", "amount"),
        Column("outturn", "amount"), Column("reason", "text", False),
    ),
    "localities": (
        Column("locality", "text"), Column("year", "year"),
        Column("population", "number", False), Column("spend", "amount", False),
    ),
    "inspections": (
        Column("service", "text"), Column("provider", "text", False), Column("body", "text"),
        Column("date", "date"), Column("wellbeing", "grade", False),
        Column("leadership", "grade", False), Column("staff", "grade", False),
        Column("setting", "grade", False), Column("care_planning", "grade", False),
        Column("requirements", "int", False), Column("recommendations", "int", False),
        Column("findings", "text"), Column("response", "text"),
    ),
    "significant_decisions": (
        Column("date", "date"), Column("decision", "text"), Column("reason", "text"),
    ),
    "reserves": (
        Column("year", "year"), Column("type", "text"), Column("description", "text"),
        Column("opening", "amount"), Column("movement", "amount"), Column("closing", "amount"),
    ),
    "savings": (
        Column("year", "year"), Column("programme", "text"), Column("planned", "amount"),
        Column("achieved", "amount"), Column("recurring", "yesno"),
    ),
    "jmc_recommendations": (
        Column("date", "date"), Column("recommendation", "text"), Column("response", "text"),
    ),
}
REQUIRED_TABLES = ("indicators", "finance", "localities")
GRADE_COLUMNS = ("wellbeing", "leadership", "staff", "setting", "care_planning")

_EXPECTED = {
    "number": "a number", "amount": "an amount such as 1234 or (1,234)",
    "int": "a whole number", "grade": "a grade from 1 to 6", "date": "a date such as 2023-09-14",
    "period": "a year such as 2023/24 or 2023", "year": "a reporting year such as 2023/24",
    "text": "some text", "yesno": "yes or no",
}
RESERVE_TYPES = {"earmarked": "earmarked", "ring-fenced": "ring-fenced",
                 "ringfenced": "ring-fenced", "ring fenced": "ring-fenced", "general": "general"}


def read_sources(config: ReportConfig, year: ReportingYear,
                 elsewhere: dict[str, Path] | None = None) -> tuple[Inputs, Findings]:
    """Read every input table and narrative file; raise AprError if any error was found.

    ``elsewhere`` maps table names to CSV files outside data/ (a national indicator file
    shared by a batch); a table in data/ wins.
    """
    findings = Findings()
    from ..names import check_names
    check_names(config, findings)
    data_dir = config.project_dir / "data"
    places = find_sources(data_dir, findings)
    for name, path in (elsewhere or {}).items():
        places.setdefault(name, (Path(path), None))
    inputs = Inputs(config=config, year=year)
    typed: dict[str, list[dict]] = {}
    for name, columns in SCHEMAS.items():
        if name not in places:
            if name in REQUIRED_TABLES:
                findings.error("data.missing_table",
                               f"the '{name}' table is missing: expected {display_path(data_dir)}/"
                               f"{name}.csv or a sheet named '{name}' in a workbook in "
                               f"{display_path(data_dir)}/ (see docs/input-formats.md)",
                               display_path(data_dir / f"{name}.csv"))
            continue
        raw = read_table(name, places[name], findings)
        if raw is None:
            continue
        inputs.files.append(raw.file)
        if name == "indicators":   # three layouts: see sources/indicators.py
            from .indicators import read_indicators
            inputs.indicators, inputs.national = read_indicators(raw, config, findings)
            continue
        typed[name] = _typed_rows(raw, columns, findings)
    _build_model(inputs, typed, findings)
    inputs.narrative = read_narrative(config.project_dir / "content", findings)
    if findings.errors:
        raise AprError(findings)
    return inputs, findings


def _typed_rows(raw: RawTable, columns: tuple[Column, ...], findings: Findings) -> list[dict]:
    known = {c.name for c in columns}
    missing = [c.name for c in columns if c.required and c.name not in raw.columns]
    for name in missing:
        findings.error("data.missing_column",
                       f"the '{raw.name}' table needs a column '{name}'; found columns: "
                       f"{', '.join(raw.original_columns.values()) or 'none'}", raw.file, 1, name)
    if missing:
        return []
    extra = [raw.original_columns[c] for c in raw.columns if c not in known]
    if extra and not all(c.startswith("column_") for c in extra):
        findings.warning("data.extra_column", f"column(s) {', '.join(extra)} are not used by apr "
                         f"and were ignored", raw.file, 1)
    rows = []
    for cells, number in zip(raw.rows, raw.row_numbers):
        row = {"_source": Source(raw.file, number)}
        ok = True
        for col in columns:
            value, problem = _convert(col, cells.get(col.name))
            problem = problem or _implausible(value, raw.name)
            if problem:
                ok = False
                findings.error(f"data.bad_{col.kind}",
                               f"expected {_EXPECTED[col.kind]} in '{col.name}', found {problem}",
                               raw.file, number, col.name)
            row[col.name] = value
        if ok:
            rows.append(row)
    return rows


# Amounts, counts and populations beyond this are typing mistakes (a budget of a trillion
# pounds in £000 is 10^12): they would only overflow sums and rounding downstream.
LARGEST = 1e12


def _implausible(value, table: str) -> str | None:
    """Return what is wrong with a converted value no table can use, or None: a suppression
    mark outside the indicators table, or a number too large to be a real figure."""
    if value is values.SUPPRESSED and table != "indicators":
        return "a suppression mark ('c' or '*'); only indicator values may be suppressed"
    if isinstance(value, float) and abs(value) > LARGEST:
        return f"{value:,.4g}, which is larger than any real figure (over {LARGEST:,.0f})"
    return None


def _convert(col: Column, raw):
    kind = col.kind
    if kind == "text":
        text = values.cell_text(raw)
        return text, ("an empty cell" if col.required and not text else None)
    if kind in ("number", "amount"):
        value, problem = values.parse_number(raw, allow_suppressed=kind == "number")
    elif kind in ("int", "grade"):
        value, problem = values.parse_int(raw)
        if kind == "grade" and value is not None and not 1 <= value <= 6:
            return None, f"{value}"
    elif kind == "date":
        value, problem = values.parse_date(raw)
    elif kind == "period":
        return values.parse_period(raw)
    elif kind == "yesno":
        return _yes_no(raw, col.required)
    elif kind == "year":
        year = ReportingYear.parse(values.cell_text(raw))
        if year is None:
            return None, f"'{values.cell_text(raw)[:40]}'" if values.cell_text(raw) else \
                "an empty cell"
        return year, None
    else:  # pragma: no cover - a schema typo is a bug
        raise ValueError(kind)
    if value is None and problem is None and col.required:
        return None, "an empty cell"
    return value, problem


def _yes_no(raw, required: bool):
    text = values.cell_text(raw).lower()
    if text in ("yes", "y", "true", "1"):
        return True, None
    if text in ("no", "n", "false", "0"):
        return False, None
    if not text:
        return None, ("an empty cell" if required else None)
    return None, f"'{values.cell_text(raw)[:40]}'"


def _build_model(inputs: Inputs, typed: dict[str, list[dict]], findings: Findings) -> None:
    config = inputs.config
    for row in typed.get("finance", []):
        if row["service_line"] not in config.service_lines:
            findings.error("finance.unmapped_service_line",
                           f"service line '{row['service_line'][:60]}' has no spend category; add "
                           f"\"{row['service_line'][:60]}\" = {{ category = \"b\" }} (a letter a to e) "
                           "under [finance.service_lines] in apr.toml",
                           row["_source"].file, row["_source"].row, "service_line")
            continue
        inputs.finance.append(FinanceLine(row["year"], row["service_line"], row["budget"],
                                          row["outturn"], row.get("reason") or "",
                                          row["_source"]))
    names = {loc.name for loc in config.localities}
    for row in typed.get("localities", []):
        if row["locality"] not in names:
            findings.error("localities.unknown",
                           f"locality '{row['locality'][:60]}' is not one of the localities in "
                           f"apr.toml ({', '.join(sorted(names))}); correct the name or add it "
                           "as a [[localities]] entry", row["_source"].file, row["_source"].row,
                           "locality")
            continue
        inputs.localities.append(LocalityYear(row["locality"], row["year"], row["population"],
                                              row["spend"], row["_source"]))
    from ..analysis.inspections import normalise_body
    for row in typed.get("inspections", []):
        grades = {g: row[g] for g in GRADE_COLUMNS if row.get(g) is not None}
        inputs.inspections.append(Inspection(
            row["service"], normalise_body(row["body"]), row["date"], row["findings"],
            row["response"], row.get("provider") or "", grades, row.get("requirements"),
            row.get("recommendations"), row["_source"], row["body"]))
    _build_reserves(inputs, typed.get("reserves", []), findings)
    for row in typed.get("savings", []):
        inputs.savings.append(Saving(row["year"], row["programme"], row["planned"],
                                     row["achieved"], row["recurring"], row["_source"]))
    for row in typed.get("jmc_recommendations", []):
        inputs.jmc_recommendations.append(JmcRecommendation(
            row["date"], row["recommendation"], row["response"], row["_source"]))
    for row in typed.get("significant_decisions", []):
        inputs.decisions.append(SignificantDecision(row["date"], row["decision"], row["reason"],
                                                    row["_source"]))


def _build_reserves(inputs: Inputs, rows: list[dict], findings: Findings) -> None:
    from ..analysis.finance import money, total, within
    tolerance = inputs.config.rounding_tolerance
    for row in rows:
        src = row["_source"]
        kind = RESERVE_TYPES.get(" ".join(row["type"].lower().split()))
        if kind is None:
            findings.error("reserves.bad_type", f"expected earmarked, ring-fenced or general in "
                           f"'type', found '{row['type'][:40]}'; use one of those three words",
                           src.file, src.row, "type")
            continue
        expected = total([row["opening"], row["movement"]])
        if not within(row["closing"] - expected, tolerance):
            unit = inputs.config.amounts
            findings.warning(
                "reserves.closing_mismatch",
                f"'{row['description']}': opening {money(row['opening'], unit, False)} plus "
                f"movement {money(row['movement'], unit, False)} is {money(expected, unit, False)}"
                f", but closing is {money(row['closing'], unit, False)} (difference "
                f"{money(row['closing'] - expected, unit, False)}, tolerance {tolerance:,g}); "
                "correct one of the three amounts", src.file, src.row, "closing")
        inputs.reserves.append(Reserve(row["year"], kind, row["description"], row["opening"],
                                       row["movement"], row["closing"], src))


def read_narrative(content_dir: Path, findings: Findings | None = None) -> dict[str, Narrative]:
    """Return every Markdown file under ``content/``, keyed by path without '.md'.

    Files are read as UTF-8 (with or without a byte order mark), UTF-16 with a byte order
    mark, or else Windows-1252 with a warning; a file that is neither (UTF-16 without a mark,
    binary data) or that is a link leading outside the project is an error."""
    from ..paths import leads_outside, link_path, outside_message
    findings = findings if findings is not None else Findings()
    result = {}
    if not content_dir.is_dir():
        return result
    for path in sorted(content_dir.rglob("*.md")):
        key = path.relative_to(content_dir).with_suffix("").as_posix()
        shown = link_path(path)
        if leads_outside(path, content_dir.parent):
            findings.error("narrative.outside_project", outside_message(shown), shown)
            continue
        text = _narrative_text(path.read_bytes(), shown, findings)
        if text is not None:
            result[key] = Narrative(key, shown, text.replace("\r\n", "\n"))
    return result


def _narrative_text(data: bytes, shown: str, findings: Findings) -> str | None:
    """Decode a narrative file (see read_narrative); None, with an error, if it cannot be."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in data:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            findings.warning("narrative.encoding", "the file is not UTF-8; read it as "
                             "Windows-1252. Save it as UTF-8 (in Notepad: Save as, Encoding "
                             "UTF-8) to be sure £, quotes and accented letters come through",
                             shown)
            return data.decode("cp1252", errors="replace")
    findings.error("narrative.encoding", "the file is not text apr can read (it holds zero "
                   "bytes: UTF-16 without a byte order mark, or a Word or other binary file); "
                   "save it as plain text in UTF-8 (in Notepad: Save as, Encoding UTF-8)", shown)
    return None

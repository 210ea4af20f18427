"""Readers for the project's inputs: the data tables and the narrative Markdown.

``read_sources`` reads every table, checks every cell and collects every problem before it
stops, so a user sees all of them at once.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..analysis.finance import total_row_kind
from ..config import ReportConfig, ReportingYear, display_path
from ..findings import Findings
from ..model import (
    Inputs,
    Inspection,
    JmcRecommendation,
    LocalityYear,
    Narrative,
    Reserve,
    Saving,
    SignificantDecision,
    Source,
)
from . import values
from .tables import (
    RawTable,
    find_sources,
    normalise_column,
    peek_columns,
    place_label,
    read_table,
    sheet_names,
)


@dataclass(frozen=True)
class Column:
    """A column of an input table: its name, the kind of value, and whether it is required."""

    name: str
    kind: str            # text, number, amount, int, date, period, year
    required: bool = True
    help: str = ""
    negative: bool = False   # may the number be below zero (a reserve movement)?
    pounds: bool = False     # may a number (not an amount) carry a £ (an indicator in £)?


SCHEMAS: dict[str, tuple[Column, ...]] = {
    "indicators": (
        Column("indicator", "text"), Column("period", "period"),
        # an indicator may be negative or in pounds (a local one); catalogue ranges check them
        Column("value", "number", False, negative=True, pounds=True),
        Column("scotland", "number", False, negative=True, pounds=True),
        Column("numerator", "number", False), Column("denominator", "number", False),
        Column("qualifier", "text", False), Column("locality", "text", False),
        # read as text and checked in sources/intervals.py, which every layout shares
        Column("lower_ci", "text", False, "lower 95% confidence limit (survey indicators)"),
        Column("upper_ci", "text", False, "upper 95% confidence limit (survey indicators)"),
    ),
    "finance": (
        Column("year", "year"), Column("service_line", "text"), Column("budget", "amount"),
        Column("outturn", "amount"), Column("reason", "text", False),
        Column("body", "text", False, "the partner body (NHS board or council) of the line"),
        Column("final_budget", "amount", False, "the total paid to or set aside for the line "
               "(the final budget), when it differs from the annual financial statement"),
        Column("variance", "amount", False, "the published under/(over)spend against the "
               "budget", negative=True),
        Column("final_variance", "amount", False, "the published under/(over)spend against "
               "the final budget", negative=True),
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
        Column("opening", "amount"), Column("movement", "amount", negative=True),
        Column("closing", "amount"),
    ),
    "savings": (
        Column("year", "year"), Column("programme", "text"), Column("planned", "amount"),
        Column("achieved", "amount"), Column("recurring", "yesno"),
    ),
    "jmc_recommendations": (
        Column("date", "date"), Column("recommendation", "text"), Column("response", "text"),
    ),
    # optional tables of sources/accountability.py (docs/input-formats.md)
    "hosted_services": (
        Column("service", "text"), Column("host", "text"), Column("role", "text"),
        Column("budget", "amount"), Column("outturn", "amount"),
        Column("performance", "text", False, "a short note on the service's performance"),
    ),
    "benchmarking": (
        Column("measure", "text"), Column("year", "year"),
        Column("value", "number", pounds=True), Column("family_group", "number", False,
                                                       "the peer group's figure", pounds=True),
        Column("scotland", "number", False, "Scotland's figure", pounds=True),
    ),
    "funding_gap": (
        Column("year", "year"), Column("gap", "amount"), Column("savings", "amount"),
        Column("reserves", "amount"), Column("unidentified", "amount"),
    ),
    "deprivation": (
        Column("indicator", "text"), Column("period", "period"), Column("quintile", "int"),
        Column("value", "number", False, negative=True, pounds=True),
        Column("numerator", "number", False), Column("denominator", "number", False),
    ),
    "prevention": (
        Column("measure", "text"), Column("period", "text"),
        Column("value", "number", negative=True, pounds=True),
        Column("previous", "number", False, negative=True, pounds=True),
        Column("unit", "text", False), Column("higher_is_better", "yesno", False),
        Column("note", "text", False),
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
_NEGATIVE_ADVICE = {
    "budget": "net income off the service line it funds, as the annual accounts do",
    "outturn": "net income off the service line it funds, as the annual accounts do",
    "": "type the figure without a minus sign or brackets",
}
RESERVE_TYPES = {"earmarked": "earmarked", "ring-fenced": "ring-fenced",
                 "ringfenced": "ring-fenced", "ring fenced": "ring-fenced", "general": "general"}


def read_sources(config: ReportConfig, year: ReportingYear,
                 elsewhere: dict[str, Path] | None = None) -> tuple[Inputs, Findings]:
    """Return the inputs and their findings; raise AprError if any error was found.

    The stage on its own, for callers outside the pipeline (``apr templates context``, apr
    init's examples, tests): ``read_inputs`` and a stop on errors."""
    findings = Findings()
    inputs = read_inputs(config, year, findings, elsewhere)
    findings.stop_if_errors()
    return inputs, findings


def read_inputs(config: ReportConfig, year: ReportingYear, findings: Findings,
                elsewhere: dict[str, Path] | None = None) -> Inputs:
    """Return every input table and narrative file read, adding each problem to ``findings``.

    ``elsewhere`` maps table names to files outside data/ (a national indicator file shared
    by a batch: a CSV, or a workbook as Public Health Scotland publishes it); a table in data/
    wins.
    """
    from ..names import check_names
    check_names(config, findings)
    data_dir = config.project_dir / "data"
    places = find_sources(data_dir, findings)
    for name, path in (elsewhere or {}).items():
        if name not in places:
            places[name] = _place_outside(name, Path(path), findings)
    _recognise_phs(places, findings)
    inputs = Inputs(config=config, year=year)
    typed: dict[str, list[dict]] = {}
    for name, columns in SCHEMAS.items():
        if name not in places:
            if name in REQUIRED_TABLES:
                _missing_table(name, data_dir, places, findings)
            continue
        if places[name] is None:
            continue
        raw = read_table(name, places[name], findings)
        if raw is None:
            continue
        inputs.files.append(raw.file)
        if name == "indicators":   # three layouts: see sources/indicators.py
            from .indicators import read_indicators
            inputs.indicators, inputs.national = read_indicators(raw, config, findings)
            continue
        if name == "finance":
            from .finance import apply_synonyms
            apply_synonyms(raw, findings)
        typed[name] = _typed_rows(raw, columns, findings)
    _build_model(inputs, typed, findings)
    from .msg import msg_places, read_msg  # any table named msg...: see sources/msg.py
    inputs.msg = read_msg(places, config, findings, year)
    inputs.files += [place_label(p) for p in msg_places(places)]
    inputs.narrative = read_narrative(config.project_dir / "content", findings)
    return inputs


def _place_outside(name: str, path: Path, findings: Findings) -> tuple[Path, str | None] | None:
    """Return where a table kept outside data/ is: a CSV file, or the sheet of a workbook named
    after the table or, failing that, the one sheet in a Public Health Scotland layout."""
    if path.suffix.lower() != ".xlsx" or not path.is_file():
        return path, None
    from .indicators import detect_layout
    sheets = sheet_names(path, findings)
    named = [s for s in sheets if normalise_column(s) == name]
    if named:
        return path, named[0]
    phs = [s for s in sheets if name == "indicators"
           and detect_layout(peek_columns((path, s))) in ("phs_mi", "phs_dashboard")]
    if len(phs) == 1:
        return path, phs[0]
    if sheets:
        findings.error("data.missing_table",
                       f"no sheet of the workbook is the '{name}' table: expected a sheet named "
                       f"'{name}' or one Public Health Scotland indicator sheet; found sheets "
                       f"{', '.join(repr(s) for s in sheets[:6])}", display_path(path))
    return None


def _unclaimed(places: dict[str, tuple[Path, str | None]]) -> dict[str, tuple[Path, str | None]]:
    """Return the CSV files and sheets whose names are not those of any table (the MSG
    tables, "msg" or "msg_...", are read by sources/msg.py)."""
    return {name: place for name, place in places.items()
            if name not in SCHEMAS and name != "msg" and not name.startswith("msg_")}


def _recognise_phs(places: dict[str, tuple[Path, str | None]], findings: Findings) -> None:
    """Use a Public Health Scotland indicator sheet or file (MI workbook sheet "Data", dashboard
    extract) as the indicators table whatever it is called, when no table is named so."""
    if "indicators" in places:
        return
    from .indicators import detect_layout
    found = [place for place in _unclaimed(places).values()
             if detect_layout(peek_columns(place)) in ("phs_mi", "phs_dashboard")]
    if len(found) == 1:
        places["indicators"] = found[0]
    elif len(found) > 1:
        names = ", ".join(place_label(p) for p in found)
        findings.error("data.ambiguous_table",
                       f"{len(found)} tables look like Public Health Scotland indicator files "
                       f"({names[:200]}); keep one, or name the one to use 'indicators'",
                       place_label(found[0]))
        places["indicators"] = None     # reported: not read, and not reported missing


def _missing_table(name: str, data_dir: Path, places: dict, findings: Findings) -> None:
    """Report a missing required table, listing what was found and the nearest name."""
    import difflib
    where = display_path(data_dir)
    others = _unclaimed(places)
    labels = [place_label(p) for p in others.values()]
    if not labels:
        found = f"found no other CSV file or sheet in {where}/"
    else:
        found = "found " + ", ".join(labels[:3]) + (f" and {len(labels) - 3} more"
                                                    if len(labels) > 3 else "")
    near = difflib.get_close_matches(name, list(others), n=1, cutoff=0.6)
    hint = (f"; rename {place_label(others[near[0]])} to '{name}'" if near
            else " (see docs/input-formats.md)")
    findings.error("data.missing_table",
                   f"the '{name}' table is missing: expected {where}/{name}.csv or a workbook "
                   f"sheet named '{name}'; {found}{hint}",
                   display_path(data_dir / f"{name}.csv"))


def _typed_rows(raw: RawTable, columns: tuple[Column, ...], findings: Findings) -> list[dict]:
    known = {c.name for c in columns}
    missing = [c.name for c in columns if c.required and c.name not in raw.columns]
    for name in missing:
        findings.error("data.missing_column",
                       f"the '{raw.name}' table needs a column '{name}'{_also_known(raw, name)}"
                       f"; found columns: {', '.join(raw.original_columns.values()) or 'none'}",
                       raw.file, 1, name)
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
                message = f"expected {_EXPECTED[col.kind]} in '{col.name}', found {problem}"
                shown = raw.original_columns.get(col.name, col.name)
                if getattr(problem, "code", None):   # data.decimal_comma, data.wrong_currency...
                    findings.error(problem.code, message, raw.file, number, shown)
                else:
                    findings.error(f"data.bad_{col.kind}", message, raw.file, number, shown)
            elif isinstance(value, float) and value < 0 and not col.negative:
                ok = False
                what = "an amount" if col.kind == "amount" else "a number"
                findings.error("data.negative", f"expected {what} of zero or more in "
                               f"'{col.name}', found {values.cell_text(cells.get(col.name))}; "
                               f"{_NEGATIVE_ADVICE.get(col.name, _NEGATIVE_ADVICE[''])}",
                               raw.file, number, col.name)
            row[col.name] = value
        if ok:
            rows.append(row)
    return rows


def _also_known(raw: RawTable, column: str) -> str:
    """Return " (apr also knows it as 'actual' or ...)" for a finance column with synonyms."""
    from .finance import known_names
    names = known_names(column) if raw.name == "finance" else ""
    return f" (apr also knows it as {names})" if names else ""


# Amounts, counts and populations beyond this are typing mistakes (a budget of a trillion
# pounds in £000 is 10^12): they would only overflow sums and rounding downstream.
LARGEST = 1e12


def _implausible(value, table: str) -> str | None:
    """Return what is wrong with a converted value no table can use, or None: a suppression
    mark outside the indicators table, or a number too large to be a real figure."""
    if value is values.SUPPRESSED and table not in ("indicators", "deprivation"):
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
        value, problem = values.parse_number(raw, allow_suppressed=kind == "number",
                                             money=kind == "amount",
                                             pounds=kind == "amount" or col.pounds)
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
    _build_finance(inputs, typed.get("finance", []), findings)
    names = {loc.name for loc in config.localities}
    for row in _duplicate_rows_error("localities.duplicate", typed.get("localities", []),
                                     ("year", "locality"),
                                     lambda r: f"locality '{r['locality']}' in {r['year'].label}",
                                     findings):
        if row["locality"] not in names and _locality_total(row["locality"]):
            findings.error("localities.total_row",
                           f"'{row['locality']}' looks like a total of the localities; apr adds "
                           "the localities itself and would count it twice. Delete the row",
                           row["_source"].file, row["_source"].row, "locality")
            continue
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
    savings = _duplicate_rows_error(
        "savings.duplicate", typed.get("savings", []), ("year", "programme", "recurring"),
        lambda r: f"the {'recurring' if r['recurring'] else 'one-off'} part of savings programme "
                  f"'{r['programme']}' in {r['year'].label}", findings)
    for row in savings:
        inputs.savings.append(Saving(row["year"], row["programme"], row["planned"],
                                     row["achieved"], row["recurring"], row["_source"]))
    for row in typed.get("jmc_recommendations", []):
        inputs.jmc_recommendations.append(JmcRecommendation(
            row["date"], row["recommendation"], row["response"], row["_source"]))
    for row in typed.get("significant_decisions", []):
        inputs.decisions.append(SignificantDecision(row["date"], row["decision"], row["reason"],
                                                    row["_source"]))
    from .accountability import build_accountability
    build_accountability(inputs, typed, findings)


def _locality_total(name: str) -> bool:
    """True for a localities row that totals the others: "Total", "All localities"..."""
    words = " ".join(name.lower().replace("-", " ").split())
    return bool(total_row_kind(name)) or words in (
        "all", "all localities", "partnership", "whole partnership", "partnership wide",
        "all areas", "hscp", "ijb")


def _duplicate_rows_error(code: str, rows: list[dict], key: tuple[str, ...], describe,
                          findings: Findings) -> list[dict]:
    """Return the rows less any repeating an earlier row's key, with an error ``code`` naming
    both rows for each (the name ends in "error" so that tests/test_findings_docs.py sees it)."""
    seen: dict[tuple, Source] = {}
    result = []
    for row in rows:
        mark = tuple(str(row.get(k) or "").strip().lower() if k not in ("year",)
                     else row[k].start for k in key)
        first = seen.get(mark)
        if first is not None:
            src = row["_source"]
            findings.error(code, f"{describe(row)} is given twice, on rows {first.row} and "
                           f"{src.row}; keep one row (add the amounts together if both are "
                           "real)", src.file, src.row)
            continue
        seen[mark] = row["_source"]
        result.append(row)
    return result


def _build_finance(inputs: Inputs, rows: list[dict], findings: Findings) -> None:
    """Read the service lines and the published totals; every line needs a category."""
    from .finance import finance_lines
    config = inputs.config
    lines, inputs.finance_totals = finance_lines(rows, config, findings)
    for line in lines:
        if config.line_mapping(line.body, line.service_line) is None:
            name = line.service_line[:60]
            body = (f' (or under [finance.service_lines."{line.body[:60]}"] for the line of '
                    f"{line.body[:60]} only)") if line.body else ""
            findings.error("finance.unmapped_service_line",
                           f"service line '{name}' has no spend category; add \"{name}\" = "
                           f"{{ category = \"b\" }} (a letter a to e) under "
                           f"[finance.service_lines] in apr.toml{body}",
                           line.source.file, line.source.row, "service_line")
            continue
        inputs.finance.append(line)


def _build_reserves(inputs: Inputs, rows: list[dict], findings: Findings) -> None:
    from ..analysis.finance import total, within
    from ..formatting import money
    tolerance = inputs.config.rounding_tolerance
    rows = _duplicate_rows_error("reserves.duplicate", rows, ("year", "type", "description"),
                                 lambda r: f"{r['type']} reserve '{r['description']}' in "
                                           f"{r['year'].label}", findings)
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

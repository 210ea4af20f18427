"""The indicators table: detect its layout, read it, and keep the project's own values.

Three layouts are read (see docs/indicators.md): apr's own table (``indicator, period, value,
scotland ...``), the Public Health Scotland management-information workbook (long format with
Scotland as rows) and the PHS dashboard extract (Scotland as a column). A national file's other
partnerships are kept apart, for ranks and peer comparisons.
"""
from __future__ import annotations

from ..catalogue import IntegrationIndicator, is_survey_year
from ..config import ReportConfig
from ..findings import Findings
from ..model import IndicatorValue
from . import phs
from .intervals import IntervalColumns, read_interval
from .plausible import check_jumps, check_ranges
from .tables import RawTable
from .values import SUPPRESSED

LAYOUTS = {
    "apr": ("indicator", "period"),
    "phs_mi": phs.MI_COLUMNS,
    "phs_dashboard": phs.DASHBOARD_COLUMNS,
}


def known_indicators(config: ReportConfig) -> dict[str, IntegrationIndicator]:
    """Return the core suite and the project's local indicators, keyed by code."""
    from ..catalogue import indicators
    return {**indicators(), **{i.code: i for i in config.local_indicators}}


def detect_layout(columns: list[str]) -> str | None:
    """Return "phs_mi", "phs_dashboard" or "apr" from the (normalised) columns, or None."""
    for name in ("phs_mi", "phs_dashboard", "apr"):
        if all(c in columns for c in LAYOUTS[name]):
            return name
    return None


def read_indicators(raw: RawTable, config: ReportConfig,
                    findings: Findings) -> tuple[list[IndicatorValue], list[IndicatorValue]]:
    """Return (our values, other partnerships' values) from the indicators table."""
    layout = detect_layout(raw.columns)
    known = known_indicators(config)
    if layout is None:
        findings.error("indicators.unknown_layout", "expected apr's layout (columns indicator, "
                       "period, value ...), a Public Health Scotland MI workbook (Year, Time "
                       "Period, Partnership, Indicator, Rate ...) or a PHS dashboard extract "
                       "(Indicator1, Year1, Partnership1, Value, Scotland ...); found columns: "
                       f"{', '.join(raw.original_columns.values())}. See docs/indicators.md",
                       raw.file, 1)
        return [], []
    column = {"apr": "value", "phs_mi": "Rate", "phs_dashboard": "Value"}[layout]
    if layout == "apr":
        ours, others = _read_apr(raw, known, config, findings), []
        check_ranges(ours, known, findings)
    else:
        matcher = phs.PartnershipMatcher.for_config(config)
        reader = phs.read_mi if layout == "phs_mi" else phs.read_dashboard
        values = reader(raw, known, matcher, findings)
        check_ranges(values, known, findings, column,
                     "Scotland" if layout == "phs_dashboard" else None)
        ours, others = _assemble(values, raw.file, config, known, findings)
    check_jumps(ours, known, findings, column)
    return _known_localities(ours, config, findings), others


def _known_localities(values: list[IndicatorValue], config: ReportConfig,
                      findings: Findings) -> list[IndicatorValue]:
    """Return the values whose locality (if any) is one of apr.toml's, with an error for others."""
    names = {loc.name for loc in config.localities}
    result = []
    for v in values:
        if v.locality is not None and v.locality not in names:
            findings.error("indicators.unknown_locality",
                           f"locality '{v.locality[:60]}' is not one of the localities in "
                           f"apr.toml ({', '.join(sorted(names))}); correct "
                           "the name or add a [[localities]] entry", v.source.file,
                           v.source.row, "locality")
            continue
        result.append(v)
    return result


# columns that say whose figures a row of apr's layout holds; every row must be the project's
PARTNERSHIP_COLUMNS = ("partnership", "partnership_code", "partnership_name", "hscp",
                       "hscp_code", "hscp_name", "la_code", "area_code", "area_name")


def _own_rows_only(raw: RawTable, config: ReportConfig, findings: Findings) -> None:
    """Drop (with an error naming both) rows of apr's layout that are another partnership's."""
    columns = [c for c in raw.columns if c in PARTNERSHIP_COLUMNS]
    if not columns:
        return
    matcher = phs.PartnershipMatcher.for_config(config)
    ours = matcher.describe(config)
    keep_rows, keep_numbers = [], []
    for cells, number in zip(raw.rows, raw.row_numbers):
        texts = [(c, phs.cell_text(cells.get(c))) for c in columns]
        texts = [(c, t) for c, t in texts if t]
        owners = [(c, t, matcher.whose(t, t)) for c, t in texts]
        wrong = next(((c, t, o) for c, t, o in owners if o is not None), None)
        if wrong is None:
            keep_rows.append(cells)
            keep_numbers.append(number)
            continue
        column, text, owner = wrong
        if owner == phs.SCOTLAND:
            advice = "put Scotland's figure in the 'scotland' column of the partnership's row"
        else:
            owner = f"'{text}'" if owner == "?" else owner
            advice = ("delete the row, or use a Public Health Scotland national file, which "
                      "apr reads for ranks")
        findings.error("indicators.other_partnership",
                       f"this row is for {owner}, not this project's partnership {ours}; "
                       f"{advice}", raw.file, number, raw.original_columns.get(column, column))
    raw.rows, raw.row_numbers = keep_rows, keep_numbers
    raw.columns = [c for c in raw.columns if c not in columns]


def _read_apr(raw: RawTable, known: dict[str, IntegrationIndicator], config: ReportConfig,
              findings: Findings) -> list[IndicatorValue]:
    """Return apr's own layout as values, folding `<col>QF` columns into the qualifier."""
    from . import SCHEMAS, _typed_rows
    _own_rows_only(raw, config, findings)
    extra = {"qualifier": [c for c in raw.columns if c.endswith("qf")]}
    for cells in raw.rows:
        cells["qualifier"] = " ".join(phs.cell_text(cells.get(c)) for c in
                                      ["qualifier", *extra["qualifier"]]).strip()
    raw.columns = [c for c in raw.columns if c not in extra["qualifier"]]
    if "qualifier" not in raw.columns and extra["qualifier"]:
        raw.columns.append("qualifier")
    limits = _interval_columns(raw)
    rows = _typed_rows(raw, SCHEMAS["indicators"], findings)
    return build_indicator_values(rows, findings, known, limits)


def _interval_columns(raw: RawTable) -> IntervalColumns:
    """Return where the confidence limits are, renaming any PHS spelling to lower_ci/upper_ci."""
    found = IntervalColumns.of(raw)
    for key, name in ((found.lower, "lower_ci"), (found.upper, "upper_ci")):
        if key is not None and key != name:
            for cells in raw.rows:
                cells[name] = cells.pop(key, None)
            raw.columns = [name if c == key else c for c in raw.columns]
            raw.original_columns[name] = raw.original_columns[key]
    return IntervalColumns("lower_ci" if found.lower else None,
                           "upper_ci" if found.upper else None, found.lower_name,
                           found.upper_name)


def build_indicator_values(rows: list[dict], findings: Findings,
                           known: dict[str, IntegrationIndicator] | None = None,
                           limits: IntervalColumns | None = None
                           ) -> list[IndicatorValue]:
    """Return one IndicatorValue per typed row, reporting unknown codes and duplicates."""
    from ..catalogue import indicators
    known = known or indicators()
    if limits is None:
        limits = IntervalColumns()
    result: list[IndicatorValue] = []
    for row in rows:
        value = _apr_value(row, known, findings, limits)
        if value is not None:
            result.append(value)
    return _checked(result, known, findings)


def _apr_value(row: dict, known: dict[str, IntegrationIndicator], findings: Findings,
               limits: IntervalColumns) -> IndicatorValue | None:
    """Return one typed row of apr's layout as a value, or None after a finding."""
    src = row["_source"]
    code = phs.find_code(row["indicator"], known)
    if code is None or code not in known:
        found = str(row["indicator"])[:40]
        findings.error("indicators.unknown_code", "expected an indicator code NI-1 to NI-23 "
                       f"or a local indicator code from apr.toml, found '{found}'; "
                       "correct it or declare it under [[local_indicators]]", src.file, src.row,
                       "indicator")
        return None
    quals, bad = phs.qualifiers(row.get("qualifier") or "")
    if bad:
        findings.warning("indicators.unknown_qualifier",
                         f"qualifier '{bad[0]}' is not a Public Health Scotland code (c, e, p, r, "
                         "b, f, u, z, d, ~); it was ignored", src.file, src.row, "qualifier")
    value = row.get("value")
    if "c" in quals or value is SUPPRESSED:
        value, quals = SUPPRESSED, "c" + quals.replace("c", "")
    start, calendar = row["period"]
    result = IndicatorValue(code, start, calendar, value, row.get("scotland"),
                            _plain(row.get("numerator")), _plain(row.get("denominator")), quals,
                            src, row.get("locality") or None)
    result.lower, result.upper = read_interval(row, limits, value, src, findings,
                                               f"{code} {result.period}")
    return result


def _plain(value) -> float | None:
    return value if isinstance(value, float) else None


def _checked(values: list[IndicatorValue], known: dict[str, IntegrationIndicator],
             findings: Findings) -> list[IndicatorValue]:
    """Return the values less duplicates and off-year survey values, with findings."""
    result, seen = [], {}
    for v in values:
        src = v.source
        key = (v.code, v.start, v.calendar, v.locality or "")
        if key in seen:
            findings.error("indicators.duplicate", f"{v.code} {v.period} for "
                           f"{v.locality or 'the partnership'} is given twice, on rows "
                           f"{seen[key]} and {src.row}; keep one row", src.file, src.row)
            continue
        seen[key] = src.row
        if known[v.code].period_basis == "survey" and not is_survey_year(v.start):
            findings.warning("indicators.not_survey_year", f"{v.code} is a biennial survey "
                             f"indicator but this row is for {v.period}, when the survey did not "
                             "run; apr ignores it (never fill in the years between surveys). "
                             "Delete the row", src.file, src.row)
            continue
        if v.value is None:
            findings.warning("indicators.no_value", f"{v.code} {v.period} has no value; the "
                             "report shows it as not available", src.file, src.row)
        result.append(v)
    return result


def _assemble(values: list[IndicatorValue], file: str, config: ReportConfig,
              known: dict[str, IntegrationIndicator],
              findings: Findings) -> tuple[list[IndicatorValue], list[IndicatorValue]]:
    """Return (ours, others) from a national file, with Scotland joined onto each value."""
    _warn_unknown_partnerships(values, findings)
    scotland = {(v.code, v.start, v.calendar): v.value for v in values
                if v.partnership == phs.SCOTLAND and v.locality is None}
    for v in values:
        if v.scotland is None:
            v.scotland = scotland.get((v.code, v.start, v.calendar))
    ours = [v for v in values if v.partnership is None]
    if not ours:
        where = config.code or config.name
        findings.error("indicators.partnership_not_found", f"the file has no rows for "
                       f"{config.name} ({where}); expected its code or name in the Partnership "
                       "column. Set partnership.code in apr.toml to the S37 code used in the "
                       "file, or check it is the right file", file)
    others = [v for v in values if v.partnership not in (None, phs.SCOTLAND)
              and not str(v.partnership).startswith("?") and v.locality is None]
    return _checked(ours, known, findings), others


def _warn_unknown_partnerships(values: list[IndicatorValue], findings: Findings) -> None:
    """Add one warning for each partnership name that is not one of the 31."""
    seen: set[str] = set()
    for v in values:
        name = str(v.partnership or "")
        if name.startswith("?") and name not in seen:
            seen.add(name)
            findings.warning("indicators.unknown_partnership", f"'{name[1:]}' is not one of the "
                             "31 partnerships or a known spelling of one; its rows were left "
                             "out of ranks. Use Public Health Scotland's names or S37 codes",
                             v.source.file, v.source.row)

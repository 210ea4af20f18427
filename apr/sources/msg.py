"""The Ministerial Strategic Group (MSG) indicators table, in any of three layouts.

* apr's own: ``indicator, year, value [, scotland]``, one row per indicator and financial year
  (``data/msg.csv`` or a sheet named ``msg``);
* Public Health Scotland's monthly extract of indicators 1 to 4 (the dashboard's "MSG Tableau
  1 to 4": Partnership, Locality, AGE_GROUPS, AreaTreated, month, One_Admissions, Two_a ...),
  which apr adds up into whole financial years;
* PHS's annual extract of indicators 5 and 6 ("MSG Tableau 5 and 6": year, Indicator,
  Partnership, Community_Percent, HomeUnsupportedRate6, HomeSupportedRate6 ...).

Any table whose name starts with ``msg`` is read (``data/msg.csv``, ``data/MSG Tableau 1 to
4.csv``, a workbook's sheets); together they give one value per indicator and year. See
docs/msg.md.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from ..catalogue.msg import MsgIndicator, msg_code, msg_indicators
from ..config import ReportConfig, ReportingYear
from ..findings import Findings
from ..model import Source
from . import phs
from .tables import RawTable, read_table
from .values import SUPPRESSED, cell_text, parse_date, parse_number


@dataclass
class MsgValue:
    """One MSG indicator's figure for one financial year, with Scotland's."""

    code: str
    start: int
    value: object                # float, None or SUPPRESSED
    scotland: float | None
    source: Source
    qualifiers: str = ""

    @property
    def period(self) -> str:
        return ReportingYear(self.start).label


LAYOUTS = {
    "apr": ("indicator", "year", "value"),
    "phs_monthly": ("partnership", "month", "one_admissions"),
    "phs_annual": ("partnership", "year", "indicator"),
}
# the monthly extract's count columns, and the age group whose rows give the partnership total
MONTHLY = {"one_admissions": "MSG-1a", "two_a": "MSG-2a", "two_b": "MSG-2b",
           "two_c": "MSG-2c", "three_attendances": "MSG-3a", "four_all_beddays": "MSG-4"}
MEETING = "three_number_meeting_target"
ANNUAL = {"community_percent": "MSG-5", "homeunsupportedrate6": "MSG-6a",
          "homesupportedrate6": "MSG-6b"}
ALL_AGES = ("all ages", "all", "")
ADULTS = ("18+",)    # PHS counts delayed discharges for adults: its "all" group is 18+


def msg_places(places: dict) -> list[tuple[Path, str | None]]:
    """Return the tables (CSV files and sheets) whose names start with "msg", in name order."""
    return [place for name, place in sorted(places.items())
            if place is not None and (name == "msg" or name.startswith("msg_"))]


def read_msg(places: dict, config: ReportConfig, findings: Findings,
             year: ReportingYear | None = None) -> list[MsgValue] | None:
    """Return the project's MSG figures, or None when the project has no MSG table; a part of
    the reporting YEAR in a monthly extract is a warning (other part years are left out)."""
    found = msg_places(places)
    if not found:
        return None
    result: list[MsgValue] = []
    for place in found:
        raw = read_table("msg", place, findings)
        if raw is not None:
            result += _read_one(raw, config, findings, year)
    return _checked(result, findings)


def detect_layout(columns: list[str]) -> str | None:
    """Return "phs_monthly", "phs_annual" or "apr" from the (normalised) columns, or None."""
    if all(c in columns for c in LAYOUTS["phs_monthly"]):
        return "phs_monthly"
    if all(c in columns for c in LAYOUTS["phs_annual"]) and any(c in columns for c in ANNUAL):
        return "phs_annual"
    if all(c in columns for c in LAYOUTS["apr"]):
        return "apr"
    return None


def _read_one(raw: RawTable, config: ReportConfig, findings: Findings,
              year: ReportingYear | None) -> list[MsgValue]:
    layout = detect_layout(raw.columns)
    if layout is None:
        findings.error("msg.unknown_layout", "expected apr's layout (columns indicator, year, "
                       "value and optionally scotland), Public Health Scotland's monthly MSG "
                       "extract (Partnership, Locality, AGE_GROUPS, month, One_Admissions, Two_a "
                       "...) or its extract of indicators 5 and 6 (year, Indicator, Partnership, "
                       "Community_Percent ...); found columns: "
                       f"{', '.join(raw.original_columns.values())}. See docs/msg.md",
                       raw.file, 1)
        return []
    if layout == "apr":
        return _read_apr(raw, findings)
    matcher = phs.PartnershipMatcher.for_config(config)
    if layout == "phs_monthly":
        sums = _monthly_sums(raw, matcher, findings, year)
    else:
        sums = _annual_figures(raw, matcher, findings)
    if sums is None:
        return []
    ours = {k: v for k, v in sums.items() if k[0] is None}
    if not ours:
        findings.error("msg.partnership_not_found", f"the file has no rows for {config.name} "
                       f"({config.code or config.short_name}); expected its name or code in the "
                       "Partnership column. Set partnership.code in apr.toml to the S37 code, or "
                       "check it is the right file", raw.file)
        return []
    return [MsgValue(code, start, value, _plain(sums.get((phs.SCOTLAND, code, start))), src, q)
            for (_, code, start), (value, src, q) in sorted(ours.items(), key=_order)]


def _order(item) -> tuple:
    (_, code, start), _ = item
    return list(msg_indicators()).index(code), start


def _plain(found) -> float | None:
    return found[0] if found and isinstance(found[0], float) else None


# --- apr's own layout ----------------------------------------------------------------------

def _read_apr(raw: RawTable, findings: Findings) -> list[MsgValue]:
    result = []
    for cells, row in zip(raw.rows, raw.row_numbers):
        src = Source(raw.file, row)
        code = msg_code(cell_text(cells.get("indicator")))
        year = ReportingYear.parse(cell_text(cells.get("year")))
        value = _number(cells, "value", src, raw, findings)
        scotland = _number(cells, "scotland", src, raw, findings) if "scotland" in cells else None
        if code is None:
            findings.error("msg.unknown_code", "expected an MSG indicator code (1a, 2a, 2b, 2c, "
                           "3a, 3b, 4, 5, 6a or 6b, with or without 'MSG-'), found "
                           f"'{cell_text(cells.get('indicator'))[:40]}'; correct it or delete "
                           "the row", src.file, row, _shown(raw, "indicator"))
        if year is None:
            findings.error("msg.bad_year", "expected a financial year such as 2023/24 in "
                           f"'year', found {_found(cells.get('year'))}; MSG figures are "
                           "reported by financial year", src.file, row, _shown(raw, "year"))
        if code is not None and year is not None and value is not False and scotland is not False:
            result.append(MsgValue(code, year.start, value, _float(scotland), src,
                                   "c" if value is SUPPRESSED else ""))
    return result


def _found(cell) -> str:
    text = cell_text(cell)
    return f"'{text[:40]}'" if text else "an empty cell"


def _shown(raw: RawTable, column: str) -> str:
    return raw.original_columns.get(column, column)


def _number(cells: dict, column: str, src: Source, raw: RawTable, findings: Findings):
    """Return the cell as a number of zero or more, SUPPRESSED or None; False after an error."""
    value, problem = parse_number(cells.get(column))
    if problem is None and isinstance(value, float) and value < 0:
        problem = f"{cell_text(cells.get(column))} (below zero)"
    if problem:
        findings.error("msg.bad_number", f"expected a number of zero or more (or 'c' for a "
                       f"suppressed figure) in '{_shown(raw, column)}', found {problem}; correct "
                       "the cell or leave it empty", src.file, src.row, _shown(raw, column))
        return False
    return value


# --- Public Health Scotland's monthly extract (indicators 1 to 4) ---------------------------

def _monthly_sums(raw: RawTable, matcher: phs.PartnershipMatcher, findings: Findings,
                  year: ReportingYear | None):
    """Return {(owner, code, year start): (value, source, "")} for whole financial years."""
    sums: dict[tuple, float] = defaultdict(float)
    months: dict[tuple, set] = defaultdict(set)
    first: dict[tuple, Source] = {}
    bad = False
    for cells, row in zip(raw.rows, raw.row_numbers):
        if cell_text(cells.get("locality")).lower() not in ("all", ""):
            continue
        owner = matcher.whose(cell_text(cells.get("partnership")), cell_text(cells.get("la_code")))
        if owner not in (None, phs.SCOTLAND):
            continue
        src = Source(raw.file, row)
        month, problem = parse_date(cells.get("month"))
        if problem or month is None:
            findings.error("msg.bad_month", "expected the first day of a month such as "
                           f"2023-04-01 in 'month', found {_found(cells.get('month'))}; correct "
                           "the cell or download the extract again", src.file, row,
                           _shown(raw, "month"))
            bad = True
            continue
        start = month.year if month.month >= 4 else month.year - 1
        bad |= _add_month(cells, (owner, start), sums, src, raw, findings)
        months[(owner, start)].add((month.year, month.month))
        first.setdefault((owner, start), src)
    return None if bad else _whole_years(sums, months, first, findings, year)


def _add_month(cells: dict, key: tuple, sums: dict, src: Source, raw: RawTable,
               findings: Findings) -> bool:
    """Add one row's counts to the year's sums; True if a cell was not a count."""
    age = cell_text(cells.get("age_groups")).lower()
    bad = False
    wanted = [c for c, code in MONTHLY.items() if (age in ADULTS) == (code == "MSG-4")]
    if age not in ALL_AGES + ADULTS:
        return False
    for column in wanted + ([MEETING] if age in ALL_AGES else []):
        if column not in cells or not cell_text(cells.get(column)):
            continue
        value = _number(cells, column, src, raw, findings)
        if value is False:
            bad = True
        elif value is SUPPRESSED or sums.get((*key, column)) is SUPPRESSED:
            sums[(*key, column)] = SUPPRESSED   # a year with a suppressed month is suppressed
        else:
            sums[(*key, column)] += value or 0.0
    return bad


def _whole_years(sums: dict, months: dict, first: dict, findings: Findings,
                 year: ReportingYear | None) -> dict:
    result = {}
    for (owner, start), seen in months.items():
        if len(seen) < 12:
            if owner is None and year is not None and start == year.start:
                _part_year(start, seen, first[(owner, start)], findings)
            continue
        src = first[(owner, start)]
        for column, code in MONTHLY.items():
            if (owner, start, column) in sums:
                total = sums[(owner, start, column)]
                result[(owner, code, start)] = (total, src, "c" if total is SUPPRESSED else "")
        share = _four_hours(sums.get((owner, start, MEETING)),
                            sums.get((owner, start, "three_attendances")))
        if share is not None:
            result[(owner, "MSG-3b", start)] = (share, src, "c" if share is SUPPRESSED else "")
    return result


def _four_hours(meeting, attendances):
    """Return the percentage of attendances seen within 4 hours, SUPPRESSED, or None."""
    if meeting is SUPPRESSED or attendances is SUPPRESSED:
        return SUPPRESSED
    if meeting is None or not attendances:
        return None
    return meeting / attendances * 100


def _part_year(start: int, seen: set, src: Source, findings: Findings) -> None:
    names = [dt.date(y, m, 1).strftime("%B %Y") for y, m in sorted(seen)]
    span = names[0] if len(names) == 1 else f"{names[0]} to {names[-1]}"
    findings.warning("msg.part_year", f"the extract has {len(seen)} of the 12 months of "
                     f"{ReportingYear(start).label} ({span}); apr reports whole financial years "
                     f"only, so {ReportingYear(start).label} is left out. Use an extract that "
                     "runs to the end of March", src.file, src.row)


# --- Public Health Scotland's annual extract (indicators 5 and 6) -----------------------------

def _annual_figures(raw: RawTable, matcher: phs.PartnershipMatcher, findings: Findings):
    """Return {(owner, code, year start): (value, source, qualifiers)} from the 5 and 6 extract."""
    result: dict[tuple, tuple] = {}
    bad = False
    for cells, row in zip(raw.rows, raw.row_numbers):
        if cell_text(cells.get("age_groups")).lower() not in ALL_AGES:
            continue
        owner = matcher.whose(cell_text(cells.get("partnership")))
        if owner not in (None, phs.SCOTLAND):
            continue
        src = Source(raw.file, row)
        text = cell_text(cells.get("year"))
        provisional = text.lower().endswith("p")
        year = ReportingYear.parse(text[:-1] if provisional else text)
        if year is None:
            findings.error("msg.bad_year", "expected a financial year such as 2023/24 (or "
                           f"2023/24p) in 'year', found {_found(cells.get('year'))}", src.file,
                           row, _shown(raw, "year"))
            bad = True
            continue
        for column, code in ANNUAL.items():
            if column in cells and cell_text(cells.get(column)):
                value = _number(cells, column, src, raw, findings)
                bad |= value is False
                if value is not False:
                    result[(owner, code, year.start)] = (value, src, "p" if provisional else "")
    return None if bad else _as_percentages(result)


def _as_percentages(found: dict) -> dict:
    """Return the figures with proportions (every figure of an indicator 1 or less) made
    percentages: PHS's extract may hold 0.884 for 88.4%."""
    for code in set(ANNUAL.values()):
        figures = [v[0] for k, v in found.items() if k[1] == code and isinstance(v[0], float)]
        if figures and max(figures) <= 1:
            for key, (value, src, q) in list(found.items()):
                if key[1] == code and isinstance(value, float):
                    found[key] = (value * 100, src, q)
    return found


# --- every layout ----------------------------------------------------------------------------

def _checked(values: list[MsgValue], findings: Findings) -> list[MsgValue]:
    """Return the values less duplicates and implausible percentages, with an error for each."""
    seen: dict[tuple, Source] = {}
    result = []
    catalogue = msg_indicators()
    for v in values:
        first = seen.get((v.code, v.start))
        if first is not None:
            where = f"row {first.row}" + ("" if first.file == v.source.file
                                          else f" of {first.file}")
            findings.error("msg.duplicate", f"{v.code} {v.period} is given twice, on {where} "
                           f"and row {v.source.row}; keep one", v.source.file, v.source.row)
            continue
        seen[(v.code, v.start)] = v.source
        if _plausible(catalogue[v.code], v, findings):
            result.append(v)
    return result


def _plausible(ind: MsgIndicator, v: MsgValue, findings: Findings) -> bool:
    """True if the value and Scotland's are inside the indicator's range (percentages only)."""
    if ind.plausible is None:
        return True
    low, high = ind.plausible
    for what, figure in (("the value", v.value), ("Scotland's value", v.scotland)):
        if isinstance(figure, float) and not low <= figure <= high:
            hint = (f"; type a percentage as {figure * 100:g}, not {figure:g}" if figure <= 1
                    else "; check the figure and its unit")
            findings.error("msg.implausible", f"{v.code} {v.period}: expected {what} to be a "
                           f"percentage from {low:g} to {high:g}, found {figure:g}{hint}",
                           v.source.file, v.source.row)
            return False
    return True


def _float(value) -> float | None:
    return value if isinstance(value, float) else None

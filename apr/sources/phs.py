"""Readers for Public Health Scotland's two indicator layouts (facts section 4.2 and 4.3).

* the management-information (MI) workbook, sheet "Data": long format, one row per indicator,
  partnership, year and time period, with Scotland as its own rows;
* the dashboard (Tableau) extract: one row per indicator, partnership, locality and period, with
  Scotland as a column, and calendar years of NI-11 and NI-18 relabelled "2022/23".

Both return IndicatorValue objects tagged with the partnership they belong to (``"Scotland"``
for the comparator, None for the project's own partnership); ``indicators.py`` joins them up.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..catalogue import IntegrationIndicator, Partnership, find_partnership
from ..catalogue import _name_key as name_key
from ..config import ReportConfig
from ..findings import Findings
from ..model import IndicatorValue, Source
from .intervals import IntervalColumns, read_interval
from .tables import RawTable
from .values import SUPPRESSED, cell_text, parse_number, parse_period

QUALIFIER_CODES = "cepbrfuzd~"
SCOTLAND = "Scotland"
MI_COLUMNS = ("year", "time_period", "partnership", "indicator", "rate")
DASHBOARD_COLUMNS = ("indicator1", "year1", "partnership1", "value", "scotland")
_QUARTER = re.compile(r"^\s*(q[1-4]\b|quarter|month|\d{6}$)", re.IGNORECASE)


@dataclass
class PartnershipMatcher:
    """Says whose row a partnership name or code is: ours, Scotland's, or another's."""

    target: Partnership | None
    own_keys: frozenset[str]

    @classmethod
    def for_config(cls, config: ReportConfig) -> PartnershipMatcher:
        """Return a matcher for the project's partnership (code, name or short name)."""
        texts = [t for t in (config.code, config.name, config.short_name) if t]
        target = next((p for p in map(find_partnership, texts) if p and not p.is_scotland), None)
        return cls(target, frozenset(name_key(t) for t in texts))

    def whose(self, name: str, code: str = "") -> str | None:
        """Return None for ours, "Scotland", another partnership's name, or "?" if unknown."""
        found = (find_partnership(code) if code else None) or find_partnership(name)
        if found is not None and found.is_scotland:
            return SCOTLAND
        if found is not None and self.target is not None:
            return None if found == self.target else found.name
        if name_key(code) in self.own_keys or name_key(name) in self.own_keys:
            return None
        return found.name if found is not None else "?"

    def describe(self, config: ReportConfig) -> str:
        """Return the project's partnership as "Fife (S37000010)" for messages."""
        name = self.target.name if self.target else (config.short_name or config.name)
        code = self.target.code if self.target else config.code
        return f"{name} ({code})" if code else name


def qualifiers(*texts: str) -> tuple[str, list[str]]:
    """Return (the PHS qualifier codes found, any other letters) from qualifier cells."""
    joined = "".join(str(t or "").lower() for t in texts)
    good = "".join(dict.fromkeys(ch for ch in joined if ch in QUALIFIER_CODES))
    bad = [ch for ch in joined if ch.isalpha() and ch not in QUALIFIER_CODES]
    return good, bad


def companion(row: dict, column: str) -> str:
    """Return the `<column>QF` qualifier cell beside a value column ('' if there is none)."""
    for key in (f"{column}qf", f"{column}_qf"):
        if key in row:
            return cell_text(row[key])
    return ""


def number(row: dict, column: str, src: Source, findings: Findings):
    """Return the cell as a number, SUPPRESSED or None, with a finding if it is not one."""
    value, problem = parse_number(row.get(column))
    if problem:
        findings.error("indicators.bad_number", f"expected a number or 'c' in '{column}', found "
                       f"{problem}; correct the cell or leave it empty", src.file, src.row,
                       column)
        return None
    if "c" in companion(row, column).lower():
        return SUPPRESSED
    return value


def find_code(text: str, known: dict[str, IntegrationIndicator]) -> str | None:
    """Return the indicator code for "NI12", "NI-12", "12" or a local code, else None."""
    from ..catalogue import normalise_indicator_code
    text = cell_text(text)
    local = {k.lower(): k for k in known}
    return local.get(text.lower()) or normalise_indicator_code(text)


def read_mi(raw: RawTable, known: dict[str, IntegrationIndicator], matcher: PartnershipMatcher,
            findings: Findings) -> list[IndicatorValue]:
    """Return the Annual rows of a PHS MI workbook ("Data" sheet) as values, Scotland included."""
    result, limits = [], IntervalColumns.of(raw)
    for row, number_ in zip(raw.rows, raw.row_numbers):
        if cell_text(row.get("time_period")).lower() not in ("annual", ""):
            continue      # quarters (Q1-Q4) are not used in an annual report
        src = Source(raw.file, number_)
        code = find_code(row.get("indicator"), known) or find_code(row.get("ind_no"), known)
        value = _mi_value(row, code, src, matcher, findings)
        if value is not None:
            _add_interval(value, row, limits, findings)
            result.append(value)
    return result


def _add_interval(value: IndicatorValue, row: dict, limits: IntervalColumns,
                  findings: Findings) -> None:
    """Set the value's 95% confidence limits from the row (lower_ci/upper_ci, LowerCI/UpperCI)."""
    value.lower, value.upper = read_interval(row, limits, value.value, value.source, findings,
                                             f"{value.code} {value.period}")


def _period(row: dict, column: str, src: Source, findings: Findings):
    """Return (start, is_calendar) from the row's COLUMN, or None with a finding."""
    period, problem = parse_period(row.get(column.lower()))
    if problem:
        findings.error("indicators.bad_period", f"expected a year such as 2023/24 or 2023 in "
                       f"'{column}', found {problem}", src.file, src.row, column)
        return None
    return period


def _mi_value(row: dict, code: str | None, src: Source, matcher: PartnershipMatcher,
              findings: Findings) -> IndicatorValue | None:
    """Return one MI row as a value, or None (with a finding) if it cannot be read."""
    if code is None:
        _unknown_code(row.get("indicator"), src, findings, "Indicator")
        return None
    period = _period(row, "Year", src, findings)
    if period is None:
        return None
    owner = matcher.whose(cell_text(row.get("partnership")))
    quals, _ = qualifiers(companion(row, "rate"))
    if cell_text(row.get("estimate")).lower() in ("yes", "y", "true"):
        quals += "e"
    value = number(row, "rate", src, findings)
    if value is SUPPRESSED:
        quals = "c" + quals.replace("c", "")
    return IndicatorValue(code, period[0], period[1], value, None,
                          _count(row, "numerator", src, findings),
                          _count(row, "denominator", src, findings), quals, src, None,
                          _owner_label(owner, row.get("partnership")))


def _owner_label(owner: str | None, raw_name) -> str | None:
    """Return the partnership tag: None for ours, else the canonical (or raw) name."""
    if owner == "?":
        return "?" + cell_text(raw_name)
    return owner


def _count(row: dict, column: str, src: Source, findings: Findings) -> float | None:
    value = number(row, column, src, findings)
    return value if isinstance(value, float) else None


def read_dashboard(raw: RawTable, known: dict[str, IntegrationIndicator],
                   matcher: PartnershipMatcher, findings: Findings) -> list[IndicatorValue]:
    """Return the annual rows of a PHS dashboard extract, with Scotland from its column."""
    result, limits = [], IntervalColumns.of(raw)
    for row, number_ in zip(raw.rows, raw.row_numbers):
        if _QUARTER.match(cell_text(row.get("data1"))):
            continue
        src = Source(raw.file, number_)
        code = find_code(row.get("indicator1"), known)
        value = _dashboard_value(row, code, known, src, matcher, findings)
        if value is not None:
            _add_interval(value, row, limits, findings)
            result.append(value)
    return result


def _dashboard_value(row: dict, code: str | None, known: dict[str, IntegrationIndicator],
                     src: Source, matcher: PartnershipMatcher,
                     findings: Findings) -> IndicatorValue | None:
    """Return one dashboard row as a value, undoing Tableau's "2022/23" for calendar years."""
    if code is None:
        _unknown_code(row.get("indicator1"), src, findings, "Indicator1")
        return None
    period = _period(row, "Year1", src, findings)
    if period is None:
        return None
    if code in known and known[code].period_basis == "calendar":
        period = (period[0], True)   # the extract labels calendar year 2022 as "2022/23"
    name, la_code = cell_text(row.get("partnership1")), cell_text(row.get("la_code"))
    by_code, by_name = find_partnership(la_code) if la_code else None, find_partnership(name)
    if by_code is not None and by_name is not None and by_code != by_name:
        findings.error("indicators.partnership_mismatch",
                       f"LA_Code {la_code} is {by_code.name}'s code but Partnership1 names "
                       f"{by_name.name}; correct one of the two cells, or download the extract "
                       "again", src.file, src.row, "LA_Code")
        return None
    owner = matcher.whose(name, la_code)
    locality = cell_text(row.get("locality"))
    quals, _ = qualifiers(companion(row, "value"))
    value = number(row, "value", src, findings)
    if value is SUPPRESSED:
        quals = "c" + quals.replace("c", "")
    return IndicatorValue(code, period[0], period[1], value, number(row, "scotland", src,
                                                                        findings),
                          _count(row, "numerator", src, findings),
                          _count(row, "denominator", src, findings), quals, src,
                          None if locality.lower() in ("", "all") else locality,
                          _owner_label(owner, row.get("partnership1")))


def _unknown_code(text, src: Source, findings: Findings, column: str) -> None:
    findings.error("indicators.unknown_code", f"expected an indicator code NI1 to NI23 (or a "
                   f"local indicator code from apr.toml), found '{cell_text(text)[:40]}'; "
                   "correct it or delete the row", src.file, src.row, column)

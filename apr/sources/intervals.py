"""95% confidence limits beside an indicator value, in any of the three indicator layouts.

Public Health Scotland publishes the survey indicators (NI-1 to NI-9) with 95% confidence
intervals: ``lower_ci``/``upper_ci`` in the MI workbook, ``LowerCI``/``UpperCI`` in the dashboard
extract. apr's own layout takes the same columns under any of the spellings in ``LOWER`` and
``UPPER``. Every layout checks the limits here, so a bad limit reads the same whichever file
it came from.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..findings import Findings
from ..model import Source
from .tables import RawTable
from .values import SUPPRESSED, parse_number

# Normalised column names (see tables.normalise_column): "Lower CI" -> lower_ci,
# "LowerCI" -> lowerci, "Lower 95% CI" -> lower_95_ci. The first of each is apr's own name.
LOWER = ("lower_ci", "lowerci", "lower_95_ci", "lower_95ci", "ci_lower", "lower_cl", "lcl",
         "lci", "lower_confidence_limit", "lower_limit")
UPPER = ("upper_ci", "upperci", "upper_95_ci", "upper_95ci", "ci_upper", "upper_cl", "ucl",
         "uci", "upper_confidence_limit", "upper_limit")


@dataclass(frozen=True)
class IntervalColumns:
    """Where a table keeps its confidence limits: normalised keys and the names as written."""

    lower: str | None = None
    upper: str | None = None
    lower_name: str = "lower_ci"
    upper_name: str = "upper_ci"

    @classmethod
    def of(cls, raw: RawTable) -> IntervalColumns:
        """Return the first column of each spelling in the table (None where there is none)."""
        lower = next((c for c in LOWER if c in raw.columns), None)
        upper = next((c for c in UPPER if c in raw.columns), None)
        return cls(lower, upper, raw.original_columns.get(lower, "lower_ci"),
                   raw.original_columns.get(upper, "upper_ci"))

    @property
    def present(self) -> bool:
        return self.lower is not None or self.upper is not None


def read_interval(row: dict, columns: IntervalColumns, value, src: Source, findings: Findings,
                  what: str = "the value") -> tuple[float | None, float | None]:
    """Return (lower, upper) from the row, or (None, None) with a finding if they are unusable.

    Suppressed or empty limits give no interval and no finding; a limit that is not a number,
    a lower limit above the value or an upper limit below it is an error; one limit without the
    other is a warning (the interval is ignored).
    """
    if not columns.present:
        return None, None
    lower = _limit(row, columns.lower, columns.lower_name, f"lower 95% confidence limit of {what}",
                   src, findings)
    upper = _limit(row, columns.upper, columns.upper_name, f"upper 95% confidence limit of {what}",
                   src, findings)
    if lower is False or upper is False or SUPPRESSED in (lower, upper):
        return None, None
    if (lower is None) != (upper is None):
        given, missing = ("lower", columns.upper_name) if upper is None else \
            ("upper", columns.lower_name)
        findings.warning("indicators.incomplete_interval",
                         f"{what} has a {given} 95% confidence limit but no "
                         f"{'upper' if given == 'lower' else 'lower'} one; the interval was "
                         "ignored and the comparison with Scotland uses the margin rule. Give "
                         "both limits or neither", src.file, src.row, missing)
        return None, None
    if lower is None:
        return None, None
    return _ordered(lower, upper, value, columns, src, findings, what)


def _limit(row: dict, key: str | None, name: str, limit_of: str, src: Source,
           findings: Findings):
    """Return the limit as a float, None (empty), SUPPRESSED, or False after an error."""
    if key is None:
        return None
    limit, problem = parse_number(row.get(key))
    if problem:
        findings.error("indicators.bad_interval",
                       f"expected a number for the {limit_of} in '{name}', "
                       f"found {problem}; type the number as published, or leave both limits "
                       "empty where there is no interval", src.file, src.row, name)
        return False
    return limit


def _ordered(lower: float, upper: float, value, columns: IntervalColumns, src: Source,
             findings: Findings, what: str) -> tuple[float | None, float | None]:
    """Return the limits if lower <= value <= upper (lower <= upper without a value)."""
    fix = ("check that the lower and upper columns are not swapped and that the limits are on "
           "the value's scale (percentages, not proportions), and correct the cell")
    shown = f"{value:g}" if isinstance(value, float) else ""
    ok = True
    if isinstance(value, float) and lower > value:
        findings.error("indicators.bad_interval",
                       f"expected the lower 95% confidence limit of {what} to be no more than "
                       f"the value {shown}, found {lower:g}; {fix}", src.file, src.row,
                       columns.lower_name)
        ok = False
    if isinstance(value, float) and upper < value:
        findings.error("indicators.bad_interval",
                       f"expected the upper 95% confidence limit of {what} to be no less than "
                       f"the value {shown}, found {upper:g}; {fix}", src.file, src.row,
                       columns.upper_name)
        ok = False
    if not isinstance(value, float) and lower > upper:
        findings.error("indicators.bad_interval",
                       f"expected the lower 95% confidence limit of {what} to be no more than "
                       f"the upper limit {upper:g}, found {lower:g}; {fix}", src.file, src.row,
                       columns.lower_name)
        ok = False
    return (lower, upper) if ok else (None, None)


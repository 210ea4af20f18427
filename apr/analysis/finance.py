"""Finance analysis: spend by reg 4(2) category and its proportion of funding, variances with
reasons and the comparison with earlier years. Amounts are written by apr/formatting.py."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..config import ReportConfig, ReportingYear
from ..formatting import money_digits, money_words, round_half_up
from ..model import FinanceLine, Reserve, Saving

CATEGORIES = {
    "a": "Health care for hospital inpatients",
    "b": "Health care other than for hospital inpatients",
    "c": "Social care in care homes and adult placements",
    "d": "Social care to support unpaid carers",
    "e": "Other social care",
}
INSTITUTIONAL = ("a", "c")
DECIMALS = 9        # sums and differences are kept to 9 decimal places: see ``exact``
RESERVE_TYPES = ("earmarked", "ring-fenced", "general")


@dataclass
class YearFinance:
    """One year's finance: totals, spend by category and the lines behind them."""

    year: ReportingYear
    lines: list[FinanceLine]
    budget: float
    outturn: float
    by_category: dict[str, float] = field(default_factory=dict)
    budget_by_category: dict[str, float] = field(default_factory=dict)
    by_care_group: dict[str, float] = field(default_factory=dict)
    budget_by_care_group: dict[str, float] = field(default_factory=dict)

    @property
    def variance(self) -> float:
        return exact(self.budget - self.outturn)

    def proportion(self, category: str) -> float:
        """Return spend on a category as a percentage of the total paid to the partnership."""
        return self.by_category.get(category, 0.0) / self.budget * 100 if self.budget else 0.0

    def care_group_proportion(self, group: str) -> float:
        """Return spend on a key care group as a percentage of the total paid to the partnership."""
        return self.by_care_group.get(group, 0.0) / self.budget * 100 if self.budget else 0.0

    @property
    def institutional_share(self) -> float:
        spend = sum(self.by_category.get(c, 0.0) for c in INSTITUTIONAL)
        return spend / self.outturn * 100 if self.outturn else 0.0


@dataclass
class TotalsCheck:
    """A total supplied in apr.toml (from the annual accounts) against the sum of the lines."""

    year: ReportingYear
    measure: str             # budget or outturn
    supplied: float
    computed: float
    tolerance: float

    @property
    def difference(self) -> float:
        return exact(self.computed - self.supplied)

    @property
    def agrees(self) -> bool:
        return within(self.difference, self.tolerance)


@dataclass
class ReservesSummary:
    """The year's reserves by type (earmarked, ring-fenced, general) and in total."""

    rows: list[Reserve]
    by_type: dict[str, tuple[float, float, float]]   # type -> (opening, movement, closing)
    opening: float
    movement: float
    closing: float
    general_share: float | None     # closing general reserve as % of the year's budget


@dataclass
class SavingsSummary:
    """The year's savings programme: planned against achieved, recurring and non-recurring."""

    rows: list[Saving]
    planned: float
    achieved: float
    recurring: float                # achieved savings that recur in future years
    non_recurring: float

    @property
    def achieved_share(self) -> float | None:
        return self.achieved / self.planned * 100 if self.planned else None

    @property
    def shortfall(self) -> float:
        return exact(self.planned - self.achieved)


@dataclass
class FinanceResult:
    years: list[YearFinance]
    current: YearFinance | None
    missing_reasons: list[FinanceLine] = field(default_factory=list)
    outcome_spend: dict[int, float] = field(default_factory=dict)
    key_care_groups: list[str] = field(default_factory=list)
    totals_checks: list[TotalsCheck] = field(default_factory=list)
    reserves: ReservesSummary | None = None
    savings: SavingsSummary | None = None

    @property
    def totals_mismatches(self) -> list[TotalsCheck]:
        return [c for c in self.totals_checks if not c.agrees]

    @property
    def shift(self) -> str:
        """Return "community", "institutional" or "none": which way the share of spend on
        hospital inpatients and care homes moved since the earliest year shown (a change of
        less than 0.1 percentage points counts as none)."""
        if self.current is None or len(self.years) < 2:
            return "none"
        change = self.current.institutional_share - self.years[0].institutional_share
        if abs(change) < 0.1:
            return "none"
        return "community" if change < 0 else "institutional"


def analyse_finance(lines: list[FinanceLine], config: ReportConfig,
                    year: ReportingYear, years: list[ReportingYear]) -> FinanceResult:
    """Return the finance figures for the reporting year and the comparison years."""
    by_year: dict[int, list[FinanceLine]] = {}
    for line in lines:
        by_year.setdefault(line.year.start, []).append(line)
    result_years = []
    for y in years:
        if y.start in by_year:
            result_years.append(_year(y, by_year[y.start], config))
    current = next((y for y in result_years if y.year == year), None)
    result = FinanceResult(result_years, current, key_care_groups=list(config.key_care_groups))
    result.totals_checks = check_totals(result_years, config)
    if current:
        result.missing_reasons = [
            ln for ln in current.lines
            if abs(ln.variance) > config.variance_threshold and not ln.reason.strip()]
        for ln in current.lines:
            for outcome in config.service_lines[ln.service_line].outcomes:
                result.outcome_spend[outcome] = result.outcome_spend.get(outcome, 0.0) + ln.outturn
    return result


def _year(year: ReportingYear, lines: list[FinanceLine], config: ReportConfig) -> YearFinance:
    yf = YearFinance(year, sorted(lines, key=lambda ln: ln.service_line),
                     total(ln.budget for ln in lines), total(ln.outturn for ln in lines))
    for ln in lines:
        cat = config.service_lines[ln.service_line].category
        yf.by_category[cat] = yf.by_category.get(cat, 0.0) + ln.outturn
        yf.budget_by_category[cat] = yf.budget_by_category.get(cat, 0.0) + ln.budget
        for group in config.service_lines[ln.service_line].care_groups:
            yf.by_care_group[group] = yf.by_care_group.get(group, 0.0) + ln.outturn
            yf.budget_by_care_group[group] = yf.budget_by_care_group.get(group, 0.0) + ln.budget
    for sums in (yf.by_category, yf.budget_by_category, yf.by_care_group,
                 yf.budget_by_care_group):
        sums.update((key, exact(value)) for key, value in sums.items())
    return yf


def check_totals(years: list[YearFinance], config: ReportConfig) -> list[TotalsCheck]:
    """Return each supplied total ([finance] supplied_totals) against the sum of the lines."""
    checks = []
    for yf in years:
        for measure, supplied in config.supplied_totals.get(yf.year.start, {}).items():
            checks.append(TotalsCheck(yf.year, measure, supplied, getattr(yf, measure),
                                      config.rounding_tolerance))
    return checks


def summarise_reserves(rows: list[Reserve], year: ReportingYear,
                       budget: float | None) -> ReservesSummary | None:
    """Return the year's reserves by type and in total; None when there are no rows."""
    rows = [r for r in rows if r.year == year]
    if not rows:
        return None
    by_type: dict[str, tuple[float, float, float]] = {}
    for kind in RESERVE_TYPES:
        mine = [r for r in rows if r.type == kind]
        if mine:
            by_type[kind] = (total(r.opening for r in mine), total(r.movement for r in mine),
                             total(r.closing for r in mine))
    general = by_type.get("general", (0.0, 0.0, 0.0))[2]
    share = general / budget * 100 if budget and "general" in by_type else None
    return ReservesSummary(rows, by_type, total(r.opening for r in rows),
                           total(r.movement for r in rows), total(r.closing for r in rows), share)


def summarise_savings(rows: list[Saving], year: ReportingYear) -> SavingsSummary | None:
    """Return the year's savings planned against achieved; None when there are no rows."""
    rows = [r for r in rows if r.year == year]
    if not rows:
        return None
    recurring = total(r.achieved for r in rows if r.recurring)
    achieved = total(r.achieved for r in rows)
    return SavingsSummary(rows, total(r.planned for r in rows), achieved, recurring,
                          exact(achieved - recurring))


# Sums of amounts with decimals (£m) carry binary floating-point noise: 309.7 - 309.8 is
# -0.10000000000002274, 3.3 - 0.6 is 2.6999999999999997. Sums and differences are therefore
# kept to DECIMALS places (far below any amount shown; whole £000 are unchanged), and a difference
# within EPSILON of a tolerance counts as within it.
EPSILON = 1e-6


def exact(value: float) -> float:
    """Return a sum or difference of amounts without its floating-point noise."""
    return round(value, DECIMALS)


def total(values) -> float:
    """Return the sum of amounts without floating-point noise: 0.1 + 0.2 is 0.3."""
    return exact(sum(values))


def within(difference: float, tolerance: float) -> bool:
    """True when a difference is no larger than the tolerance, ignoring floating-point noise."""
    return abs(difference) <= tolerance + EPSILON


def adds_up(parts: list[float], total: float, unit: str = "£000",
            decimals: int | None = None) -> bool:
    """True when the parts, each rounded as shown, add up to the total as shown."""
    digits = money_digits(unit, decimals)
    shown = sum(round_half_up(p, digits) for p in parts)
    return abs(shown - round_half_up(total, digits)) < 10 ** -digits / 2


def variance_words(variance: float, unit: str = "£000", decimals: int | None = None) -> str:
    """Return "an underspend of £1.2m", "an overspend of £350k" or "a balanced position"."""
    if abs(variance) < 0.5 and unit == "£000" or abs(variance) < 0.05:
        return "a balanced position"
    kind = "an underspend" if variance > 0 else "an overspend"
    return f"{kind} of {money_words(abs(variance), unit, decimals)}"


# Rows of a finance export that total other rows. "Total" (and the spellings below) is the
# year's total, checked against the lines as a supplied total; any other name with the word
# total in it ("Sub total", "Total NHS", "Council services total") is a subtotal. Neither is
# ever added in: see docs/finance.md, "Totals in the finance table".
GRAND_TOTALS = ("total", "grand total", "overall total", "total expenditure", "total spend",
                "total budget", "net total", "total ijb", "total partnership", "total hscp",
                "ijb total", "partnership total", "hscp total", "totals")


def total_row_kind(name: str) -> str | None:
    """Return "total" for the year's total, "subtotal" for another total row, else None."""
    words = " ".join("".join(c if c.isalnum() else " " for c in name.lower()).split())
    if words in GRAND_TOTALS:
        return "total"
    padded = f" {words.replace('sub total', 'subtotal')} "
    if " total " in padded or " subtotal " in padded or " totals " in padded:
        return "subtotal"
    return None

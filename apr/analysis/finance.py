"""Finance analysis: spend by reg 4(2) category and its proportion of funding, variances with
reasons and the comparison with earlier years. Amounts are written by apr/formatting.py."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..config import ReportConfig, ReportingYear
from ..formatting import money_digits, money_words, round_half_up
from ..model import FinanceLine, PublishedTotal, Reserve, Saving

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
class Figures:
    """A row's amounts as the tables show them: published where the accounts give them."""

    budget: float
    funding: float
    outturn: float
    variance: float
    final_variance: float


def computed_figures(lines) -> Figures:
    """Return the sums of the lines: budget, funding and outturn, variances from them."""
    budget, funding = total(ln.budget for ln in lines), total(ln.funding for ln in lines)
    outturn = total(ln.outturn for ln in lines)
    return Figures(budget, funding, outturn, exact(budget - outturn), exact(funding - outturn))


def published_figures(row, computed: Figures) -> Figures:
    """Return a published total or subtotal row's figures; what it leaves out is computed."""
    if row is None:
        return computed
    funding = row.final_budget if row.final_budget is not None else (
        row.budget if computed.funding == computed.budget else computed.funding)
    variance = row.published_variance if row.published_variance is not None else exact(
        row.budget - row.outturn)
    final = row.published_final_variance if row.published_final_variance is not None else \
        exact(funding - row.outturn)
    return Figures(row.budget, funding, row.outturn, variance, final)


@dataclass
class YearFinance:
    """One year's finance: totals, spend by category and the lines behind them, in the order
    of the accounts. ``budget`` is the annual financial statement (planned spending, reg
    4(1)(c)); ``funding`` the total paid to or set aside (the final budget, reg 4(1)(b)): the
    same figure when the partnership keeps only one (``single_figure``)."""

    year: ReportingYear
    lines: list[FinanceLine]
    budget: float
    outturn: float
    funding: float = 0.0
    single_figure: bool = True
    published: list[PublishedTotal] = field(default_factory=list)
    by_category: dict[str, float] = field(default_factory=dict)
    budget_by_category: dict[str, float] = field(default_factory=dict)
    funding_by_category: dict[str, float] = field(default_factory=dict)
    by_care_group: dict[str, float] = field(default_factory=dict)
    budget_by_care_group: dict[str, float] = field(default_factory=dict)
    splits: list[tuple[FinanceLine, list[tuple[str, float, float]]]] = field(
        default_factory=list)   # split lines: (line, [(category, percent, outturn)])

    @property
    def variance(self) -> float:
        """Under/(over)spend against the financial statement: the accounts' total when given."""
        total_row = self.published_total("")
        if total_row is not None and total_row.published_variance is not None:
            return total_row.published_variance
        return exact(self.budget - self.outturn)

    @property
    def final_variance(self) -> float:
        """Under/(over)spend against the final budget (the total paid or set aside)."""
        total_row = self.published_total("")
        if total_row is not None and total_row.published_final_variance is not None:
            return total_row.published_final_variance
        return exact(self.funding - self.outturn)

    @property
    def in_year_change(self) -> float:
        """Funding allocated (or withdrawn) during the year: final budget - financial statement."""
        return exact(self.funding - self.budget)

    @property
    def allocators(self) -> list[str]:
        """The partner bodies whose lines' funding changed during the year, in order."""
        return [b for b in self.bodies
                if exact(sum(ln.funding - ln.budget for ln in self.body_lines(b)))]

    @property
    def bodies(self) -> list[str]:
        """The partner bodies of the lines, in the order of the accounts; [] without bodies."""
        seen: dict[str, str] = {}
        for ln in self.lines:
            if ln.body:
                seen.setdefault(_key(ln.body), ln.body)
        return list(seen.values()) if seen else []

    def body_lines(self, body: str) -> list[FinanceLine]:
        return [ln for ln in self.lines if _key(ln.body) == _key(body)]

    def published_total(self, body: str) -> PublishedTotal | None:
        """The accounts' total ("" for the year) or a body's subtotal row, when given."""
        return next((t for t in self.published if _key(t.body) == _key(body)), None)

    @property
    def shown(self) -> Figures:
        """The year's totals as the report shows them: the accounts' Total row when given."""
        return published_figures(self.published_total(""), computed_figures(self.lines))

    def zero_categories(self) -> list[str]:
        """Categories given lines whose spend is zero: no spend that year, an answer."""
        return [c for c in CATEGORIES if c in self.by_category and not self.by_category[c]]

    def proportion(self, category: str) -> float:
        """Return spend on a category as a percentage of the total paid to the partnership."""
        return self.by_category.get(category, 0.0) / self.funding * 100 if self.funding else 0.0

    def care_group_proportion(self, group: str) -> float:
        """Return spend on a key care group as a percentage of the total paid to the partnership."""
        return self.by_care_group.get(group, 0.0) / self.funding * 100 if self.funding else 0.0

    @property
    def institutional_share(self) -> float:
        spend = sum(self.by_category.get(c, 0.0) for c in INSTITUTIONAL)
        return spend / self.outturn * 100 if self.outturn else 0.0


def _key(body: str) -> str:
    return " ".join(body.lower().split())


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


def analyse_finance(lines: list[FinanceLine], config: ReportConfig, year: ReportingYear,
                    years: list[ReportingYear],
                    published: list[PublishedTotal] | None = None) -> FinanceResult:
    """Return the finance figures for the reporting year and the comparison years."""
    by_year: dict[int, list[FinanceLine]] = {}
    for line in lines:
        by_year.setdefault(line.year.start, []).append(line)
    result_years = []
    for y in years:
        if y.start in by_year:
            mine = [t for t in published or [] if t.year.start == y.start]
            result_years.append(_year(y, by_year[y.start], config, mine))
    current = next((y for y in result_years if y.year == year), None)
    result = FinanceResult(result_years, current, key_care_groups=list(config.key_care_groups))
    result.totals_checks = check_totals(result_years, config)
    if current:
        result.missing_reasons = [
            ln for ln in current.lines
            if abs(ln.variance) > config.variance_threshold and not ln.reason.strip()]
        for ln in current.lines:
            for outcome in mapping(config, ln).outcomes:
                result.outcome_spend[outcome] = result.outcome_spend.get(outcome, 0.0) + ln.outturn
    return result


def mapping(config: ReportConfig, line: FinanceLine):
    """Return the line's mapping in apr.toml (its body's own first); the reader made sure
    every line it kept has one."""
    return config.line_mapping(line.body, line.service_line)


def _year(year: ReportingYear, lines: list[FinanceLine], config: ReportConfig,
          published: list[PublishedTotal]) -> YearFinance:
    yf = YearFinance(year, list(lines), total(ln.budget for ln in lines),
                     total(ln.outturn for ln in lines), total(ln.funding for ln in lines),
                     all(ln.final_budget is None for ln in lines), published)
    for ln in lines:
        line_map = mapping(config, ln)
        parts = []
        for cat, percent in line_map.shares:
            share = percent / 100
            _add(yf.by_category, cat, ln.outturn * share)
            _add(yf.budget_by_category, cat, ln.budget * share)
            _add(yf.funding_by_category, cat, ln.funding * share)
            parts.append((cat, percent, exact(ln.outturn * share)))
        if line_map.split:
            yf.splits.append((ln, parts))
        for group in line_map.care_groups:
            _add(yf.by_care_group, group, ln.outturn)
            _add(yf.budget_by_care_group, group, ln.budget)
    for sums in (yf.by_category, yf.budget_by_category, yf.funding_by_category,
                 yf.by_care_group, yf.budget_by_care_group):
        sums.update((key, exact(value)) for key, value in sums.items())
    return yf


def _add(sums: dict[str, float], key: str, amount: float) -> None:
    sums[key] = sums.get(key, 0.0) + amount


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

"""Finance analysis: spend by reg 4(2) category and its proportion of funding, variances with
reasons, the comparison with earlier years, and money formatting in public-sector style."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..config import ReportConfig, ReportingYear
from ..model import FinanceLine

CATEGORIES = {
    "a": "Health care for hospital inpatients",
    "b": "Health care other than for hospital inpatients",
    "c": "Social care in care homes and adult placements",
    "d": "Social care to support unpaid carers",
    "e": "Other social care",
}
INSTITUTIONAL = ("a", "c")


@dataclass
class YearFinance:
    """One year's finance: totals, spend by category and the lines behind them."""

    year: ReportingYear
    lines: list[FinanceLine]
    budget: float
    outturn: float
    by_category: dict[str, float] = field(default_factory=dict)
    budget_by_category: dict[str, float] = field(default_factory=dict)

    @property
    def variance(self) -> float:
        return self.budget - self.outturn

    def proportion(self, category: str) -> float:
        """Return spend on a category as a percentage of the total paid to the partnership."""
        return self.by_category.get(category, 0.0) / self.budget * 100 if self.budget else 0.0

    @property
    def institutional_share(self) -> float:
        spend = sum(self.by_category.get(c, 0.0) for c in INSTITUTIONAL)
        return spend / self.outturn * 100 if self.outturn else 0.0


@dataclass
class FinanceResult:
    years: list[YearFinance]
    current: YearFinance | None
    missing_reasons: list[FinanceLine] = field(default_factory=list)
    outcome_spend: dict[int, float] = field(default_factory=dict)


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
    result = FinanceResult(result_years, current)
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
                     sum(ln.budget for ln in lines), sum(ln.outturn for ln in lines))
    for ln in lines:
        cat = config.service_lines[ln.service_line].category
        yf.by_category[cat] = yf.by_category.get(cat, 0.0) + ln.outturn
        yf.budget_by_category[cat] = yf.budget_by_category.get(cat, 0.0) + ln.budget
    return yf


def money(value: float | None, unit: str = "£000", brackets: bool = True) -> str:
    """Return an amount in the project's unit, negatives in brackets: "12,345", "(1,200)"."""
    if value is None:
        return "–"
    if unit == "£m":
        text = f"{abs(value):,.1f}"
    else:
        text = f"{abs(round(value)):,.0f}"
    if value < 0 and round(abs(value), 1 if unit == "£m" else 0):
        return f"({text})" if brackets else f"-{text}"
    return text


def money_words(value: float, unit: str = "£000") -> str:
    """Return an amount for a sentence, in pounds: "£1.2m", "£350k", "£900"."""
    pounds = value * (1_000_000 if unit == "£m" else 1_000)
    size = abs(pounds)
    sign = "-" if pounds < 0 else ""
    if size >= 1_000_000:
        return f"{sign}£{size / 1_000_000:,.1f}m"
    if size >= 1_000:
        return f"{sign}£{size / 1_000:,.0f}k"
    return f"{sign}£{size:,.0f}"


def variance_words(variance: float, unit: str = "£000") -> str:
    """Return "an underspend of £1.2m", "an overspend of £350k" or "a balanced position"."""
    if abs(variance) < 0.5 and unit == "£000" or abs(variance) < 0.05:
        return "a balanced position"
    kind = "an underspend" if variance > 0 else "an overspend"
    return f"{kind} of {money_words(abs(variance), unit)}"

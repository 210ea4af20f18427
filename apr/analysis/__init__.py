"""Analysis: from the inputs to the figures the report states (the ``analyse`` stage)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..config import ReportingYear
from ..findings import Findings
from ..formatting import money, setting_amount
from ..model import Inputs, Inspection, JmcRecommendation, SignificantDecision
from .finance import (
    EPSILON,
    FinanceResult,
    analyse_finance,
    exact,
    summarise_reserves,
    summarise_savings,
)
from .indicators import IndicatorResult, analyse_indicators, current, window
from .inspections import GRADE_WORDS, InspectionSummary, good_or_better, summarise  # noqa: F401
from .msg import MsgAnalysis, analyse_msg


@dataclass
class LocalityResult:
    name: str
    slug: str
    summary: str
    population: float | None
    spend: float | None
    share: float | None        # percent of total outturn


@dataclass
class Analysis:
    """Every computed figure the templates and tables draw on."""

    year: ReportingYear
    years: list[ReportingYear]
    indicators: list[IndicatorResult]
    finance: FinanceResult
    localities: list[LocalityResult]
    unallocated_spend: float | None
    inspections: list[Inspection]
    good_or_better: int
    graded: int
    deadline: dt.date
    recipients: list[str]
    inspection_summary: InspectionSummary | None = None
    benchmark: dict[str, int] = field(default_factory=dict)
    jmc_recommendations: list[JmcRecommendation] = field(default_factory=list)
    decisions: list[SignificantDecision] = field(default_factory=list)
    msg: MsgAnalysis | None = None      # the MSG indicators (analysis/msg.py)
    # delegated, hosted, lgbf, peer_group, funding_gap, deprivation, prevention
    accountability: dict[str, object] = field(default_factory=dict)


def analyse(inputs: Inputs, findings: Findings | None = None) -> Analysis:
    """Return the analysis of the reporting year, adding its problems to ``findings`` (none
    given: they are not kept); it never stops, the pipeline does."""
    warnings = Findings() if findings is None else findings
    config, year = inputs.config, inputs.year
    years = window(year, config.first_year)
    results = analyse_indicators(inputs.indicators, year, config.first_year, config.similar_band,
                                 config.indicator_outcomes, config, inputs.national)
    finance = analyse_finance(inputs.finance, config, year, years, inputs.finance_totals)
    if finance.current is None:
        warnings.error("finance.no_current_year",
                       f"the finance table has no rows for {year.label}; add the year's budget "
                       "and outturn for each service line", "data/finance")
    # a variance without a reason is a placeholder in the finance table (document/tables.py)
    _check_totals(finance, config, warnings)
    finance.reserves = summarise_reserves(inputs.reserves, year,
                                          finance.current.budget if finance.current else None)
    finance.savings = summarise_savings(inputs.savings, year)
    localities, unallocated = _localities(inputs, finance)
    if unallocated is not None and unallocated < -config.rounding_tolerance - EPSILON:
        warnings.warning(
            "localities.spend_exceeds_total",
            f"the localities' spend in {year.label} adds up to "
            f"{money(finance.current.outturn - unallocated, config.amounts, False)} "
            f"({config.amounts}), more than the partnership's total spend of "
            f"{money(finance.current.outturn, config.amounts, False)} in data/finance; "
            "correct the spend column so that localities plus unallocated spend equal the total",
            "data/localities", column="spend")
    in_year = [i for i in inputs.inspections if _in_year(i.date, year)]
    graded = [i for i in in_year if i.grades]
    good = [i for i in graded if good_or_better(i)]
    jmc = sorted((r for r in inputs.jmc_recommendations if _in_year(r.date, year)),
                 key=lambda r: r.date)
    decisions = sorted((d for d in inputs.decisions if _in_year(d.date, year)),
                       key=lambda d: d.date)
    from .accountability import analyse_accountability
    return Analysis(year, years, results, finance, localities, unallocated, in_year, len(good),
                    len(graded), year.publication_deadline, recipients(config),
                    summarise(in_year), benchmark(results), jmc, decisions,
                    analyse_msg(inputs.msg, config, year), analyse_accountability(inputs))


def _in_year(date: dt.date, year: ReportingYear) -> bool:
    return dt.date(year.start, 4, 1) <= date <= year.end_date


def _check_totals(finance: FinanceResult, config, warnings: Findings) -> None:
    unit = config.amounts
    for check in finance.totals_mismatches:
        warnings.warning(
            "finance.totals_mismatch",
            f"the {check.measure} for {check.year.label} in data/finance adds up to "
            f"{money(check.computed, unit, False)} ({unit}), but finance.supplied_totals gives "
            f"{money(check.supplied, unit, False)}: a difference of "
            f"{money(check.difference, unit, False)}, more than the rounding tolerance of "
            f"{setting_amount(check.tolerance, unit)}; correct the service lines or the "
            "supplied total", config.config_file, column="finance.supplied_totals")


def benchmark(results) -> dict[str, int]:
    """Return how many indicators with a latest value compare better, similar or worse than
    Scotland."""
    counts = {"better": 0, "similar": 0, "worse": 0}
    for r in current(results):
        if r.vs_scotland in counts:
            counts[r.vs_scotland] += 1
    return counts


def _localities(inputs: Inputs, finance: FinanceResult):
    config, year = inputs.config, inputs.year
    rows = {ly.locality: ly for ly in inputs.localities if ly.year == year}
    total = finance.current.outturn if finance.current else None
    result = []
    for loc in config.localities:
        ly = rows.get(loc.name)
        spend = ly.spend if ly else None
        share = spend / total * 100 if spend is not None and total else None
        result.append(LocalityResult(loc.name, loc.slug, loc.summary,
                                     ly.population if ly else None, spend, share))
    allocated = [r.spend for r in result if r.spend is not None]
    unallocated = exact(total - sum(allocated)) if total is not None and allocated else None
    return result, unallocated


def recipients(config) -> list[str]:
    """Return who must receive a copy of the report under s.42(5) for the integration model."""
    if config.model == "lead_agency":
        other = {"health_board": config.council, "council": config.health_board}.get(config.lead)
        return ["the integration joint monitoring committee",
                f"{other}, the other authority" if other else
                f"the other authority ({config.council} or {config.health_board}, whichever is "
                "not the lead agency)"]
    return [config.health_board, *config.councils]   # each constituent council (s.42(5)(a))

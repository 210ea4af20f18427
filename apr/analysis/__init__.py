"""Analysis: from the inputs to the figures the report states (the ``analyse`` stage)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..config import ReportingYear
from ..findings import Findings
from ..model import Inputs, Inspection
from .finance import FinanceResult, analyse_finance
from .indicators import IndicatorResult, analyse_indicators, window

GRADE_WORDS = {6: "Excellent", 5: "Very good", 4: "Good", 3: "Adequate", 2: "Weak",
               1: "Unsatisfactory"}


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
    warnings: Findings = field(default_factory=Findings)


def analyse(inputs: Inputs) -> Analysis:
    """Return the analysis of the reporting year; warnings are collected, not raised."""
    config, year = inputs.config, inputs.year
    years = window(year, config.first_year)
    results = analyse_indicators(inputs.indicators, year, config.first_year, config.similar_band,
                                 config.indicator_outcomes)
    finance = analyse_finance(inputs.finance, config, year, years)
    warnings = Findings()
    if finance.current is None:
        warnings.error("finance.no_current_year",
                       f"the finance table has no rows for {year.label}; add the year's budget "
                       "and outturn for each service line", "data/finance")
    for line in finance.missing_reasons:
        src = line.source
        warnings.warning("finance.missing_reason",
                         f"'{line.service_line}' differs from budget by "
                         f"{abs(line.variance):,.0f} ({config.amounts}), more than the "
                         f"threshold of {config.variance_threshold:,.0f}, but gives no reason; "
                         "add one in the 'reason' column", src.file if src else "",
                         src.row if src else None, "reason")
    localities, unallocated = _localities(inputs, finance)
    in_year = [i for i in inputs.inspections
               if dt.date(year.start, 4, 1) <= i.date <= year.end_date]
    graded = [i for i in in_year if i.grades]
    good = [i for i in graded if min(i.grades.values()) >= 4]
    return Analysis(year, years, results, finance, localities, unallocated, in_year, len(good),
                    len(graded), year.publication_deadline, recipients(config), warnings)


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
    unallocated = total - sum(allocated) if total is not None and allocated else None
    return result, unallocated


def recipients(config) -> list[str]:
    """Return who must receive a copy of the report under s.42(5) for the integration model."""
    if config.model == "lead_agency":
        return ["the integration joint monitoring committee",
                f"{config.council} or {config.health_board}, whichever is not the lead agency"]
    return [config.health_board, config.council]

"""The report's charts: a spec, alt text written from the data, and the data as a table.

Charts are drawn only when a template asks for them, so a template that drops a chart costs
nothing.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..analysis import Analysis
from ..analysis.finance import CATEGORIES, money_words
from ..analysis.indicators import IndicatorResult, format_value
from ..charts import ChartSpec, Series
from ..config import ReportConfig
from .nodes import Cell, Figure, Table


@dataclass
class FigurePlan:
    """A figure before it is drawn."""

    id: str
    caption: str
    alt: str
    spec: ChartSpec
    data: Table
    source: str = ""

    def make(self, draw: Callable[[ChartSpec], bytes]) -> Figure:
        return Figure(self.id, self.caption, self.alt, draw(self.spec), source=self.source,
                      data=self.data)


def plan_figures(analysis: Analysis, config: ReportConfig) -> dict[str, FigurePlan]:
    """Return every chart the templates can ask for, keyed by name."""
    plans: dict[str, FigurePlan] = {}
    for r in analysis.indicators:
        if r.indicator.reportable and r.latest is not None:
            plans[f"chart.{r.code}"] = indicator_figure(r, config)
    if analysis.finance.years:
        plans["chart.finance-categories"] = finance_category_figure(analysis, config)
        plans["chart.finance-budget"] = budget_figure(analysis, config)
    if any(loc.spend is not None for loc in analysis.localities):
        plans["chart.localities-spend"] = locality_figure(analysis, config)
    return plans


def indicator_figure(r: IndicatorResult, config: ReportConfig) -> FigurePlan:
    ind = r.indicator
    cells = r.cells
    labels = [c.year.label for c in cells]
    ours = [c.number for c in cells]
    scot = [c.value.scotland if c.value and isinstance(c.value.scotland, float) else None
            for c in cells]
    break_at = None
    for b in ind.breaks:
        idx = labels.index(b) if b in labels else None
        if idx:
            break_at = idx
    spec = ChartSpec("line", f"{ind.short_title}, {config.short_name} and Scotland", labels,
                     [Series(config.short_name, ours), Series("Scotland", scot)],
                     unit=ind.unit_short if ind.unit_short != "%" else "%",
                     break_before=break_at, percent=ind.unit_short == "%")
    rows = [[Cell(c.year.label, header=True), Cell(format_value(ind, c.number), "right"),
             Cell(format_value(ind, s), "right")] for c, s in zip(cells, scot)]
    data = Table(f"data-{ind.code.lower()}", f"Data for the chart: {ind.short_title}",
                 ["Year", config.short_name, "Scotland"], rows, units=ind.unit,
                 align=["left", "right", "right"])
    return FigurePlan(f"figure-{ind.code.lower()}", f"{ind.code} {ind.short_title}: "
                      f"{config.short_name} and Scotland", indicator_alt(r, config, labels, ours,
                                                                           scot), spec, data,
                      config.data_vintage)


def indicator_alt(r: IndicatorResult, config: ReportConfig, labels, ours, scot) -> str:
    """Return alt text that says what the chart shows: the rise or fall and Scotland."""
    ind = r.indicator
    pts = [(lab, v) for lab, v in zip(labels, ours) if v is not None]
    text = f"Line chart of {ind.title.lower()} ({ind.unit}) for {config.short_name} and Scotland"
    if len(pts) >= 2:
        (l0, v0), (l1, v1) = pts[0], pts[-1]
        verb = "rose" if v1 > v0 else "fell" if v1 < v0 else "stayed"
        text += (f". {config.short_name} {verb} from {format_value(ind, v0)} in {l0} to "
                 f"{format_value(ind, v1)} in {l1}")
    elif pts:
        text += f". {config.short_name}: {format_value(ind, pts[0][1])} in {pts[0][0]}"
    spts = [(lab, v) for lab, v in zip(labels, scot) if v is not None]
    if len(spts) >= 2:
        text += (f"; Scotland went from {format_value(ind, spts[0][1])} to "
                 f"{format_value(ind, spts[-1][1])}")
    if r.vs_scotland in ("better", "worse", "similar"):
        word = {"better": "better than", "worse": "worse than", "similar": "similar to"}
        text += f". In {labels[-1]} {config.short_name} was {word[r.vs_scotland]} Scotland"
    if r.direction == "not comparable":
        text += ". The survey changed in the latest year, so it cannot be compared with earlier years"
    return text + "."


def finance_category_figure(analysis: Analysis, config: ReportConfig) -> FigurePlan:
    years = analysis.finance.years
    labels = [y.year.label for y in years]
    unit = "£m"
    scale = 1 / 1000 if config.amounts == "£000" else 1
    series = [Series(f"({k}) {v}", [y.by_category.get(k, 0.0) * scale for y in years])
              for k, v in CATEGORIES.items()]
    spec = ChartSpec("stacked", "Spend by prescribed category", labels, series, unit=unit,
                     width_in=8.0, height_in=3.8)
    first, last = years[0], years[-1]
    alt = (f"Stacked bar chart of spend by regulation 4(2) category from {labels[0]} to "
           f"{labels[-1]}. Total spend went from {money_words(first.outturn, config.amounts)} to "
           f"{money_words(last.outturn, config.amounts)}. The share spent on hospital inpatients "
           f"and care homes went from {first.institutional_share:.1f}% to "
           f"{last.institutional_share:.1f}%.")
    rows = [[Cell(y.year.label, header=True)] +
            [Cell(f"{y.by_category.get(k, 0.0) * scale:,.1f}", "right") for k in CATEGORIES]
            for y in years]
    data = Table("data-finance-categories", "Data for the chart: spend by category (£m)",
                 ["Year"] + [f"({k})" for k in CATEGORIES], rows, units="£m",
                 notes=[f"({k}) {v}" for k, v in CATEGORIES.items()],
                 align=["left"] + ["right"] * len(CATEGORIES))
    return FigurePlan("figure-finance-categories", f"Spend by category, {labels[0]} to {labels[-1]}",
                      alt, spec, data, "Annual accounts")


def budget_figure(analysis: Analysis, config: ReportConfig) -> FigurePlan:
    years = analysis.finance.years
    labels = [y.year.label for y in years]
    scale = 1 / 1000 if config.amounts == "£000" else 1
    spec = ChartSpec("bar", "Budget and outturn by year", labels,
                     [Series("Budget", [y.budget * scale for y in years]),
                      Series("Outturn", [y.outturn * scale for y in years])], unit="£m",
                     width_in=8.0)
    over = [y.year.label for y in years if y.variance < 0]
    alt = (f"Bar chart comparing budget and outturn for each year from {labels[0]} to "
           f"{labels[-1]}. In {labels[-1]} the budget was "
           f"{money_words(years[-1].budget, config.amounts)} and spend "
           f"{money_words(years[-1].outturn, config.amounts)}. Spend exceeded budget in "
           f"{', '.join(over) if over else 'no year'}.")
    rows = [[Cell(y.year.label, header=True), Cell(f"{y.budget * scale:,.1f}", "right"),
             Cell(f"{y.outturn * scale:,.1f}", "right"),
             Cell(f"{y.variance * scale:,.1f}", "right")] for y in years]
    data = Table("data-finance-budget", "Data for the chart: budget and outturn (£m)",
                 ["Year", "Budget", "Outturn", "Under/(over)spend"], rows, units="£m",
                 align=["left", "right", "right", "right"])
    return FigurePlan("figure-finance-budget", "Budget and outturn by year", alt, spec, data,
                      "Annual accounts")


def locality_figure(analysis: Analysis, config: ReportConfig) -> FigurePlan:
    locs = analysis.localities
    scale = 1 / 1000 if config.amounts == "£000" else 1
    labels = [loc.name for loc in locs]
    spec = ChartSpec("bar", f"Spend by locality, {analysis.year.label}", labels,
                     [Series("Spend", [(loc.spend or 0) * scale for loc in locs])], unit="£m",
                     width_in=8.0, extra={"rotate": True})
    top = max(locs, key=lambda loc: loc.spend or 0)
    alt = (f"Bar chart of spend in each of the {len(locs)} localities in {analysis.year.label}. "
           + "; ".join(f"{loc.name} {money_words(loc.spend or 0, config.amounts)}" for loc in locs)
           + f". {top.name} had the largest spend.")
    rows = [[Cell(loc.name, header=True), Cell(f"{(loc.spend or 0) * scale:,.1f}", "right")]
            for loc in locs]
    data = Table("data-localities-spend", "Data for the chart: spend by locality (£m)",
                 ["Locality", "Spend"], rows, units="£m", align=["left", "right"])
    return FigurePlan("figure-localities-spend", f"Spend by locality, {analysis.year.label}", alt,
                      spec, data, "Partnership finance")

"""The report's charts: a spec, alt text written from the data, and the data as a table.

Charts are drawn only when a template asks for them, so a template that drops a chart costs
nothing.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .. import formatting as fmt
from ..analysis import Analysis
from ..analysis.finance import CATEGORIES
from ..analysis.indicators import IndicatorResult
from ..charts import ChartSpec, Series, zoom_start
from ..config import ReportConfig
from ..formatting import indicator_value as format_value
from ..formatting import money_words
from ..wording import capitalise, count, join_words, lower_first, movement
from .nodes import Cell, Figure, Paragraph, Run, Table

MIN_POINTS = 3      # a series of one or two figures gets a sentence, not a chart

MAX_ALT = 250   # characters: alt text longer than this is read out, not taken in


@dataclass
class FigurePlan:
    """A figure before it is drawn."""

    id: str
    caption: str
    alt: str
    spec: ChartSpec | None   # None: too few figures for a chart; a sentence stands instead
    data: Table | None   # None only where the sentence beside the chart gives every figure
    source: str = ""

    def make(self, draw: Callable[[ChartSpec], bytes]) -> Figure:
        return Figure(self.id, self.caption, self.alt, draw(self.spec), source=self.source,
                      data=self.data)

    @property
    def drawn(self) -> bool:
        """False when the series is too short to chart: ``sentence`` stands in its place."""
        return self.spec is not None

    def sentence(self) -> Paragraph:
        """Return the sentence shown instead of a chart of one or two figures."""
        return Paragraph([Run(self.alt)])


def no_chart(name: str, what: str, points: int) -> FigurePlan:
    """Return the plan of a chart not drawn because its series has only ``points`` figures."""
    count = {0: "no figures", 1: "only one figure"}.get(points, f"only {points} figures")
    return FigurePlan(name, "", f"There is no chart of {what}: with {count} a chart would "
                      "show little; the figures are in the table.", None, None)


# apr's own charts (besides one per indicator): drawn when the data give them (plan_figures)
OWN_FIGURES = ("chart.finance-categories", "chart.finance-budget", "chart.finance-reserves",
               "chart.finance-savings", "chart.localities-spend", "chart.summary-comparison")


def possible_figures(analysis: Analysis) -> list[str]:
    """Return every chart name apr can draw with some data: one per indicator of the
    catalogue, local indicator and MSG indicator, and its own. ``figure()`` of one the data
    do not give inserts nothing; any other name is a misspelling."""
    from ..catalogue import indicators
    from ..catalogue.msg import msg_indicators
    codes = set(indicators()) | set(msg_indicators()) | {r.code for r in analysis.indicators}
    return sorted({f"chart.{code}" for code in codes} | set(OWN_FIGURES))


def plan_figures(analysis: Analysis, config: ReportConfig) -> dict[str, FigurePlan]:
    """Return every chart the templates can ask for, keyed by name."""
    plans: dict[str, FigurePlan] = {}
    for r in analysis.indicators:
        if r.indicator.reportable and r.latest is not None:
            points = sum(c.number is not None for c in r.cells)
            plans[f"chart.{r.code}"] = indicator_figure(r, config) if points >= MIN_POINTS \
                else no_chart(f"figure-{r.code.lower()}", r.code, points)
    years = len(analysis.finance.years)
    if years >= MIN_POINTS:
        plans["chart.finance-categories"] = finance_category_figure(analysis, config)
        plans["chart.finance-budget"] = budget_figure(analysis, config)
    elif years:
        plans["chart.finance-categories"] = no_chart("figure-finance-categories",
                                                     "spend over the years", years)
        plans["chart.finance-budget"] = no_chart("figure-finance-budget",
                                                 "budget and outturn over the years", years)
    if analysis.finance.reserves:
        plans["chart.finance-reserves"] = reserves_figure(analysis, config)
    if analysis.finance.savings:
        plans["chart.finance-savings"] = savings_figure(analysis, config)
    if any(loc.spend is not None for loc in analysis.localities):
        plans["chart.localities-spend"] = locality_figure(analysis, config)
    from .msg_tables import msg_figures
    plans.update(msg_figures(analysis, config))
    return plans


def indicator_figure(r: IndicatorResult, config: ReportConfig) -> FigurePlan:
    """Return the line chart of one indicator against Scotland, breaks marked, survey years only."""
    ind = r.indicator
    cells = [c for c in r.cells if c.note != "survey not run"]
    labels = [c.period for c in cells]
    ours = [c.number for c in cells]
    scot = [c.value.scotland if c.value and isinstance(c.value.scotland, float) else None
            for c in cells]
    break_at = next((i for i, c in enumerate(cells) if c.break_before and i > 0), None)
    percent = ind.unit_short == "%"
    start = zoom_start([v for v in ours + scot if v is not None]) if percent else 0.0
    spec = ChartSpec("line", f"{ind.short_title}, {config.short_name} and Scotland", labels,
                     [Series(config.short_name, ours), Series("Scotland", scot)],
                     unit=ind.unit_short, break_before=break_at, percent=percent,
                     axis_from=start)
    rows = [[Cell(lab, header=True), Cell(format_value(ind, c.value.value if c.value else None),
                                         "right"),
             Cell(format_value(ind, s), "right")] for lab, c, s in zip(labels, cells, scot)]
    notes = [f"Series break before {labels[break_at]}: earlier years are not comparable."] \
        if break_at is not None else []
    notes += [axis_note(start, ind)] if start else []
    data = Table(f"data-{ind.code.lower()}", capitalise(ind.short_title),
                 ["Period", config.short_name, "Scotland"], rows, units=ind.unit, notes=notes,
                 align=["left", "right", "right"])
    return FigurePlan(f"figure-{ind.code.lower()}", f"{ind.code} {ind.short_title}: "
                      f"{config.short_name} and Scotland",
                      indicator_alt(r, config, labels, ours, scot, break_at,
                                    f"The axis starts at {format_value(ind, start, 0)}"
                                    if start else ""),
                      spec, data, config.data_vintage)


def axis_note(start: float, ind) -> str:
    """Return the sentence saying that a chart's value axis does not start at zero."""
    return (f"The value axis starts at {format_value(ind, start, 0)}, not zero, so that the "
            "changes can be seen.")


def indicator_alt(r: IndicatorResult, config: ReportConfig, labels, ours, scot,
                  break_at: int | None = None, axis: str = "") -> str:
    """Return alt text from the data, under MAX_ALT characters: what the chart shows, how the
    partnership's figure moved (never across a series break), how it compares with Scotland
    and where the value axis starts when not at zero (``axis``); the less important parts are
    left out when the whole would be too long."""
    ind, name = r.indicator, config.short_name
    start = break_at or 0
    pts = [(lab, v) for lab, v in zip(labels[start:], ours[start:]) if v is not None]
    spts = [(lab, v) for lab, v in zip(labels[start:], scot[start:]) if v is not None]
    scotland = " and Scotland" if any(v is not None for v in scot) else ""
    unit = "" if ind.unit_short == "%" else f"Unit: {ind.unit}"
    opening = f"Line chart of {ind.code}, {lower_first(ind.short_title)}, for {name}{scotland}"
    if len(labels) > 1:
        opening += f", {labels[0]} to {labels[-1]}"
    broken = (f"The series breaks before {labels[break_at]}: earlier years are not comparable"
              if break_at is not None else "")
    moved = _moved(ind, name, pts)
    scot_moved = (f"Scotland {_moved(ind, '', spts).strip()}" if len(spts) >= 2 else "")
    compared = ""
    if r.latest is not None and r.vs_scotland != "no comparator":
        word = {"better": "better than", "worse": "worse than", "similar": "similar to",
                "higher": "higher than", "lower": "lower than"}[r.vs_scotland]
        compared = (f"In {r.latest.period} {name} was {word} Scotland "
                    f"({format_value(ind, r.latest.value.scotland)})")
    for parts in ([opening, unit, broken, moved, scot_moved, compared, axis],
                  [opening, unit, broken, moved, compared, axis],
                  [opening, broken, moved, compared, axis], [opening, moved, compared, axis],
                  [opening, moved, compared]):
        text = ". ".join(p for p in parts if p) + "."
        if len(text) <= MAX_ALT:
            return text
    return text[:MAX_ALT - 1].rsplit(" ", 1)[0] + "…"


def _moved(ind, name: str, pts: list) -> str:
    """Return how a series moved from its first to its last point, in words."""
    if len(pts) == 1:
        return f"{name} was {format_value(ind, pts[0][1])} in {pts[0][0]}".strip()
    if not pts:
        return ""
    (l0, v0), (l1, v1) = pts[0], pts[-1]
    a, b = format_value(ind, v0), format_value(ind, v1)
    if a == b:
        return f"{name} was {b} in {l0} and in {l1}".strip()
    verb = "rose" if v1 > v0 else "fell"
    return f"{name} {verb} from {a} in {l0} to {b} in {l1}".strip()


def _millions(config: ReportConfig) -> Callable[[float], float]:
    """Return the conversion of the project's amounts to £ million, for the spend charts."""
    return lambda value: fmt.millions(value, config.amounts)


def _in_millions(value: float, config: ReportConfig) -> str:
    """Return an amount in £m as the chart data and the text show it: the report's one money
    style ([finance] decimals), rounded half up, negatives in brackets."""
    return fmt.money(fmt.millions(value, config.amounts), "£m", decimals=config.money_decimals)


def _in_amounts(value: float, config: ReportConfig) -> str:
    """Return an amount in the project's own unit, as the finance tables show it."""
    return fmt.money(value, config.amounts, decimals=config.money_decimals)


def _span(labels: list[str]) -> str:
    """Return "from 2018/19 to 2023/24", or "in 2023/24" for a single year."""
    return f"in {labels[0]}" if labels[0] == labels[-1] else f"from {labels[0]} to {labels[-1]}"


def finance_category_figure(analysis: Analysis, config: ReportConfig) -> FigurePlan:
    years, m, dp = analysis.finance.years, _millions(config), config.money_decimals
    labels = [y.year.label for y in years]
    series = [Series(f"({k}) {v}", [m(y.by_category.get(k, 0.0)) for y in years])
              for k, v in CATEGORIES.items()]
    spec = ChartSpec("stacked", "Spend by prescribed category", labels, series, unit="£m",
                     width_in=8.0, height_in=3.8)
    first, last = years[0], years[-1]
    total = movement(money_words(first.outturn, config.amounts, dp),
                     money_words(last.outturn, config.amounts, dp), first.outturn, last.outturn)
    shares = movement(fmt.percent(first.institutional_share),
                      fmt.percent(last.institutional_share),
                      first.institutional_share, last.institutional_share)
    alt = (f"Stacked bar chart of spend by the five categories the regulations prescribe, "
           f"{_span(labels)}. Total spend {total}. The share spent on hospital "
           f"inpatients and care homes {shares}.")
    rows = [[Cell(y.year.label, header=True)] +
            [Cell(_in_millions(y.by_category.get(k, 0.0), config), "right") for k in CATEGORIES]
            for y in years]
    data = Table("data-finance-categories", "Spend by category (£m)",
                 ["Year"] + [f"({k})" for k in CATEGORIES], rows, units="£m",
                 notes=[f"({k}) {v}" for k, v in CATEGORIES.items()],
                 align=["left"] + ["right"] * len(CATEGORIES))
    return FigurePlan("figure-finance-categories",
                      f"Spend by category, {fmt.year_range(labels[0], labels[-1])}",
                      alt, spec, data, "Annual accounts")


def budget_figure(analysis: Analysis, config: ReportConfig) -> FigurePlan:
    years, m, dp = analysis.finance.years, _millions(config), config.money_decimals
    labels = [y.year.label for y in years]
    spec = ChartSpec("bar", "Budget and outturn by year", labels,
                     [Series("Budget", [m(y.budget) for y in years]),
                      Series("Outturn", [m(y.outturn) for y in years])], unit="£m",
                     width_in=8.0)
    over = [y.year.label for y in years if y.variance < 0]
    alt = (f"Bar chart comparing budget and outturn for each year {_span(labels)}. In "
           f"{labels[-1]} the budget was {money_words(years[-1].budget, config.amounts, dp)} "
           f"and spend {money_words(years[-1].outturn, config.amounts, dp)}. Spend exceeded "
           f"budget in {join_words(over) if over else 'no year'}.")
    rows = [[Cell(y.year.label, header=True)] +
            [Cell(_in_millions(v, config), "right") for v in (y.budget, y.outturn, y.variance)]
            for y in years]
    data = Table("data-finance-budget", "Budget and outturn (£m)",
                 ["Year", "Budget", "Outturn", "Under/(over)spend"], rows,
                 units="£m; overspends in brackets", align=["left", "right", "right", "right"])
    return FigurePlan("figure-finance-budget", "Budget and outturn by year", alt, spec, data,
                      "Annual accounts")


def locality_figure(analysis: Analysis, config: ReportConfig) -> FigurePlan:
    locs, m, dp = analysis.localities, _millions(config), config.money_decimals
    labels = [loc.name for loc in locs]
    spec = ChartSpec("bar", f"Spend by locality, {analysis.year.label}", labels,
                     [Series("Spend", [m(loc.spend or 0) for loc in locs])], unit="£m",
                     width_in=8.0)
    top = max(locs, key=lambda loc: loc.spend or 0)
    alt = (f"Bar chart of spend by locality in {analysis.year.label}: "
           + "; ".join(f"{loc.name} {money_words(loc.spend or 0, config.amounts, dp)}"
                       for loc in locs)
           + f". {top.name} had the largest spend.")
    rows = [[Cell(loc.name, header=True), Cell(_in_millions(loc.spend or 0, config), "right")]
            for loc in locs]
    data = Table("data-localities-spend", "Spend by locality (£m)",
                 ["Locality", "Spend"], rows, units="£m", align=["left", "right"])
    return FigurePlan("figure-localities-spend", f"Spend by locality, {analysis.year.label}", alt,
                      spec, data, "Partnership finance")


def _fell_short(short: list[str], programmes: int) -> str:
    """Return which programmes fell short of their plan, named when that stays brief."""
    if not short:
        return "Every programme achieved its plan." if programmes > 1 else \
            "The programme achieved its plan."
    if programmes == 1:
        return "The programme fell short of its plan."
    named = f"Fell short of plan: {join_words(short)}."
    return named if len(named) <= 90 else f"Of these, {len(short)} fell short of plan."


def reserves_figure(analysis: Analysis, config: ReportConfig) -> FigurePlan:
    """Return the reserves chart: opening and closing balance of each type of reserve, in the
    project's unit (reserves are small beside total spend: £m would hide them)."""
    res, unit, dp = analysis.finance.reserves, config.amounts, config.money_decimals
    kinds = list(res.by_type)
    labels = [k.capitalize() for k in kinds]
    spec = ChartSpec("bar", f"Reserves at the start and end of {analysis.year.label}", labels,
                     [Series("Opening", [res.by_type[k][0] for k in kinds]),
                      Series("Closing", [res.by_type[k][2] for k in kinds])], unit=unit)
    moves = "; ".join(
        f"{k} reserves {movement(money_words(o, unit, dp), money_words(c, unit, dp), o, c)}"
        for k, (o, m, c) in res.by_type.items())
    total = movement(money_words(res.opening, unit, dp), money_words(res.closing, unit, dp),
                     res.opening, res.closing)
    alt = (f"Bar chart of reserves at the start and end of {analysis.year.label} by type: "
           f"{moves}. In total, reserves {total}.")
    rows = [[Cell(k.capitalize(), header=True)] +
            [Cell(_in_amounts(v, config), "right") for v in res.by_type[k]] for k in kinds]
    rows.append([Cell("Total", header=True)] + [Cell(_in_amounts(v, config), "right")
                                                for v in (res.opening, res.movement, res.closing)])
    data = Table("data-finance-reserves", f"Reserves ({unit})",
                 ["Type", "Opening", "Movement", "Closing"], rows,
                 units=f"{unit}; reductions in brackets",
                 align=["left", "right", "right", "right"])
    return FigurePlan("figure-finance-reserves", f"Reserves by type, {analysis.year.label}",
                      alt, spec, data, "Annual accounts")


def savings_figure(analysis: Analysis, config: ReportConfig) -> FigurePlan:
    """Return the savings chart: planned against achieved for each programme, in the project's
    unit (as the savings table)."""
    sav, unit, dp = analysis.finance.savings, config.amounts, config.money_decimals
    labels = [s.programme for s in sav.rows]
    # lying bars: programme names are too long to stand under bars without turning them
    spec = ChartSpec("hbar", f"Savings planned and achieved, {analysis.year.label}", labels,
                     [Series("Planned", [s.planned for s in sav.rows]),
                      Series("Achieved", [s.achieved for s in sav.rows])], unit=unit,
                     width_in=8.0, height_in=max(3.8, 1.2 + 0.55 * len(labels)))
    short = [s.programme for s in sav.rows if s.achieved < s.planned]
    share = f" ({fmt.percent(sav.achieved_share, 0)})" if sav.achieved_share is not None else ""
    alt = (f"Bar chart of savings planned and achieved in {analysis.year.label}, "
           f"{count(len(sav.rows), 'programme')}. Planned savings were "
           f"{money_words(sav.planned, unit, dp)} and {money_words(sav.achieved, unit, dp)}{share} "
           f"were achieved, of which {money_words(sav.recurring, unit, dp)} recur in future "
           "years. " + _fell_short(short, len(sav.rows)))
    rows = [[Cell(s.programme, header=True), Cell(_in_amounts(s.planned, config), "right"),
             Cell(_in_amounts(s.achieved, config), "right"),
             Cell("Yes" if s.recurring else "No")] for s in sav.rows]
    data = Table("data-finance-savings", f"Savings planned and achieved ({unit})",
                 ["Programme", "Planned", "Achieved", "Recurring"], rows, units=unit,
                 align=["left", "right", "right", "left"])
    return FigurePlan("figure-finance-savings", f"Savings planned and achieved, "
                      f"{analysis.year.label}", alt, spec, data, "Savings programme monitoring")

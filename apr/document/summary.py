"""Tables, chart and sentences of the short public summary (template ``summary.md.j2``).

The headline is every indicator better or worse than Scotland, then the biggest improvements
and the biggest deteriorations since the previous figure, measured as a relative change so
that rates per 100,000 and percentages compare fairly. A change counts only when it is real:
for a survey figure with a 95% confidence interval, the previous figure must lie outside the
latest figure's interval (the rule the report uses against Scotland). The summary's sentences
carry no intervals, rate units or calendar-year stand-ins: those go to its notes.
"""
from __future__ import annotations

from ..analysis import Analysis
from ..analysis.indicators import IndicatorResult, current
from ..charts import ChartSpec, Series
from ..config import ReportConfig
from ..formatting import DASH, indicator_value
from ..wording import count
from .figures import FigurePlan
from .nodes import Cell, Table

BIGGEST = 3
VS_WORDS = {"better": "Better", "worse": "Worse", "similar": "Similar"}
DIRECTION_WORDS = {"improved": "Improved", "worsened": "Worsened", "no change": "No change",
                   "no significant change": "No significant change",
                   "not tested": "Not tested for significance"}


def relative_change(r: IndicatorResult) -> float:
    """Return the change since the previous figure as a fraction of it (0 when unknown)."""
    before = r.previous.number if r.previous else None
    if r.change is None or not before:
        return 0.0
    return abs(r.change / before)


def significant_change(r: IndicatorResult) -> bool:
    """True when the change since the previous figure is more than sampling error: always for
    a figure without a confidence interval, else when the previous figure lies outside the
    latest figure's 95% interval."""
    if r.change is None or r.previous is None:
        return False
    interval = r.interval
    return interval is None or not interval[0] <= r.previous.number <= interval[1]


def biggest(analysis: Analysis, direction: str, n: int = BIGGEST) -> list[IndicatorResult]:
    """Return up to ``n`` current indicators that really moved in ``direction`` (see
    significant_change), largest relative change first."""
    moved = [r for r in current(analysis.indicators)
             if r.direction == direction and significant_change(r)]
    return sorted(moved, key=lambda r: (-relative_change(r), r.code))[:n]


def summary_sentence(r: IndicatorResult) -> str:
    """Return one short sentence for the public: what moved and by how much, without the
    unit of a rate, an interval or the calendar year behind the figure (see summary_notes)."""
    ind, name = r.indicator, r.indicator.short_title
    verb = "rose" if r.change > 0 else "fell"
    since = r.previous.year.label
    if ind.unit_short == "%":
        return (f"{name} {verb} from {indicator_value(ind, r.previous.number)} to "
                f"{indicator_value(ind, r.latest.number)} (since {since}).")
    return f"{name} {verb} by {relative_change(r) * 100:.1f}% (since {since})."


def summary_notes(analysis: Analysis) -> list[str]:
    """Return the notes behind the summary's sentences: which figures are for a calendar year
    standing in for the reporting year."""
    shown = {r.code: r for r in biggest(analysis, "improved") + biggest(analysis, "worsened")}
    standins = [r for r in shown.values() if r.latest is not None and r.latest.standin]
    notes = []
    if standins:
        names = ", ".join(sorted(r.indicator.short_title for r in standins))
        year = standins[0].latest
        notes.append(f"{names}: calendar year {year.period}, in place of {year.year.label}.")
    if any(r.interval is not None for r in analysis.indicators):
        notes.append("A survey figure's change counts only when larger than the survey's "
                     "margin of error.")
    return [" ".join(notes)] if notes else []


def headline_indicators(analysis: Analysis) -> list[IndicatorResult]:
    """Return the indicators the summary shows, in catalogue order, each once."""
    chosen = {r.code for r in current(analysis.indicators) if r.vs_scotland in ("better", "worse")}
    chosen |= {r.code for r in biggest(analysis, "improved") + biggest(analysis, "worsened")}
    return [r for r in analysis.indicators if r.code in chosen]


def headline_context(analysis: Analysis) -> dict[str, list[IndicatorResult]]:
    """Return the template variable ``headline`` (see context.VARIABLES)."""
    return {"improved": biggest(analysis, "improved"), "worsened": biggest(analysis, "worsened"),
            "better": [r for r in current(analysis.indicators) if r.vs_scotland == "better"],
            "worse": [r for r in current(analysis.indicators) if r.vs_scotland == "worse"],
            "notes": summary_notes(analysis),
            "improved_text": [summary_sentence(r) for r in biggest(analysis, "improved")],
            "worsened_text": [summary_sentence(r) for r in biggest(analysis, "worsened")]}


def summary_tables(analysis: Analysis, config: ReportConfig) -> dict[str, Table]:
    """Return the summary's own tables, keyed by the names its template uses."""
    return {"summary.indicators": headline_table(analysis, config)}


def headline_table(analysis: Analysis, config: ReportConfig) -> Table:
    shown = headline_indicators(analysis)
    rows = [_row(r) for r in shown]
    if not rows:
        rows = [[Cell("No indicator differed from Scotland or changed since the previous "
                      "figure", header=True), Cell(""), Cell(""), Cell(""), Cell("")]]
    return Table("summary-indicators", f"Headline indicators, {config.short_name}",
                 ["Indicator", config.short_name, "Scotland", "Compared with Scotland",
                  "Since the previous figure"], rows,
                 source="Public Health Scotland, core suite of integration indicators",
                 notes=[_note(shown)],
                 align=["left", "right", "right", "left", "left"])


def _note(shown: list[IndicatorResult]) -> str:
    """Return the table note: what better and worse mean, by the rule each figure used."""
    rule = "larger than the margin the report treats as similar"
    if any(r.scotland_rule == "interval" for r in shown):
        rule += (" or, for a survey figure with a 95% confidence interval, that the Scotland "
                 "figure lies outside the interval")
    return (f"Better or worse means the difference from Scotland is {rule}; the full report "
            "gives every indicator, its definition and six years of figures.")


def _row(r: IndicatorResult) -> list[Cell]:
    ind = r.indicator
    scotland = r.latest.value.scotland if r.latest and r.latest.value else None
    scotland = scotland if isinstance(scotland, float) else None
    return [Cell(f"{r.code} {ind.short_title}", header=True),
            Cell(indicator_value(ind, r.latest.number) if r.latest else DASH, "right"),
            Cell(indicator_value(ind, scotland), "right"),
            Cell(VS_WORDS.get(r.vs_scotland, "No Scotland figure")),
            Cell(_direction(r))]


def _direction(r: IndicatorResult) -> str:
    """Return the change since the previous figure in the table's words."""
    if r.direction in ("improved", "worsened") and not significant_change(r):
        return "No significant change"
    return DIRECTION_WORDS.get(r.direction, "Not comparable") + \
        (" (indicative)" if r.comparison == "indicative" else "")


def comparison_spec(analysis: Analysis) -> tuple[ChartSpec, dict[str, int]]:
    """Return the summary chart (how many indicators were better, similar or worse than
    Scotland) and the counts it shows."""
    counts = {VS_WORDS[key]: sum(r.vs_scotland == key for r in current(analysis.indicators))
              for key in ("better", "similar", "worse")}
    spec = ChartSpec("bar", "Indicators compared with Scotland", list(counts),
                     [Series("Indicators", [float(v) for v in counts.values()])],
                     unit="indicators", width_in=5.0, height_in=1.6)
    return spec, counts


def summary_figures(analysis: Analysis) -> dict[str, FigurePlan]:
    """Return the summary's own chart, keyed by the name its template uses."""
    spec, counts = comparison_spec(analysis)
    # no data table: the sentence above the chart gives its three counts, and the summary has
    # to fit in four pages
    return {"chart.summary-comparison": FigurePlan(
        "figure-summary-comparison", "Core integration indicators compared with Scotland",
        comparison_alt(counts), spec, None, "Public Health Scotland")}


def comparison_alt(counts: dict[str, int]) -> str:
    """Return the alt text of the summary chart from its counts."""
    total = sum(counts.values())
    return (f"Bar chart of the {count(total, 'core integration indicator')} with a Scotland "
            f"figure: {count(counts['Better'])} better than Scotland, "
            f"{count(counts['Similar'])} similar and {count(counts['Worse'])} worse.")

"""Tables of the short public summary (template ``summary.md.j2``): the headline indicators.

The headline is every indicator better or worse than Scotland, then the biggest improvements
and the biggest deteriorations since the previous figure, measured as a relative change so
that rates per 100,000 and percentages compare fairly.
"""
from __future__ import annotations

from ..analysis import Analysis
from ..analysis.indicators import IndicatorResult, current, format_value
from ..config import ReportConfig
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


def biggest(analysis: Analysis, direction: str, n: int = BIGGEST) -> list[IndicatorResult]:
    """Return up to ``n`` indicators that moved in ``direction``, largest relative change first."""
    moved = [r for r in current(analysis.indicators)
             if r.direction == direction and r.change is not None]
    return sorted(moved, key=lambda r: (-relative_change(r), r.code))[:n]


def headline_indicators(analysis: Analysis) -> list[IndicatorResult]:
    """Return the indicators the summary shows, in catalogue order, each once."""
    chosen = {r.code for r in current(analysis.indicators) if r.vs_scotland in ("better", "worse")}
    chosen |= {r.code for r in biggest(analysis, "improved") + biggest(analysis, "worsened")}
    return [r for r in analysis.indicators if r.code in chosen]


def headline_context(analysis: Analysis) -> dict[str, list[IndicatorResult]]:
    """Return the template variable ``headline`` (see context.VARIABLES)."""
    return {"improved": biggest(analysis, "improved"), "worsened": biggest(analysis, "worsened"),
            "better": [r for r in current(analysis.indicators) if r.vs_scotland == "better"],
            "worse": [r for r in current(analysis.indicators) if r.vs_scotland == "worse"]}


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
            Cell(format_value(ind, r.latest.number) if r.latest else "–", "right"),
            Cell(format_value(ind, scotland), "right"),
            Cell(VS_WORDS.get(r.vs_scotland, "No Scotland figure")),
            Cell(DIRECTION_WORDS.get(r.direction, "Not comparable") +
                 (" (indicative)" if r.comparison == "indicative" else ""))]

"""Indicator analysis: the six-year window, direction by polarity, position against Scotland,
ranks and peers, locality figures under disclosure control, and plain-English sentences, all
following the comparability rules of the core suite (see docs/indicators.md)."""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from .. import formatting as fmt
from ..catalogue import IntegrationIndicator, find_partnership, indicators, is_survey_year
from ..config import ReportingYear
from ..model import IndicatorValue
from ..sources.values import SUPPRESSED, period_label

WINDOW = 6
# The two-sided 5% point of the normal distribution: published intervals are 95% intervals, and a
# change is statistically significant at the 95% level when |z| exceeds it.
Z95 = 1.96
NOT_YET_PUBLISHED = "not yet published"


@dataclass
class PeriodCell:
    """The value shown in one reporting-year column, and why it may differ from the column."""

    year: ReportingYear
    value: IndicatorValue | None
    standin: bool = False      # a calendar year standing in for the financial year
    note: str = ""             # e.g. "survey not run", "not updated since 2019/20"
    break_before: bool = False  # the series breaks here: not comparable with earlier cells

    @property
    def number(self) -> float | None:
        v = self.value.value if self.value else None
        return v if isinstance(v, float) else None

    @property
    def period(self) -> str:
        """The period the value really covers ("2023" for a calendar year), else the column."""
        return cell_label(self)


@dataclass
class LocalityFigure:
    """One locality's count and rate for an indicator, after disclosure control."""

    locality: str
    period: str
    count: float | None
    value: object               # float, None or SUPPRESSED
    suppressed: str = ""        # "", "primary" or "secondary"


@dataclass
class IndicatorResult:
    """Everything the report says about one indicator."""

    indicator: IntegrationIndicator
    cells: list[PeriodCell]
    outcomes: tuple[int, ...]
    latest: PeriodCell | None = None
    previous: PeriodCell | None = None
    direction: str = "no data"   # improved, worsened, no change, rose, fell, not comparable,
    change: float | None = None  # not updated, no data, no significant change, not tested
    # how the previous figure was chosen: "" (same kind of period), "like for like" (the
    # calendar year before a calendar-year stand-in) or "indicative" (the periods differ)
    comparison: str = ""
    z: float | None = None       # the z statistic of the change, where both have intervals
    vs_scotland: str = "no comparator"   # better, worse, similar, higher, lower, no comparator
    scotland_rule: str = ""      # how vs_scotland was judged: "interval", "margin" or ""
    sentence: str = ""
    notes: list[str] = field(default_factory=list)
    rank: int | None = None              # 1 = best of the partnerships with a value
    rank_of: int | None = None
    peer_rank: int | None = None
    peer_of: int | None = None
    peer_mean: float | None = None
    peers: list[tuple[str, float]] = field(default_factory=list)
    localities: list[LocalityFigure] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def main_outcome(self) -> int:
        return self.outcomes[0] if self.outcomes else 0

    @property
    def is_local(self) -> bool:
        """True for the partnership's own (local) indicators."""
        return self.indicator.source_kind == "local"

    @property
    def trend_text(self) -> str:
        """The trend in words with a symbol: "▼ Improved since 2022/23"."""
        return trend_text(self)

    @property
    def scotland_text(self) -> str:
        """The position against Scotland in words with a symbol: "✓ Better than Scotland"."""
        return SCOTLAND_WORDS[self.vs_scotland]

    @property
    def interval(self) -> tuple[float, float] | None:
        """The latest figure's 95% confidence interval (lower, upper), or None."""
        if self.latest is None or self.latest.value is None:
            return None
        return self.latest.value.interval


SCOTLAND_WORDS = {"better": "✓ Better than Scotland", "worse": "✗ Worse than Scotland",
                  "similar": "≈ Similar to Scotland", "higher": "Higher than Scotland",
                  "lower": "Lower than Scotland", "no comparator": "No Scotland figure"}


def trend_text(r: IndicatorResult) -> str:
    """Return the direction since the previous period in words, with ▲ ▼ ► for the movement."""
    since = f" since {_since(r.previous)}" if r.previous else ""
    arrow = "▲" if (r.change or 0) > 0 else "▼"
    words = {"improved": f"{arrow} Improved{since}", "worsened": f"{arrow} Worsened{since}",
             "rose": f"▲ Rose{since}", "fell": f"▼ Fell{since}",
             "no change": f"► No change{since}",
             "not comparable": "Not comparable: series break, no trend shown",
             "not updated": f"Not updated since {r.indicator.frozen_at}",
             "no data": "No earlier figure to compare",
             "no significant change": f"{arrow} No significant change{since}",
             "not tested": f"{arrow} {'Rose' if (r.change or 0) > 0 else 'Fell'}{since}, "
                           "not tested for significance"}
    indicative = " (indicative: different periods)" if r.comparison == "indicative" else ""
    return words[r.direction] + indicative


def _since(prev: PeriodCell) -> str:
    """Return the previous period as the trend column names it: "CY 2022" for the calendar
    year compared with a calendar-year stand-in, else its period."""
    return f"CY {prev.period}" if prev.standin else prev.period


def counts_as_current(r: IndicatorResult) -> bool:
    """True when an indicator counts among the current comparisons (with Scotland and over
    time) in every count of the report, summary, board paper and apr check: a core indicator
    reported nationally and not frozen (NI-20 stopped at 2019/20). Local indicators are the
    partnership's own and are not counted."""
    return r.indicator.reportable and r.indicator.status != "frozen" and not r.is_local


def current(results: list[IndicatorResult]) -> list[IndicatorResult]:
    """Return the results that count as current (see counts_as_current), in order."""
    return [r for r in results if counts_as_current(r)]


def window(year: ReportingYear, first_year: int) -> list[ReportingYear]:
    """Return the reporting year and the 5 before it (fewer if the partnership is younger)."""
    years = [year.previous(n) for n in range(WINDOW - 1, -1, -1)]
    return [y for y in years if y.start >= first_year] or [year]


def analyse_indicators(values: list[IndicatorValue], year: ReportingYear, first_year: int,
                       similar_band: float, outcome_overrides: dict[str, tuple[int, ...]],
                       config=None, national: Sequence[IndicatorValue] = ()
                       ) -> list[IndicatorResult]:
    """Return one result per indicator: NI-1 to NI-23 in order, then any local indicators."""
    catalogue = {**indicators(), **{i.code: i for i in getattr(config, "local_indicators", [])}}
    by_code: dict[str, list[IndicatorValue]] = {}
    for v in values:
        if v.partnership is None:
            by_code.setdefault(v.code, []).append(v)
    years = window(year, first_year)
    results = []
    for code, ind in catalogue.items():
        result = IndicatorResult(ind, [], outcome_overrides.get(code, ind.outcomes))
        mine = [v for v in by_code.get(code, []) if v.locality is None]
        if ind.reportable:
            result.cells = [_cell(ind, y, mine, y.start > year.start - ind.lag) for y in years]
            _judge(result, similar_band, mine)
            _rank(result, national, getattr(config, "peer_group", []))
        else:
            result.notes.append(ind.status_note)
        result.localities = locality_figures(
            [v for v in by_code.get(code, []) if v.locality is not None],
            getattr(config, "suppress_below", 10))
        result.sentence = sentence(result)
        results.append(result)
    return results


def _cell(ind: IntegrationIndicator, year: ReportingYear, values: list[IndicatorValue],
          lagged: bool = False) -> PeriodCell:
    """Return the cell for one column: the right period's value, or why there is none
    ("not yet published" within the indicator's publication lag)."""
    fy = next((v for v in values if v.start == year.start and not v.calendar), None)
    cy = next((v for v in values if v.start == year.start and v.calendar), None)
    breaks = year.label in ind.breaks
    if ind.frozen_at and year.start > ReportingYear.parse(ind.frozen_at).start:
        return PeriodCell(year, None, note=f"not updated since {ind.frozen_at}")
    if ind.period_basis == "survey" and not is_survey_year(year.start):
        return PeriodCell(year, None, note="survey not run")
    if ind.period_basis == "calendar":
        value = cy or fy
        return PeriodCell(year, value, break_before=breaks or _b(value),
                          note="" if value else _missing(lagged))
    if fy is not None:
        return PeriodCell(year, fy, break_before=breaks or _b(fy))
    if cy is not None and ind.period_basis == "calendar_standin":
        return PeriodCell(year, cy, standin=True, break_before=breaks or _b(cy))
    return PeriodCell(year, None, note=_missing(lagged), break_before=breaks)


def _missing(lagged: bool) -> str:
    return NOT_YET_PUBLISHED if lagged else "not available"


def _b(value: IndicatorValue | None) -> bool:
    return value is not None and "b" in value.qualifiers


def _judge(result: IndicatorResult, similar_band: float,
           values: Sequence[IndicatorValue] = ()) -> None:
    """Set latest, previous, direction, change, vs_scotland and the break and lag notes."""
    ind = result.indicator
    available = [c for c in result.cells if c.number is not None]
    _break_notes(result)
    if not available:
        return
    _lag_notes(result, available[-1])
    result.latest = available[-1]
    result.previous = available[-2] if len(available) > 1 else None
    latest, prev = result.latest, result.previous
    if ind.status == "frozen":
        result.direction = "not updated"
        result.notes.append(ind.status_note)
    elif prev is None:
        result.direction = "no data"
    elif any(c.break_before for c in result.cells
             if prev.year.start < c.year.start <= latest.year.start):
        result.direction = "not comparable"
    else:
        result.previous = prev = _like_for_like(result, prev, values)
        result.change = latest.number - prev.number
        result.direction = _direction(ind, result.change)
        _test_change(result)
    result.vs_scotland, result.scotland_rule = _against_scotland(ind, latest, similar_band)


def _lag_notes(result: IndicatorResult, latest: PeriodCell) -> None:
    """Name the latest published period in each "not yet published" cell, and say why."""
    lagged = [c for c in result.cells if c.note == NOT_YET_PUBLISHED]
    for cell in lagged:
        cell.note = f"{NOT_YET_PUBLISHED} (latest: {latest.period})"
    if lagged and result.indicator.lag_note:
        result.notes.append(result.indicator.lag_note)


def is_lagged(result: IndicatorResult) -> bool:
    """True when the latest figure is older than the reporting year because the next period
    is not yet published."""
    return any(c.note.startswith(NOT_YET_PUBLISHED) for c in result.cells)


def _like_for_like(result: IndicatorResult, prev: PeriodCell,
                   values: list[IndicatorValue]) -> PeriodCell:
    """Return the previous figure for the same kind of period as the latest: the calendar year
    before a calendar year standing in for the financial year (Public Health Scotland publishes
    both), else the previous cell, the comparison marked indicative when the periods differ."""
    latest = result.latest.value
    if prev.value.calendar == latest.calendar:
        return prev
    same = next((v for v in values if v.start == prev.value.start and v.locality is None
                 and v.calendar == latest.calendar and isinstance(v.value, float)), None)
    if same is None:
        result.comparison = "indicative"
        result.notes.append(f"The trend compares {_named(latest)} with {_named(prev.value)}: "
                            "the periods differ, so it is indicative only.")
        return prev
    result.comparison = "like for like"
    result.notes.append(f"The trend compares {_named(latest)} with {_named(same)}, like for "
                        "like.")
    return PeriodCell(prev.year, same, standin=same.calendar and not prev.value.calendar)


def _named(value: IndicatorValue) -> str:
    """Return "calendar year 2023" or "financial year 2022/23"."""
    kind = "calendar year" if value.calendar else "financial year"
    return f"{kind} {period_label(value.start, value.calendar)}"


def _test_change(result: IndicatorResult) -> None:
    """Judge a change by its statistical significance where it comes from a sample.

    With a 95% confidence interval for both figures, each standard error is the interval's
    width over 2 x 1.96, and the change is significant when |change| / sqrt(se1^2 + se2^2)
    exceeds 1.96 (a two-sided z-test at the 95% level); otherwise it is "no significant
    change". A survey indicator without both intervals is "not tested": its movement is shown
    but never counted as an improvement or a deterioration."""
    if result.direction == "no change":
        return
    before, after = result.previous.value.interval, result.latest.value.interval
    if before is None or after is None:
        if result.indicator.is_survey:
            result.direction = "not tested"
            result.notes.append(SIGNIFICANCE_NOTES["not tested"])
        return
    se = math.hypot(_standard_error(before), _standard_error(after))
    result.z = result.change / se if se else math.copysign(math.inf, result.change)
    if abs(result.z) <= Z95:
        result.direction = "no significant change"
        result.notes.append(SIGNIFICANCE_NOTES["no significant change"])


SIGNIFICANCE_NOTES = {
    "no significant change": "The change since the previous survey is within what could arise "
    "from sampling (judged on the 95% confidence intervals of both years), so it is not "
    "statistically significant.",
    "not tested": "The survey figures were given without confidence intervals for both years, "
    "so whether the change is statistically significant was not tested.",
}


def _standard_error(interval: tuple[float, float]) -> float:
    """Return the standard error implied by a 95% confidence interval (lower, upper)."""
    return (interval[1] - interval[0]) / (2 * Z95)


def _break_notes(result: IndicatorResult) -> None:
    ind = result.indicator
    for cell in result.cells:
        if cell.break_before and cell is not result.cells[0]:
            why = "the survey questions changed" if ind.is_survey else "the series breaks"
            result.notes.append(f"In {cell.year.label} {why}: figures from {cell.year.label} "
                                "are not comparable with earlier years, so no trend is shown "
                                "across the break.")


def _direction(ind: IntegrationIndicator, change: float) -> str:
    if round(change, ind.decimals) == 0:
        return "no change"
    if ind.higher_is_better is None:
        return "rose" if change > 0 else "fell"
    return "improved" if (change > 0) == ind.higher_is_better else "worsened"


def _against_scotland(ind: IntegrationIndicator, latest: PeriodCell,
                      band: float) -> tuple[str, str]:
    """Return (better/worse/similar, or higher/lower without a polarity; the rule used).

    With a 95% confidence interval the figure is similar when Scotland's value lies inside
    it (the difference could be sampling error); without one, when it is within ``band``
    percent of Scotland.
    """
    scot = latest.value.scotland if latest.value else None
    if not isinstance(scot, float):
        return "no comparator", ""
    interval = latest.value.interval
    if interval is not None:
        if interval[0] <= scot <= interval[1]:
            return "similar", "interval"
        return _side(ind, latest.number > scot), "interval"
    if not scot:
        return "no comparator", ""
    gap = (latest.number - scot) / abs(scot) * 100
    if abs(gap) <= band:
        return "similar", "margin"
    return _side(ind, gap > 0), "margin"


def _side(ind: IntegrationIndicator, above: bool) -> str:
    """Return better or worse by the indicator's polarity (higher or lower without one)."""
    if ind.higher_is_better is None:
        return "higher" if above else "lower"
    return "better" if above == ind.higher_is_better else "worse"


def _rank(result: IndicatorResult, national: list[IndicatorValue], peer_group: list[str]) -> None:
    """Set the rank among partnerships (1 = best) and the peer comparison for the latest period."""
    latest = result.latest
    if latest is None or not national:
        return
    same = {v.partnership: v.value for v in national if v.code == result.code
            and v.start == latest.value.start and v.calendar == latest.value.calendar
            and isinstance(v.value, float)}
    if len(same) < 2:
        return
    result.rank, result.rank_of = _position(result.indicator, latest.number, list(same.values()))
    names = [p.name for p in map(find_partnership, peer_group) if p is not None]
    result.peers = [(n, same[n]) for n in names if n in same]
    if result.peers:
        peer_values = [v for _, v in result.peers]
        result.peer_mean = sum(peer_values) / len(peer_values)
        result.peer_rank, result.peer_of = _position(result.indicator, latest.number, peer_values)


def _position(ind: IntegrationIndicator, ours: float, others: list[float]) -> tuple[int, int]:
    """Return (our rank, how many ranked): 1 is best (highest where there is no polarity)."""
    lower_better = ind.higher_is_better is False
    ahead = [v for v in others if (v < ours if lower_better else v > ours)]
    return len(ahead) + 1, len(others) + 1


def locality_figures(values: list[IndicatorValue], threshold: int) -> list[LocalityFigure]:
    """Return the latest period's locality figures with counts 1 to threshold-1 suppressed,
    and one more (the next smallest) where a single suppressed count could be worked out
    from the partnership total."""
    if not values:
        return []
    last = max((v.start, v.calendar) for v in values)
    rows = sorted((v for v in values if (v.start, v.calendar) == last), key=lambda v: v.locality)
    figures = [LocalityFigure(v.locality, v.period, v.numerator, v.value,
                              "primary" if _small(v, threshold) else "") for v in rows]
    primary = [f for f in figures if f.suppressed]
    # a zero protects nothing (it is known to be zero), so the next smallest non-zero count
    open_ = [f for f in figures if not f.suppressed and isinstance(f.count, float) and f.count]
    if len(primary) == 1 and open_:
        min(open_, key=lambda f: f.count).suppressed = "secondary"
    for f in figures:
        if f.suppressed:
            f.count, f.value = None, SUPPRESSED
    return figures


def _small(v: IndicatorValue, threshold: int) -> bool:
    return v.value is SUPPRESSED or (isinstance(v.numerator, float) and 0 < v.numerator < threshold)


def cell_label(cell: PeriodCell) -> str:
    """Return the period a cell's value really covers, e.g. "2023" for a calendar year."""
    if cell.value is None:
        return cell.year.label
    return period_label(cell.value.start, cell.value.calendar)


def period_words(cell: PeriodCell) -> str:
    """Return the period for a sentence: "2023/24", or "calendar year 2023 (used in place of
    2023/24)" for a stand-in."""
    if cell.standin:
        return f"calendar year {cell.period} (used in place of {cell.year.label})"
    if cell.value is not None and cell.value.calendar:
        return f"calendar year {cell.period}"
    return cell.period


def sentence(result: IndicatorResult) -> str:
    """Return one or two plain-English sentences: the latest value, its trend and Scotland."""
    ind, latest, prev = result.indicator, result.latest, result.previous
    if latest is None:
        return ""
    name = ind.short_title[0].upper() + ind.short_title[1:]
    value = fmt.indicator_value(ind, latest.number)
    unit = "" if ind.unit_short in ("%", "£") else f" {ind.unit}"
    when = period_words(latest)
    if result.direction in MOVED and prev is not None:
        verb = "rose" if result.change > 0 else "fell"
        size = (fmt.points(result.change) if ind.unit_short == "%" else
                fmt.relative_change(latest.number, prev.number))
        before = _named(prev.value) if result.comparison else prev.period
        text = (f"{name} {verb} by {size} to {value}{unit} in {when}, from "
                f"{fmt.indicator_value(ind, prev.number)} in {before}{_caveat(result)}")
    elif result.direction == "no change" and prev is not None:
        text = f"{name} was unchanged at {value}{unit} in {when}"
    elif result.direction == "not comparable":
        text = (f"{name} was {value}{unit} in {when}; this cannot be compared with earlier "
                "years because of a break in the series")
        if ind.is_survey:
            text = text.replace("a break in the series", "a change in the survey questions")
    elif result.direction == "not updated":
        text = (f"{name} was {value}{unit} in {when}, the latest year Public Health Scotland "
                "has published")
    else:
        text = f"{name} was {value}{unit} in {when}"
    if is_lagged(result):
        text += f"; {when} is the latest {LAG_WORDS}"
    return text + _scotland_clause(result) + "."


MOVED = ("improved", "worsened", "rose", "fell", "no significant change", "not tested")
LAG_WORDS = "period Public Health Scotland has published"
CAVEATS = {
    "no significant change": "; the change is within what sampling in the survey could cause, "
    "so it is not statistically significant",
    "not tested": "; whether this change is statistically significant was not tested, as the "
    "survey's confidence intervals were not given for both years",
    "indicative": " (a different kind of period, so the comparison is only indicative)",
}


def _caveat(result: IndicatorResult) -> str:
    """Return what qualifies a change: not significant, not tested, or indicative."""
    return CAVEATS.get(result.comparison, "") + CAVEATS.get(result.direction, "")


def _scotland_clause(result: IndicatorResult) -> str:
    ind, latest = result.indicator, result.latest
    scot = latest.value.scotland if latest.value else None
    if not isinstance(scot, float):
        return ""
    figure = f"the Scotland figure of {fmt.indicator_value(ind, scot)}"
    if result.scotland_rule == "interval":
        return _interval_clause(result, figure)
    if result.vs_scotland == "similar":
        return f". This is close to {figure}"
    side = "above" if latest.number > scot else "below"
    judged = {"better": ", which is better", "worse": ", which is worse"}
    return f". This is {side} {figure}{judged.get(result.vs_scotland, '')}"


def _interval_clause(result: IndicatorResult, figure: str) -> str:
    """Return the comparison with Scotland judged by the 95% confidence interval."""
    ind, scot = result.indicator, result.latest.value.scotland
    ci = f"the 95% confidence interval ({fmt.interval(ind, result.interval)})"
    if result.vs_scotland == "similar":
        return (f". {ci[0].upper()}{ci[1:]} includes {figure}, so the difference from Scotland "
                "is not statistically significant")
    side = "above" if result.latest.number > scot else "below"
    judged = {"better": ", which is better", "worse": ", which is worse"}
    return (f". This is {side} {figure}{judged.get(result.vs_scotland, '')}: Scotland's "
            f"figure lies outside {ci}, so the difference is statistically significant")

"""Indicator analysis: the six-year window, direction by polarity, position against Scotland,
and plain-English sentences, following the comparability rules of the core suite."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..catalogue import IntegrationIndicator, indicators
from ..config import ReportingYear
from ..model import IndicatorValue
from ..sources.values import SUPPRESSED, period_label

WINDOW = 6


@dataclass
class PeriodCell:
    """The value shown in one reporting-year column, and why it may differ from the column."""

    year: ReportingYear
    value: IndicatorValue | None
    standin: bool = False      # a calendar year standing in for the financial year
    note: str = ""             # e.g. "survey not run", "not updated since 2019/20"

    @property
    def number(self) -> float | None:
        v = self.value.value if self.value else None
        return v if isinstance(v, float) else None


@dataclass
class IndicatorResult:
    """Everything the report says about one indicator."""

    indicator: IntegrationIndicator
    cells: list[PeriodCell]
    outcomes: tuple[int, ...]
    latest: PeriodCell | None = None
    previous: PeriodCell | None = None
    direction: str = "no data"       # improved, worsened, no change, not comparable, no data
    change: float | None = None
    vs_scotland: str = "no comparator"   # better, worse, similar, no comparator
    sentence: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def main_outcome(self) -> int:
        return self.outcomes[0] if self.outcomes else 0


def window(year: ReportingYear, first_year: int) -> list[ReportingYear]:
    """Return the reporting year and the 5 before it (fewer if the partnership is younger)."""
    years = [year.previous(n) for n in range(WINDOW - 1, -1, -1)]
    return [y for y in years if y.start >= first_year] or [year]


def analyse_indicators(values: list[IndicatorValue], year: ReportingYear, first_year: int,
                       similar_band: float,
                       outcome_overrides: dict[str, tuple[int, ...]]) -> list[IndicatorResult]:
    """Return one result per catalogue indicator, NI-1 to NI-23, in order."""
    by_code: dict[str, list[IndicatorValue]] = {}
    for v in values:
        if v.locality is None:
            by_code.setdefault(v.code, []).append(v)
    years = window(year, first_year)
    results = []
    for code, ind in indicators().items():
        outcomes = outcome_overrides.get(code, ind.outcomes)
        result = IndicatorResult(ind, [], outcomes)
        if ind.reportable:
            result.cells = [_cell(ind, y, by_code.get(code, [])) for y in years]
            _judge(result, similar_band)
        else:
            result.notes.append(ind.status_note)
        results.append(result)
    return results


def _cell(ind: IntegrationIndicator, year: ReportingYear, values: list[IndicatorValue]) -> PeriodCell:
    fy = next((v for v in values if v.start == year.start and not v.calendar), None)
    cy = next((v for v in values if v.start == year.start and v.calendar), None)
    if ind.frozen_at and year.start > ReportingYear.parse(ind.frozen_at).start:
        return PeriodCell(year, None, note=f"not updated since {ind.frozen_at}")
    if ind.period_basis == "calendar":
        return PeriodCell(year, cy or fy, standin=False)
    if fy is not None:
        return PeriodCell(year, fy)
    if cy is not None and ind.period_basis == "calendar_standin":
        return PeriodCell(year, cy, standin=True)
    if ind.period_basis == "survey":
        return PeriodCell(year, None, note="survey not run")
    return PeriodCell(year, None, note="not available")


def _judge(result: IndicatorResult, similar_band: float) -> None:
    ind = result.indicator
    available = [c for c in result.cells if c.number is not None]
    if not available:
        result.direction = "no data"
        return
    result.latest = available[-1]
    if len(available) > 1:
        result.previous = available[-2]
    latest, prev = result.latest, result.previous
    broken = [b for b in ind.breaks if prev and prev.year.start < ReportingYear.parse(b).start
              <= latest.year.start]
    if prev is None:
        result.direction = "no data"
    elif broken:
        result.direction = "not comparable"
        result.notes.append(ind.break_note or f"Series break in {broken[0]}: not comparable with "
                            "earlier years.")
    else:
        result.change = latest.number - prev.number
        if round(result.change, ind.decimals) == 0:
            result.direction = "no change"
        else:
            better = (result.change > 0) == bool(ind.higher_is_better)
            result.direction = "improved" if better else "worsened"
    scot = latest.value.scotland if latest.value else None
    if isinstance(scot, float) and scot:
        gap = (latest.number - scot) / abs(scot) * 100
        if abs(gap) <= similar_band:
            result.vs_scotland = "similar"
        else:
            result.vs_scotland = "better" if (gap > 0) == bool(ind.higher_is_better) else "worse"
    result.sentence = sentence(result)


def format_value(ind: IntegrationIndicator, value, decimals: int | None = None) -> str:
    """Return a value as the report shows it: "91.2%", "10,912", "c" when suppressed."""
    if value is SUPPRESSED:
        return "c"
    if not isinstance(value, (int, float)):
        return "–"
    d = ind.decimals if decimals is None else decimals
    text = f"{value:,.{d}f}"
    if ind.unit_short == "%":
        text += "%"
    elif ind.unit_short == "£":
        text = "£" + text
    return text


def cell_label(cell: PeriodCell) -> str:
    """Return the period a cell's value really covers, e.g. "2023" for a calendar year."""
    if cell.value is None:
        return cell.year.label
    return period_label(cell.value.start, cell.value.calendar)


def sentence(result: IndicatorResult) -> str:
    """Return one plain-English sentence about the latest value, its trend and Scotland."""
    ind, latest, prev = result.indicator, result.latest, result.previous
    if latest is None:
        return ""
    name = ind.short_title[0].upper() + ind.short_title[1:]
    value = format_value(ind, latest.number)
    unit = "" if ind.unit_short in ("%", "£") else f" {ind.unit}"
    period = cell_label(latest)
    standin = f" (calendar year {period}, used in place of {latest.year.label})" \
        if latest.standin else ""
    if result.direction in ("improved", "worsened", "no change") and prev is not None:
        if result.direction == "no change":
            trend = f"{name} was unchanged at {value}{unit} in {period}{standin}"
        else:
            verb = "rose" if result.change > 0 else "fell"
            if ind.unit_short == "%":
                size = f"{abs(result.change):.1f} percentage points"
            else:
                size = f"{abs(result.change) / abs(prev.number) * 100:.1f}%"
            trend = (f"{name} {verb} by {size} to {value}{unit} in {period}{standin}, "
                     f"from {format_value(ind, prev.number)} in {cell_label(prev)}")
    elif result.direction == "not comparable":
        trend = (f"{name} was {value}{unit} in {period}{standin}; this cannot be compared with "
                 "earlier years because the survey questions changed")
    else:
        trend = f"{name} was {value}{unit} in {period}{standin}"
    scot = latest.value.scotland if latest.value else None
    if isinstance(scot, float):
        rel = {"better": "better than", "worse": "worse than", "similar": "similar to"}
        trend += (f". This is {rel[result.vs_scotland]} the Scotland figure of "
                  f"{format_value(ind, scot)}")
    return trend + "."

"""The MSG indicators against the baseline year and the partnership's aims (docs/msg.md).

Counts (admissions, bed days, attendances) are compared with the baseline as a percentage
change; percentages as a change in percentage points. The aim is the partnership's objective
from ``[msg] objectives`` in apr.toml, else the catalogue's direction (fewer emergency
admissions, more time at home); an indicator with neither has no aim.
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import formatting as fmt
from ..catalogue.msg import MsgIndicator, msg_indicators
from ..config import ReportConfig, ReportingYear
from ..sources.values import SUPPRESSED
from ..wording import capitalise

# a change smaller than this counts as "maintained": percent of the baseline for a count,
# percentage points for a percentage
MAINTAIN_BAND = {"count": 2.0, "percent": 1.0}
AIM_WORDS = {"reduce": "Reduce", "increase": "Increase", "maintain": "Maintain"}


@dataclass
class MsgResult:
    """One MSG indicator: its figures by year, the baseline comparison and the progress."""

    indicator: MsgIndicator
    values: dict                       # year start -> sources.msg.MsgValue
    baseline_year: ReportingYear
    year: ReportingYear
    aim: str | None = None             # "reduce", "increase", "maintain" or None
    target: float | None = None
    aim_from: str = ""                 # "objective" (apr.toml) or "catalogue"
    sentence: str = ""

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def baseline(self):
        return self._at(self.baseline_year.start)

    @property
    def latest(self):
        return self._at(self.year.start)

    @property
    def previous(self):
        return self._at(self.year.start - 1)

    def _at(self, start: int):
        v = self.values.get(start)
        return v if v is not None and isinstance(v.value, float) else None

    @property
    def change(self) -> float | None:
        """Latest against baseline: percent of the baseline (counts) or points (percentages)."""
        return _change(self.indicator, self.baseline and self.baseline.value,
                       self.latest and self.latest.value)

    @property
    def scotland_change(self) -> float | None:
        return _change(self.indicator, self.baseline and self.baseline.scotland,
                       self.latest and self.latest.scotland)

    @property
    def progress(self) -> str | None:
        """"met", "missed" (a target), "as_aimed", "against_aim", or None (no aim or figures)."""
        change = self.change
        if self.aim is None or change is None:
            return None
        latest = self.latest.value
        if self.target is not None and self.aim != "maintain":
            reached = latest <= self.target if self.aim == "reduce" else latest >= self.target
            return "met" if reached else "missed"
        band = MAINTAIN_BAND["percent" if self.indicator.is_percent else "count"]
        if self.aim == "maintain":
            return "as_aimed" if abs(change) < band else "against_aim"
        if abs(change) < 0.05:
            return "against_aim"
        return "as_aimed" if (change < 0) == (self.aim == "reduce") else "against_aim"

    @property
    def years(self) -> list[ReportingYear]:
        """The years with a figure, from the baseline to the reporting year."""
        return [ReportingYear(s) for s in sorted(self.values)
                if self.baseline_year.start <= s <= self.year.start]


@dataclass
class MsgAnalysis:
    """Every MSG result, and whether the project supplied MSG figures at all."""

    supplied: bool
    baseline_year: ReportingYear
    results: list[MsgResult]

    @property
    def reported(self) -> list[MsgResult]:
        """The results with at least one figure from the baseline to the reporting year."""
        return [r for r in self.results if r.years]

    def counts(self) -> dict[str, int]:
        """How many indicators met or missed a target, moved as aimed or against the aim."""
        result = {"met": 0, "missed": 0, "as_aimed": 0, "against_aim": 0}
        for r in self.results:
            if r.progress:
                result[r.progress] += 1
        return result


def _change(ind: MsgIndicator, old, new) -> float | None:
    if not isinstance(old, float) or not isinstance(new, float):
        return None
    if ind.is_percent:
        return round(new - old, 9)
    return (new - old) / old * 100 if old else None


def analyse_msg(values: list | None, config: ReportConfig, year: ReportingYear) -> MsgAnalysis:
    """Return the MSG results for the reporting year (every catalogue indicator, in order)."""
    baseline = ReportingYear(config.msg_baseline)
    by_code: dict[str, dict] = {}
    for v in values or []:
        by_code.setdefault(v.code, {})[v.start] = v
    results = []
    for code, ind in msg_indicators().items():
        r = MsgResult(ind, by_code.get(code, {}), baseline, year)
        _set_aim(r, config)
        r.sentence = msg_sentence(r)
        results.append(r)
    return MsgAnalysis(values is not None, baseline, results)


def _set_aim(r: MsgResult, config: ReportConfig) -> None:
    objective = config.msg_objectives.get(r.code)
    if objective is not None:
        (r.aim, r.target), r.aim_from = objective, "objective"
    elif r.indicator.higher_is_better is not None:
        r.aim = "increase" if r.indicator.higher_is_better else "reduce"
        r.aim_from = "catalogue"


# --- words -------------------------------------------------------------------------------------

def format_msg(ind: MsgIndicator, value, sentence: bool = False) -> str:
    """Return a figure as shown: "12,345", "94.1%", "c" when suppressed, "none" for a count
    of 0 in a sentence."""
    if value is SUPPRESSED:
        return fmt.SUPPRESSED_MARK
    if not isinstance(value, (int, float)):
        return fmt.DASH
    if sentence and not ind.is_percent and fmt.round_half_up(value, ind.decimals) == 0:
        return "none"
    return (fmt.percent if ind.is_percent else fmt.number)(value, ind.decimals)


def change_text(ind: MsgIndicator, change: float | None) -> str:
    """Return a change since the baseline for a table: "▼ 10.7%", "▲ 1.2 points", "► 0.0%"."""
    if change is None:
        return "–"
    shown = f"{abs(change):,.1f}"
    symbol = "►" if shown in ("0.0", "-0.0") else ("▲" if change > 0 else "▼")
    return f"{symbol} {shown}{' points' if ind.is_percent else '%'}"


def change_words(ind: MsgIndicator, change: float, noun: bool = False) -> str:
    """Return a change in words: "fell by 10.7%", "rose by 1.0 percentage point", or with
    NOUN "a fall of 10.7%"."""
    shown = f"{abs(change):,.1f}"
    if shown == "0.0":
        return "no change" if noun else "was unchanged"
    unit = "%" if not ind.is_percent else (" percentage point" if shown == "1.0"
                                            else " percentage points")
    if noun:
        return f"a {'rise' if change > 0 else 'fall'} of {shown}{unit}"
    return f"{'rose' if change > 0 else 'fell'} by {shown}{unit}"


PROGRESS_TEXT = {"met": "✓ Target met", "missed": "✗ Target not met",
                 "as_aimed": "✓ As aimed", "against_aim": "✗ Not as aimed"}


def aim_text(r: MsgResult) -> str:
    """Return the aim for a table: "Reduce", "Increase to 90.0%", "No aim set"."""
    if r.aim is None:
        return "No aim set"
    if r.target is None or r.aim == "maintain":
        return AIM_WORDS[r.aim]
    word = "to at most" if r.aim == "reduce" else "to at least"
    return f"{AIM_WORDS[r.aim]} {word} {format_msg(r.indicator, r.target)}"


def msg_sentence(r: MsgResult) -> str:
    """Return what happened to the indicator since the baseline and against the aim."""
    ind, base, latest = r.indicator, r.baseline, r.latest
    subject = capitalise(ind.subject)
    if latest is None:
        held = r.values.get(r.year.start)
        if held is not None and held.value is SUPPRESSED:
            return (f"{subject} is not published for {r.year.label}: the numbers are small "
                    "enough that people could be identified.")
        return f"{subject} is not available for {r.year.label}."
    now = format_msg(ind, latest.value, True)
    if base is None:
        return (f"{subject} was {now} in {r.year.label}. There is no figure for the baseline "
                f"year {r.baseline_year.label} to compare it with.")
    was = format_msg(ind, base.value, True)
    if r.change is None or f"{abs(r.change):,.1f}" == "0.0" and was == now:
        moved = f"was {now} in {r.year.label}, as in the baseline year {r.baseline_year.label}"
    else:
        verb = "rose" if latest.value > base.value else "fell"
        how = f", {change_words(ind, r.change, True)}" if r.change is not None else ""
        moved = (f"{verb} from {was} in {r.baseline_year.label}, the baseline year, to {now} "
                 f"in {r.year.label}{how}")
    return " ".join(p for p in (f"{subject} {moved}.", _scotland_words(r), _aim_words(r)) if p)


def _scotland_words(r: MsgResult) -> str:
    change = r.scotland_change
    if change is None:
        return ""
    return f"Across Scotland the figure {change_words(r.indicator, change)} over the same years."


def _aim_words(r: MsgResult) -> str:
    progress = r.progress
    if progress is None:
        return ""
    if progress in ("met", "missed"):
        target = format_msg(r.indicator, r.target)
        bound = "or more" if r.aim == "increase" else (
            "or less" if r.indicator.is_percent else "or fewer")
        result = "we met it" if progress == "met" else "we did not meet it"
        return f"Our objective was {target} {bound} in {r.year.label}: {result}."
    if r.aim_from == "catalogue":
        better = "a fall" if r.aim == "reduce" else "a rise"
        verdict = "This is an improvement" if progress == "as_aimed" else \
            "This is not an improvement"
        return f"{verdict}: {better} is better for this indicator."
    aim = {"reduce": "reduce it", "increase": "increase it",
           "maintain": "keep it at the baseline level"}[r.aim]
    if r.aim == "maintain":
        verdict = "it stayed close to that level" if progress == "as_aimed" else \
            "it moved away from that level"
    else:
        verdict = "it moved the way we aimed" if progress == "as_aimed" else \
            "it did not move the way we aimed"
    return f"Our objective was to {aim}: {verdict}."

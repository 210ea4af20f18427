"""The MSG indicators' table ("msg.all") and charts ("chart.MSG-1a" ...), from analysis/msg.py."""
from __future__ import annotations

from ..analysis import Analysis
from ..analysis.msg import PROGRESS_TEXT, MsgResult, aim_text, change_text, change_words, format_msg
from ..charts import ChartSpec, Series
from ..config import ReportConfig, ReportingYear
from ..wording import capitalise, lower_first
from .nodes import Cell, Table

SOURCE = "Public Health Scotland, Ministerial Strategic Group indicators"


def msg_tables(analysis: Analysis, config: ReportConfig) -> dict[str, Table]:
    """Return the MSG table when the project supplied MSG figures."""
    msg = analysis.msg
    if msg is None or not msg.supplied:
        return {}
    return {"msg.all": msg_table(analysis, config)}


def msg_table(analysis: Analysis, config: ReportConfig) -> Table:
    """Return one row per MSG indicator: baseline, the last two years, change, aim, progress."""
    msg, year = analysis.msg, analysis.year
    base = msg.baseline_year
    shown = [y for y in (ReportingYear(year.start - 1), year) if y.start > base.start]
    columns = ["Indicator", f"{base.label} (baseline)", *[y.label for y in shown],
               "Change since baseline", "Aim", "Progress"]
    rows = [_row(r, [base, *shown]) for r in msg.results]
    return Table("msg-all", f"Ministerial Strategic Group indicators, {base.label} to "
                 f"{year.label}", columns, rows, source=_source(config),
                 units="Numbers of admissions, bed days and attendances in the year; "
                       "percentages where marked %", notes=_notes(analysis),
                 align=["left"] + ["right"] * (len(columns) - 3) + ["left", "left"])


def _row(r: MsgResult, years: list[ReportingYear]) -> list[Cell]:
    ind = r.indicator
    cells = [Cell(f"{ind.code} {ind.short_title}", header=True)]
    for y in years:
        v = r.values.get(y.start)
        cells.append(Cell(format_msg(ind, v.value if v else None), "right"))
    cells.append(Cell(change_text(ind, r.change), "right"))
    cells.append(Cell(aim_text(r)))
    cells.append(Cell(PROGRESS_TEXT.get(r.progress, "–")))
    return cells


def _source(config: ReportConfig) -> str:
    """Return the MSG source ([report] data_vintage names the core suite's release, not this)."""
    return SOURCE


def _notes(analysis: Analysis) -> list[str]:
    notes = ["Change since baseline: the percentage change for numbers, the change in "
             "percentage points for percentages. ▲ a rise, ▼ a fall, ► no change.",
             "Aim: the partnership's objective where it set one, otherwise the direction that "
             "counts as an improvement. Progress compares the latest figure with the target, "
             "or the change since the baseline with the aim."]
    if any(r.aim == "maintain" for r in analysis.msg.results):
        notes.append("An aim to maintain is met by a change of less than 2% (numbers) or "
                     "1 percentage point (percentages) since the baseline.")
    if any(r.aim is None for r in analysis.msg.results):
        notes.append("No aim set: neither a rise nor a fall is better in itself, and the "
                     "partnership has set no objective.")
    provisional = sorted({v.period for r in analysis.msg.results for v in r.values.values()
                          if "p" in v.qualifiers})
    if provisional:
        notes.append(f"Provisional figures: {', '.join(provisional)}.")
    return notes


# --- charts --------------------------------------------------------------------------------

def msg_figures(analysis: Analysis, config: ReportConfig) -> dict:
    """Return a line chart for each MSG indicator with a figure in the reporting year."""
    from .figures import FigurePlan
    msg = analysis.msg
    if msg is None:
        return {}
    plans = {}
    for r in msg.results:
        if r.latest is not None and len(r.years) > 1:
            plans[f"chart.{r.code}"] = _figure(r, config, FigurePlan)
    return plans


def _figure(r: MsgResult, config: ReportConfig, plan):
    ind, name = r.indicator, config.short_name
    labels = [y.label for y in r.years]
    ours = [_number(r.values[y.start].value) for y in r.years]
    scot = [_number(r.values[y.start].scotland) for y in r.years]
    has_scotland = any(v is not None for v in scot)
    series = [Series(name, ours)]
    # Scotland's counts are many times the partnership's: only a percentage shares an axis
    if ind.is_percent and has_scotland:
        series.append(Series("Scotland", scot))
    both = f"{name} and Scotland" if len(series) > 1 else name
    spec = ChartSpec("line", f"{ind.short_title}, {both}", labels, series,
                     unit="%" if ind.is_percent else ind.unit_short, percent=ind.is_percent)
    heads = ["Year", name] + (["Scotland"] if has_scotland else [])
    rows = [[Cell(lab, header=True), Cell(format_msg(ind, o), "right")] +
            ([Cell(format_msg(ind, s), "right")] if has_scotland else [])
            for lab, o, s in zip(labels, ours, scot)]
    data = Table(f"data-{ind.code.lower()}", capitalise(ind.short_title), heads, rows,
                 units=ind.unit, align=["left"] + ["right"] * (len(heads) - 1))
    return plan(f"figure-{ind.code.lower()}", f"{ind.code} {ind.short_title}: {both}",
                msg_alt(r, config, labels, ours), spec, data, _source(config))


def _number(value) -> float | None:
    return value if isinstance(value, float) else None


def msg_alt(r: MsgResult, config: ReportConfig, labels: list[str], ours: list) -> str:
    """Return the chart's alt text: what it shows and how the figure moved since the baseline."""
    ind, name = r.indicator, config.short_name
    title = ind.short_title if ind.short_title[1:2].isupper() else lower_first(ind.short_title)
    opening = (f"Line chart of {ind.code}, {title}, for {name}, "
               f"{labels[0]} to {labels[-1]}")
    pts = [(lab, v) for lab, v in zip(labels, ours) if v is not None]
    (l0, v0), (l1, v1) = pts[0], pts[-1]
    if format_msg(ind, v0) == format_msg(ind, v1):
        moved = f"It was {format_msg(ind, v1)} in {l0} and in {l1}"
    else:
        verb = "rose" if v1 > v0 else "fell"
        moved = f"It {verb} from {format_msg(ind, v0)} in {l0} to {format_msg(ind, v1)} in {l1}"
    scot = r.scotland_change
    scotland = (f"Scotland's figure {change_words(ind, scot)} since the baseline"
                if scot is not None else "")
    for parts in ([opening, moved, scotland], [opening, moved]):
        text = ". ".join(p for p in parts if p) + "."
        if len(text) <= 250:
            return text
    return text[:249].rsplit(" ", 1)[0] + "…"

"""The indicator tables: one per outcome, all indicators, not reported, ranks, localities and
definitions. Every table names the data vintage; every cell whose period differs from its
column says so; trends and comparisons are words with symbols; no merged cells."""
from __future__ import annotations

from collections.abc import Sequence

from ..analysis import Analysis
from ..analysis.indicators import IndicatorResult, PeriodCell
from ..catalogue import outcome
from ..config import ReportConfig
from ..formatting import DASH, indicator_value, interval, number, year_range
from .nodes import Cell, Table

QUALIFIER_WORDS = {"p": "provisional", "r": "revised", "e": "estimated", "b": "break in series",
                   "c": "suppressed (confidential)", "f": "forecast", "u": "low reliability",
                   "z": "not applicable", "d": "derived", "~": "rounds to zero"}


def indicator_tables(analysis: Analysis, config: ReportConfig) -> dict[str, Table]:
    """Return every indicator table, keyed by the name templates use."""
    tables = {f"indicators.outcome-{n}": outcome_table(n, analysis, config) for n in range(1, 10)}
    tables["indicators.key"] = key_table(analysis, config)
    shown = [r for r in analysis.indicators if r.indicator.reportable]
    tables["indicators.all"] = indicator_table(
        "indicators-all", "Core integration indicators, "
        f"{year_range(analysis.years[0].label, analysis.year.label)}", shown, analysis, config,
        outcome_column=True)
    tables["indicators.not-reported"] = not_reported_table(analysis)
    tables["indicators.ranks"] = ranks_table(analysis, config)
    tables["localities.indicators"] = locality_indicator_table(analysis, config)
    tables["appendix.definitions"] = definitions_table(analysis)
    return tables


def outcome_table(number: int, analysis: Analysis, config: ReportConfig) -> Table:
    """Return the table for one outcome: its main indicators, with cross-references as notes.

    Only the notes about its own indicators sit under it; what every indicator table shares
    (symbols, qualifiers, the comparison rule, the data vintage) is said once, in the key
    table (``key_table``) at the start of the outcomes section.
    """
    main = [r for r in analysis.indicators if r.main_outcome == number]
    table = indicator_table(f"indicators-outcome-{number}", f"Indicators for outcome {number}: "
                            f"{outcome(number).short_title}", main, analysis, config,
                            general_notes=False)
    also = [r for r in analysis.indicators if number in r.outcomes[1:] and r.indicator.reportable]
    if also:
        table.notes.insert(0, "Also linked to this outcome, reported under another outcome: " +
                           "; ".join(f"{r.code} {r.indicator.short_title} (see outcome "
                                     f"{r.main_outcome})" for r in also) + ".")
        table.note_subjects.insert(0, tuple(r.code for r in also))
    return table


def indicator_table(table_id: str, caption: str, results: list[IndicatorResult],
                    analysis: Analysis, config: ReportConfig,
                    outcome_column: bool = False, general_notes: bool = True) -> Table:
    """Return an indicator table: one row per indicator, the years, Scotland, trend, position;
    its notes are those of its indicators (shared ones stated once) and, with
    ``general_notes``, the notes every indicator table needs (see ``key_table``)."""
    lead = ["Indicator"] + (["Outcome"] if outcome_column else [])
    columns = lead + [y.label for y in analysis.years] + [
        "Scotland (latest period)", "Trend since previous period", "Compared with Scotland"]
    rows = [_row(r, outcome_column, len(analysis.years)) for r in results]
    grouped = _grouped([n for r in results for n in _notes(r, outcome_column)])
    notes = [f"{', '.join(codes)}: {note}" for codes, note in grouped]
    if general_notes:
        notes += _general_notes(results, config)
    align = ["left"] * len(lead) + ["right"] * (len(analysis.years) + 1) + ["left", "left"]
    return Table(table_id, caption, columns, rows, source=indicator_source(config, results),
                 units="As stated for each indicator (see Appendix: indicator definitions)",
                 notes=notes, align=align, note_subjects=[codes for codes, _ in grouped])


def _row(r: IndicatorResult, outcome_column: bool, n_years: int) -> list[Cell]:
    ind = r.indicator
    row = [Cell(ind.table_name, header=True)]
    if outcome_column:
        row.append(Cell(str(r.main_outcome)))
    if not ind.reportable:
        blank = [Cell(DASH, "right") for _ in range(n_years)]
        return row + blank + [Cell(DASH, "right"), Cell("Not available nationally"), Cell(DASH)]
    row += [Cell(cell_text(r, c), "right") for c in r.cells]
    return row + [Cell(scotland_text(r), "right"), Cell(r.trend_text), Cell(r.scotland_text)]


def cell_text(r: IndicatorResult, cell: PeriodCell) -> str:
    """Return a year cell: the value, its period if different ("(CY 2023)"), the 95%
    confidence interval of the latest figure ("(89.8% to 92.6%)") and qualifiers."""
    if cell.value is None:
        return cell.note or DASH
    text = indicator_value(r.indicator, cell.value.value)
    if cell.period != cell.year.label:
        text += f" (CY {cell.period})" if cell.value.calendar else f" ({cell.period})"
    if cell is r.latest and r.interval is not None:
        text += f" ({interval(r.indicator, r.interval)})"   # "to", read well aloud
    marks = "".join(q for q in cell.value.qualifiers if q != "c")
    if cell.break_before and "b" not in marks:
        marks += "b"
    return text + (f" [{marks}]" if marks else "")


def scotland_text(r: IndicatorResult) -> str:
    """Return the Scotland value for the latest period, with the period named."""
    if r.latest is None or r.latest.value is None:
        return DASH
    scot = r.latest.value.scotland
    if scot is None:
        return DASH
    cy = "CY " if r.latest.value.calendar else ""
    return f"{indicator_value(r.indicator, scot)} ({cy}{r.latest.period})"


def _notes(r: IndicatorResult, outcome_column: bool) -> list[tuple[str, str]]:
    """Return the indicator's notes as (code, note) pairs."""
    ind = r.indicator
    notes = [(ind.code, n) for n in r.notes]
    if any(c.standin for c in r.cells):
        notes.append((ind.code, "the calendar year (CY, shown in brackets) stands in for the "
                      "financial year, following Public Health Scotland advice."))
    if ind.period_basis == "calendar":
        notes.append((ind.code, "reported for calendar years: each column shows the calendar "
                      "year in which the financial year starts (CY, in brackets)."))
    if not outcome_column and len(r.outcomes) > 1:
        others = ", ".join(str(o) for o in r.outcomes[1:])
        notes.append((ind.code, f"also linked to outcome {others}."))
    return notes


def _grouped(notes: list[tuple[str, str]]) -> list[tuple[tuple[str, ...], str]]:
    """Return each distinct note once with the codes of every indicator it applies to (shown
    "NI-12, NI-13: the calendar year ..."), in the order the notes first appear."""
    codes: dict[str, list[str]] = {}
    for code, note in notes:
        codes.setdefault(note, [])
        if code not in codes[note]:
            codes[note].append(code)
    return [(tuple(c), note) for note, c in codes.items()]


KEY_MARKS = (
    ("▲ ▼ ►", "Trend: the latest figure rose, fell or did not change since the previous one"),
    ("✓ ✗ ≈", "Compared with Scotland: better, worse or similar"),
    ("CY", "Calendar year, where it stands in for the financial year"),
    ("p r e b", "Provisional, revised, estimated, break in series"),
    ("c", "Suppressed to protect confidentiality"),
    ("–", "No figure can be shown"),
)


def key_table(analysis: Analysis, config: ReportConfig) -> Table:
    """Return the key to the outcome tables: the marks they use, and the notes they share
    (survey years, how a figure is compared with Scotland, the data vintage), said once."""
    results = [r for r in analysis.indicators if r.main_outcome]
    marks = list(KEY_MARKS)
    example = next((r for r in results if r.interval is not None), None)
    if example is not None:
        marks.insert(2, (f"({interval(example.indicator, example.interval)})",
                         "95% confidence interval of the latest survey figure"))
    rows = [[Cell(mark, header=True), Cell(meaning)] for mark, meaning in marks]
    notes = [n for n in _general_notes(results, config) if not n.startswith("Qualifiers")]
    return Table("indicators-key", "How to read the indicator tables", ["Mark", "Meaning"],
                 rows, source=indicator_source(config, results), notes=notes)


def _general_notes(results: list[IndicatorResult], config: ReportConfig) -> list[str]:
    notes = []
    if any(r.indicator.period_basis == "survey" for r in results):
        notes.append("Survey indicators come from the Health and Care Experience Survey, run "
                     "every two years: there are no figures for the years between surveys.")
    notes += interval_notes(results, config)
    notes.append("Qualifiers: " + ", ".join(f"{k} {v}" for k, v in QUALIFIER_WORDS.items()
                                            if k in "preb") + f"; c or {DASH} where no figure can "
                 "be shown.")
    notes.append(vintage_note(config))
    return notes


def interval_notes(results: list[IndicatorResult], config: ReportConfig) -> list[str]:
    """Return the notes on the trend and on how each indicator was compared with Scotland:
    by its 95% confidence interval where the latest figure has one, else by the margin."""
    by_interval = [r.code for r in results if r.scotland_rule == "interval"]
    by_margin = [r.code for r in results if r.scotland_rule == "margin"]
    margin = (f"figures within {config.similar_band:g}% of Scotland count as similar (≈); "
              "✓ better, ✗ worse than Scotland.")
    trend = ("Trend compares the latest figure with the previous one available (▲ rose, "
             "▼ fell, ► no change); whether a rise is an improvement depends on the indicator.")
    if not by_interval:
        return [f"{trend} {margin[0].upper()}{margin[1:]}"]
    one = len(by_interval) == 1
    rule = (f"Compared with Scotland: {_codes(by_interval)} {'is' if one else 'are'} judged by "
            f"{'its' if one else 'their'} 95% confidence interval, similar (≈) when the "
            "Scotland figure lies inside the interval (the difference could be due to sampling "
            "in the survey), ✓ better or ✗ worse only when it lies outside.")
    if by_margin:
        rule += (f" {_codes(by_margin)} {'has' if len(by_margin) == 1 else 'have'} no "
                 f"interval: {margin}")
    first = next(r for r in results if r.scotland_rule == "interval")
    return [trend, rule, "The 95% confidence interval is the range in brackets after the latest "
            f"figure, such as ({interval(first.indicator, first.interval)}) for "
            f"{first.code}. The survey asks only a sample of people, so the true value for "
            "everyone is likely (95 times in 100) to lie within it. The limits are those "
            "published by Public Health Scotland."]


def _codes(codes: list[str]) -> str:
    return codes[0] if len(codes) == 1 else ", ".join(codes[:-1]) + " and " + codes[-1]


def vintage_note(config: ReportConfig) -> str:
    """Return the footnote naming the data vintage (the release the figures come from)."""
    if not config.data_vintage:
        return ("Data vintage not recorded: set [report] data_vintage in apr.toml to the "
                "Public Health Scotland release used.")
    return (f"Data vintage: {config.data_vintage}. Public Health Scotland revises earlier years "
            "in later releases, so figures may differ from those in earlier reports.")


def indicator_source(config: ReportConfig, results: Sequence[IndicatorResult] = ()) -> str:
    """Return the table source: the PHS release (vintage) and any local indicators' sources."""
    vintage = config.data_vintage or "release not recorded"
    text = f"Public Health Scotland, core suite of integration indicators ({vintage})"
    if "public health scotland" in vintage.lower():
        text = vintage
    local = sorted({r.indicator.source for r in results if r.is_local})
    return text + ("; local indicators: " + "; ".join(local) if local else "")


def not_reported_table(analysis: Analysis) -> Table:
    """Return the indicators with no current national figure, with the reason."""
    rows = [[Cell(r.indicator.table_name, header=True), Cell(r.indicator.status_note)]
            for r in analysis.indicators if not r.indicator.reportable or
            r.indicator.status == "frozen"]
    return Table("indicators-not-reported", "Indicators not available nationally",
                 ["Indicator", "Why there is no current figure"], rows,
                 source="Public Health Scotland; Scottish Government core suite guidance")


def ranks_table(analysis: Analysis, config: ReportConfig) -> Table:
    """Return each indicator's rank among the partnerships and against the peer group."""
    ranked = [r for r in analysis.indicators if r.rank is not None]
    peers = ", ".join(config.peer_group) or "none chosen"
    rows = [[Cell(r.indicator.table_name, header=True), Cell(r.latest.period),
             Cell(indicator_value(r.indicator, r.latest.number), "right"),
             Cell(f"{r.rank} of {r.rank_of}", "right"),
             Cell(indicator_value(r.indicator, r.peer_mean), "right"),
             Cell(f"{r.peer_rank} of {r.peer_of}" if r.peer_rank else DASH, "right"),
             Cell(indicator_value(r.indicator, r.latest.value.scotland), "right")] for r in ranked]
    if not rows:
        rows = [[Cell("No national file was given, so there are no ranks", header=True)] +
                [Cell(DASH, "right") for _ in range(6)]]
    return Table("indicators-ranks", "Rank among Scotland's partnerships and against our peer "
                 "group, latest period", ["Indicator", "Period", config.short_name,
                                           "Rank (1 = best)", "Peer group average",
                                           "Rank in peer group", "Scotland"], rows,
                 source=indicator_source(config), notes=[
                     f"Peer group: {peers}. Rank 1 is the best figure given the indicator's "
                     "polarity; partnerships without a figure for the period are not ranked.",
                     vintage_note(config)],
                 align=["left", "left"] + ["right"] * 5)


def locality_indicator_table(analysis: Analysis, config: ReportConfig) -> Table:
    """Return the locality figures (counts and rates) with small counts suppressed as "c"."""
    names = [loc.name for loc in config.localities]
    rows = []
    for r in (r for r in analysis.indicators if r.localities):
        by = {f.locality: f for f in r.localities}
        period = r.localities[0].period
        label = r.indicator.table_name
        if any(f.count is not None and f.count != f.value for f in r.localities):
            rows.append([Cell(label, header=True), Cell("Number"), Cell(period)] +
                        [Cell(_count(by.get(n)), "right") for n in names])
        rows.append([Cell(label, header=True), Cell(r.indicator.unit), Cell(period)] +
                    [Cell(indicator_value(r.indicator, by[n].value) if n in by else DASH, "right")
                     for n in names])
    if not rows:
        rows = [[Cell("No locality figures were given", header=True), Cell(DASH), Cell(DASH)] +
                [Cell(DASH, "right") for _ in names]]
    return Table("localities-indicators", "Indicators by locality, latest period",
                 ["Indicator", "Measure", "Period"] + names, rows,
                 source=indicator_source(config), notes=locality_notes(analysis, config),
                 align=["left", "left", "left"] + ["right"] * len(names))


def _count(figure) -> str:
    if figure is None:
        return DASH
    if figure.suppressed:
        return "c"
    return DASH if figure.count is None else number(figure.count)


def locality_notes(analysis: Analysis, config: ReportConfig) -> list[str]:
    """Return the disclosure-control note, and which cells were suppressed to protect others."""
    notes = [f"c: suppressed to protect confidentiality. Counts from 1 to "
             f"{config.suppress_below - 1}, and rates based on them, are not shown; where one "
             "suppressed count could be worked out from the partnership total, the next "
             "smallest is suppressed too (secondary suppression). Zeros are shown."]
    secondary = [f"{r.code} {f.locality}" for r in analysis.indicators for f in r.localities
                 if f.suppressed == "secondary"]
    if secondary:
        notes.append("Suppressed to protect another cell: " + "; ".join(secondary) + ".")
    if any(f.count is None and not f.suppressed for r in analysis.indicators
           for f in r.localities):
        notes.append("Some rates were given without the count behind them; check them for "
                     "disclosure risk before publishing.")
    notes.append(vintage_note(config))
    return notes


def definitions_table(analysis: Analysis) -> Table:
    """Return the definition, unit and source of every core and local indicator."""
    rows = [[Cell(r.indicator.code, header=True), Cell(r.indicator.title),
             Cell(r.indicator.definition), Cell(r.indicator.unit), Cell(r.indicator.source)]
            for r in analysis.indicators]
    return Table("appendix-definitions", "Core integration indicator definitions",
                 ["Code", "Indicator", "How it is measured", "Unit", "Data source"], rows,
                 source="Public Health Scotland; Scottish Government core suite of indicators")

"""The report's data tables, built from the analysis as document nodes, keyed by name.

Templates insert them with ``{{ table("finance.categories") }}``. Every table carries a caption,
units, a source and notes, as official statistics should.
"""
from __future__ import annotations

from ..analysis import GRADE_WORDS, Analysis
from ..analysis.finance import CATEGORIES, money
from ..analysis.indicators import IndicatorResult, cell_label, format_value
from ..catalogue import outcome
from ..config import ReportConfig
from .nodes import Cell, Table

DIRECTION_WORDS = {
    "improved": "▲▼ Improved", "worsened": "Worsened", "no change": "No change",
    "not comparable": "Not comparable (series break)", "no data": "No earlier data",
}
SCOTLAND_WORDS = {"better": "Better than Scotland", "worse": "Worse than Scotland",
                  "similar": "Similar to Scotland", "no comparator": "No Scotland figure"}


def direction_text(result: IndicatorResult) -> str:
    """Return the trend in words with an arrow for the direction the value moved."""
    if result.direction in ("improved", "worsened"):
        arrow = "▲" if (result.change or 0) > 0 else "▼"
        return f"{arrow} {result.direction.capitalize()}"
    if result.direction == "no change":
        return "► No change"
    return DIRECTION_WORDS[result.direction]


def build_tables(analysis: Analysis, config: ReportConfig) -> dict[str, Table]:
    """Return every named table of the report."""
    tables: dict[str, Table] = {}
    for number in range(1, 10):
        results = [r for r in analysis.indicators
                   if r.indicator.reportable and r.main_outcome == number]
        tables[f"indicators.outcome-{number}"] = indicator_table(
            f"indicators-outcome-{number}",
            f"Core integration indicators for outcome {number}: {outcome(number).short_title}",
            results, analysis, config)
    reportable = [r for r in analysis.indicators if r.indicator.reportable]
    tables["indicators.all"] = indicator_table("indicators-all", "Core integration indicators, "
                                               f"{analysis.years[0].label} to {analysis.year.label}",
                                               reportable, analysis, config)
    tables["indicators.not-reported"] = not_reported_table(analysis)
    tables.update(finance_tables(analysis, config))
    tables["localities.summary"] = locality_table(analysis, config)
    tables["inspections.list"] = inspection_table(analysis)
    tables["appendix.definitions"] = definitions_table(analysis)
    return tables


def indicator_table(table_id: str, caption: str, results: list[IndicatorResult],
                    analysis: Analysis, config: ReportConfig) -> Table:
    """Return the indicator table: one row per indicator, six years, Scotland, trend."""
    years = analysis.years
    columns = ["Indicator"] + [y.label for y in years] + [
        f"Scotland {analysis.year.label}", "Trend since previous", "Compared with Scotland"]
    rows, notes = [], []
    for r in results:
        ind = r.indicator
        row = [Cell(f"{ind.code} {ind.title}", header=True)]
        for cell in r.cells:
            if cell.value is None:
                row.append(Cell(cell.note or "–", "right"))
                continue
            text = format_value(ind, cell.value.value)
            if cell_label(cell) != cell.year.label:
                text += f" ({cell_label(cell)})"
            if cell.value.qualifiers.replace("c", ""):
                text += f" [{cell.value.qualifiers.replace('c', '')}]"
            row.append(Cell(text, "right"))
        scot = r.latest.value.scotland if r.latest and r.latest.value else None
        scot_text = format_value(ind, scot)
        if r.latest and cell_label(r.latest) != analysis.year.label and scot is not None:
            scot_text += f" ({cell_label(r.latest)})"
        row += [Cell(scot_text, "right"), Cell(direction_text(r)), Cell(
            SCOTLAND_WORDS[r.vs_scotland])]
        rows.append(row)
        for note in r.notes:
            notes.append(f"{ind.code}: {note}")
        if any(c.standin for c in r.cells):
            notes.append(f"{ind.code}: a calendar year (shown in brackets) stands in for the "
                         "financial year, following Public Health Scotland advice.")
    notes.append("Trend compares the latest value with the previous one available; whether a "
                 "rise is better depends on the indicator. Values within "
                 f"{config.similar_band:g}% of Scotland count as similar. Qualifiers: "
                 "p provisional, r revised, e estimated, c suppressed.")
    return Table(table_id, caption, columns, rows, source=_indicator_source(config),
                 units="As stated for each indicator (see Appendix: indicator definitions)",
                 notes=notes, align=["left"] + ["right"] * (len(years) + 1) + ["left", "left"])


def _indicator_source(config: ReportConfig) -> str:
    vintage = config.data_vintage or "Public Health Scotland, core suite of integration indicators"
    return vintage


def not_reported_table(analysis: Analysis) -> Table:
    rows = [[Cell(f"{r.indicator.code} {r.indicator.title}", header=True),
             Cell(r.indicator.status_note)]
            for r in analysis.indicators if not r.indicator.reportable or
            r.indicator.status == "frozen"]
    return Table("indicators-not-reported", "Indicators not available nationally",
                 ["Indicator", "Why there is no current figure"], rows,
                 source="Public Health Scotland; Scottish Government core suite guidance")


def finance_tables(analysis: Analysis, config: ReportConfig) -> dict[str, Table]:
    unit = config.amounts
    fin = analysis.finance
    tables: dict[str, Table] = {}
    cur = fin.current
    if cur is None:
        return {key: Table(key.replace(".", "-"), "No finance data for the year", ["Note"],
                           [[Cell("No finance data")]])
                for key in ("finance.categories", "finance.lines", "finance.trend",
                            "finance.trend-share")}
    rows = []
    for letter, name in CATEGORIES.items():
        rows.append([Cell(f"({letter}) {name}", header=True),
                     Cell(money(cur.budget_by_category.get(letter, 0.0), unit), "right"),
                     Cell(money(cur.by_category.get(letter, 0.0), unit), "right"),
                     Cell(f"{cur.proportion(letter):.1f}%", "right")])
    rows.append([Cell("Total spend", header=True, bold=True), Cell(money(cur.budget, unit), "right"),
                 Cell(money(cur.outturn, unit), "right"),
                 Cell(f"{cur.outturn / cur.budget * 100:.1f}%", "right")])
    label = "Underspend" if cur.variance >= 0 else "Overspend (shown in brackets)"
    rows.append([Cell(label, header=True), Cell("", "right"), Cell(money(cur.variance, unit), "right"),
                 Cell(f"{cur.variance / cur.budget * 100:.1f}%", "right")])
    rows.append([Cell("Total paid to or set aside for the partnership", header=True, bold=True),
                 Cell(money(cur.budget, unit), "right"), Cell("", "right"),
                 Cell("100.0%", "right")])
    tables["finance.categories"] = Table(
        "finance-categories", f"Spend on each prescribed category, {analysis.year.label}",
        ["Category (regulation 4(2))", f"Budget ({unit})", f"Spend ({unit})",
         "Proportion of total funding"], rows, source="Annual accounts and financial "
        "statement", units=f"{unit}; overspends in brackets",
        notes=["Proportions are of the total paid to or set aside for the partnership; they add "
               "up to 100% only when spend equals funding, the difference being the under- or "
               "overspend."], align=["left", "right", "right", "right"], total_row=True)
    line_rows = []
    for ln in cur.lines:
        cat = config.service_lines[ln.service_line].category
        line_rows.append([Cell(ln.service_line, header=True), Cell(f"({cat})", "center"),
                          Cell(money(ln.budget, unit), "right"), Cell(money(ln.outturn, unit), "right"),
                          Cell(money(ln.variance, unit), "right"),
                          Cell(ln.reason or ("Reason to be completed" if abs(ln.variance) >
                                             config.variance_threshold else ""))])
    line_rows.append([Cell("Total", header=True, bold=True), Cell(""),
                      Cell(money(cur.budget, unit), "right"), Cell(money(cur.outturn, unit), "right"),
                      Cell(money(cur.variance, unit), "right"), Cell("")])
    tables["finance.lines"] = Table(
        "finance-lines", f"Budget and outturn by service, {analysis.year.label}",
        ["Service", "Category", f"Budget ({unit})", f"Outturn ({unit})",
         f"Under/(over)spend ({unit})", "Reason for the variance"], line_rows,
        source="Financial ledger; annual financial statement",
        units=f"{unit}; overspends in brackets",
        notes=[f"Reasons are given for every variance above {money(config.variance_threshold, unit)}"
               f" ({unit})."], align=["left", "center", "right", "right", "right", "left"],
        total_row=True)
    years = fin.years
    trend_rows, share_rows = [], []
    for letter, name in CATEGORIES.items():
        trend_rows.append([Cell(f"({letter}) {name}", header=True)] +
                          [Cell(money(y.by_category.get(letter, 0.0), unit), "right") for y in years])
        share_rows.append([Cell(f"({letter}) {name}", header=True)] +
                          [Cell(f"{y.proportion(letter):.1f}%", "right") for y in years])
    trend_rows.append([Cell("Total spend", header=True, bold=True)] +
                      [Cell(money(y.outturn, unit), "right") for y in years])
    trend_rows.append([Cell("Total funding", header=True)] +
                      [Cell(money(y.budget, unit), "right") for y in years])
    share_rows.append([Cell("Hospital and care home share of spend", header=True, bold=True)] +
                      [Cell(f"{y.institutional_share:.1f}%", "right") for y in years])
    labels = [y.year.label for y in years]
    tables["finance.trend"] = Table(
        "finance-trend", f"Spend by category, {labels[0]} to {labels[-1]}",
        ["Category"] + labels, trend_rows, source="Annual accounts", units=unit,
        align=["left"] + ["right"] * len(labels), total_row=False)
    tables["finance.trend-share"] = Table(
        "finance-trend-share", f"Proportion of funding spent on each category, {labels[0]} to "
        f"{labels[-1]}", ["Category"] + labels, share_rows, source="Annual accounts",
        units="% of total funding", notes=["The last row shows the share of spend on hospital "
                                           "inpatients (a) and care homes (c): a falling share means"
                                           " resources moving to community-based care."],
        align=["left"] + ["right"] * len(labels))
    return tables


def locality_table(analysis: Analysis, config: ReportConfig) -> Table:
    unit = config.amounts
    rows = []
    for loc in analysis.localities:
        rows.append([Cell(loc.name, header=True),
                     Cell(f"{loc.population:,.0f}" if loc.population else "–", "right"),
                     Cell(money(loc.spend, unit), "right"),
                     Cell(f"{loc.share:.1f}%" if loc.share is not None else "–", "right")])
    fin = analysis.finance.current
    if analysis.unallocated_spend is not None and fin:
        rows.append([Cell("Partnership-wide services not allocated to a locality", header=True),
                     Cell("", "right"), Cell(money(analysis.unallocated_spend, unit), "right"),
                     Cell(f"{analysis.unallocated_spend / fin.outturn * 100:.1f}%", "right")])
    if fin:
        pop = sum(loc.population or 0 for loc in analysis.localities)
        rows.append([Cell("Total", header=True, bold=True), Cell(f"{pop:,.0f}", "right"),
                     Cell(money(fin.outturn, unit), "right"), Cell("100.0%", "right")])
    return Table("localities-summary", f"Population and spend by locality, {analysis.year.label}",
                 ["Locality", "Population", f"Spend ({unit})", "Proportion of total spend"], rows,
                 source="Partnership finance; National Records of Scotland population estimates",
                 units=unit, align=["left", "right", "right", "right"], total_row=True)


def inspection_table(analysis: Analysis) -> Table:
    rows = []
    for i in sorted(analysis.inspections, key=lambda i: (i.date, i.service)):
        grades = "; ".join(f"{k.replace('_', ' ').capitalize()}: {v} ({GRADE_WORDS[v]})"
                           for k, v in i.grades.items()) or "Not graded"
        rows.append([Cell(i.service, header=True), Cell(i.provider or "–"), Cell(i.body),
                     Cell(i.date.strftime("%d %B %Y").lstrip("0")), Cell(grades),
                     Cell("–" if i.requirements is None else str(i.requirements), "right"),
                     Cell("–" if i.recommendations is None else str(i.recommendations), "right")])
    return Table("inspections-list", f"Inspections published in {analysis.year.label}",
                 ["Service", "Provider", "Inspected by", "Report published", "Grades",
                  "Requirements", "Recommendations"], rows,
                 source="Care Inspectorate and Healthcare Improvement Scotland inspection reports",
                 notes=["Care Inspectorate grades: 6 Excellent, 5 Very good, 4 Good, 3 Adequate, "
                        "2 Weak, 1 Unsatisfactory."],
                 align=["left"] * 5 + ["right", "right"])


def definitions_table(analysis: Analysis) -> Table:
    rows = [[Cell(r.indicator.code, header=True), Cell(r.indicator.title),
             Cell(r.indicator.definition), Cell(r.indicator.unit), Cell(r.indicator.source)]
            for r in analysis.indicators]
    return Table("appendix-definitions", "Core integration indicator definitions",
                 ["Code", "Indicator", "How it is measured", "Unit", "Data source"], rows,
                 source="Public Health Scotland; Scottish Government core suite of indicators")

"""The report's data tables, built from the analysis as document nodes, keyed by name.

Templates insert them with ``{{ table("finance.categories") }}``. Every table carries a caption,
units, a source and notes, as official statistics should.
"""
from __future__ import annotations

from ..analysis import Analysis
from ..analysis.finance import CATEGORIES, adds_up, money, setting_amount
from ..analysis.inspections import body_label, good_or_better, grade_text, improvement_header
from ..config import ReportConfig
from ..compliance import regulations_table
from .indicator_tables import indicator_tables
from ..findings import Location
from .nodes import Cell, Placeholder, Table

def build_tables(analysis: Analysis, config: ReportConfig) -> dict[str, Table]:
    """Return every named table of the report."""
    tables: dict[str, Table] = indicator_tables(analysis, config)   # indicator_tables.py
    tables.update(finance_tables(analysis, config))
    tables["localities.summary"] = locality_table(analysis, config)
    tables["inspections.list"] = inspection_table(analysis)
    tables["lead_agency.recommendations"] = jmc_table(analysis)
    # filled in by the check_compliance stage, which needs the built document first
    tables["appendix.regulations"] = regulations_table([])
    return tables


def finance_tables(analysis: Analysis, config: ReportConfig) -> dict[str, Table]:
    """Return the finance tables: categories, lines, trend, care groups, reserves, savings."""
    fin = analysis.finance
    if fin.current is None:
        return {key: Table(key.replace(".", "-"), "No finance data for the year", ["Note"],
                           [[Cell("No finance data")]])
                for key in ("finance.categories", "finance.lines", "finance.trend",
                            "finance.trend-share", "finance.care-groups")}
    tables = {"finance.categories": category_table(analysis, config),
              "finance.lines": lines_table(analysis, config),
              "finance.care-groups": care_group_table(analysis, config)}
    tables.update(trend_tables(analysis, config))
    if fin.reserves:
        tables["finance.reserves"] = reserves_table(analysis, config)
    if fin.savings:
        tables["finance.savings"] = savings_table(analysis, config)
    return tables


def _pct(value: float) -> str:
    return f"{value:.1f}%"


def _share(part: float, whole: float) -> str:
    """Return part as a percentage of whole, or a dash when the whole is zero."""
    return _pct(part / whole * 100) if whole else "–"


def _rounding_note(parts: list[float], total: float, unit: str) -> list[str]:
    if adds_up(parts, total, unit):
        return []
    return ["Figures are rounded, so the rows may not add up exactly to the total shown."]


def _totals_note(analysis: Analysis, config: ReportConfig) -> list[str]:
    checks = [c for c in analysis.finance.totals_checks if c.year == analysis.year]
    if not checks:
        return []
    if all(c.agrees for c in checks):
        return [f"The total {' and '.join(c.measure for c in checks)} agree with the annual "
                f"accounts within a rounding tolerance of "
                f"{setting_amount(config.rounding_tolerance, config.amounts)}"
                f" ({config.amounts})."]
    return [f"The total {c.measure} of the service lines ({money(c.computed, config.amounts)}) "
            f"differs from the annual accounts ({money(c.supplied, config.amounts)}) by "
            f"{money(abs(c.difference), config.amounts)} ({config.amounts}): to be reconciled."
            for c in checks if not c.agrees]


def category_table(analysis: Analysis, config: ReportConfig) -> Table:
    """Return spend and proportion of total funding for each reg 4(2) category (a) to (e)."""
    unit, cur = config.amounts, analysis.finance.current
    rows = [[Cell(f"({letter}) {name}", header=True),
             Cell(money(cur.budget_by_category.get(letter, 0.0), unit), "right"),
             Cell(money(cur.by_category.get(letter, 0.0), unit), "right"),
             Cell(_pct(cur.proportion(letter)), "right")] for letter, name in CATEGORIES.items()]
    rows.append([Cell("Total spend", header=True, bold=True), Cell(money(cur.budget, unit), "right"),
                 Cell(money(cur.outturn, unit), "right"),
                 Cell(_share(cur.outturn, cur.budget), "right")])
    label = "Underspend" if cur.variance >= 0 else "Overspend (shown in brackets)"
    rows.append([Cell(label, header=True), Cell("", "right"), Cell(money(cur.variance, unit), "right"),
                 Cell(_share(cur.variance, cur.budget), "right")])
    rows.append([Cell("Total paid to or set aside for the partnership", header=True, bold=True),
                 Cell(money(cur.budget, unit), "right"), Cell("", "right"),
                 Cell("100.0%", "right")])
    notes = ["Proportions are of the total paid to or set aside for the partnership; they add "
             "up to 100% only when spend equals funding, the difference being the under- or "
             "overspend."]
    notes += _rounding_note(list(cur.by_category.values()), cur.outturn, unit)
    notes += _totals_note(analysis, config)
    return Table(
        "finance-categories", f"Spend on each prescribed category, {analysis.year.label}",
        ["Category (regulation 4(2))", f"Budget ({unit})", f"Spend ({unit})",
         "Proportion of total funding"], rows, source="Annual accounts and financial "
        "statement", units=f"{unit}; overspends in brackets", notes=notes,
        align=["left", "right", "right", "right"], total_row=True)


def missing_reason(line, config: ReportConfig) -> Placeholder:
    """Return the placeholder for a variance above the threshold that gives no reason."""
    src = line.source
    return Placeholder(
        f"the reason why {line.service_line} was {money(abs(line.variance), config.amounts)} "
        f"({config.amounts}) {'under' if line.variance > 0 else 'over'} budget, more than the "
        f"threshold of {setting_amount(config.variance_threshold, config.amounts)}",
        Location(src.file if src else "", src.row if src else None, "reason"),
        code="finance.missing_reason")


def lines_table(analysis: Analysis, config: ReportConfig) -> Table:
    """Return budget, outturn and variance with its reason for each service line."""
    unit, cur = config.amounts, analysis.finance.current
    rows = []
    for ln in cur.lines:
        cat = config.service_lines[ln.service_line].category
        needs = abs(ln.variance) > config.variance_threshold
        rows.append([Cell(ln.service_line, header=True), Cell(f"({cat})", "center"),
                     Cell(money(ln.budget, unit), "right"), Cell(money(ln.outturn, unit), "right"),
                     Cell(money(ln.variance, unit), "right"),
                     Cell(ln.reason, placeholder=missing_reason(ln, config) if needs and not
                          ln.reason.strip() else None)])
    rows.append([Cell("Total", header=True, bold=True), Cell(""),
                 Cell(money(cur.budget, unit), "right"), Cell(money(cur.outturn, unit), "right"),
                 Cell(money(cur.variance, unit), "right"), Cell("")])
    notes = [f"Reasons are given for every variance above "
             f"{setting_amount(config.variance_threshold, unit)} ({unit})."]
    notes += _rounding_note([ln.outturn for ln in cur.lines], cur.outturn, unit)
    return Table(
        "finance-lines", f"Budget and outturn by service, {analysis.year.label}",
        ["Service", "Category", f"Budget ({unit})", f"Outturn ({unit})",
         f"Under/(over)spend ({unit})", "Reason for the variance"], rows,
        source="Financial ledger; annual financial statement",
        units=f"{unit}; overspends in brackets", notes=notes,
        align=["left", "center", "right", "right", "right", "left"], total_row=True)


def care_group_table(analysis: Analysis, config: ReportConfig) -> Table:
    """Return spend on each key care group (reg 4(2)(f)): a cross-cutting view, no total."""
    unit, cur = config.amounts, analysis.finance.current
    rows = []
    for group in analysis.finance.key_care_groups:
        rows.append([Cell(group, header=True),
                     Cell(money(cur.budget_by_care_group.get(group, 0.0), unit), "right"),
                     Cell(money(cur.by_care_group.get(group, 0.0), unit), "right"),
                     Cell(_pct(cur.care_group_proportion(group)), "right")])
    return Table(
        "finance-care-groups", f"Spend on key care groups, {analysis.year.label}",
        ["Key care group (regulation 4(2)(f))", f"Budget ({unit})", f"Spend ({unit})",
         "Proportion of total funding"], rows, source="Annual accounts; service line mapping "
        "in apr.toml", units=f"{unit}",
        notes=["Key care groups cut across categories (a) to (e): the same spend is counted in "
               "a category and in a care group, so these rows are not added to the total, and a "
               "service can serve more than one care group."],
        align=["left", "right", "right", "right"])


def trend_tables(analysis: Analysis, config: ReportConfig) -> dict[str, Table]:
    """Return spend by category over the years, in amounts and as proportions of funding."""
    unit, years = config.amounts, analysis.finance.years
    trend_rows, share_rows = [], []
    for letter, name in CATEGORIES.items():
        trend_rows.append([Cell(f"({letter}) {name}", header=True)] +
                          [Cell(money(y.by_category.get(letter, 0.0), unit), "right") for y in years])
        share_rows.append([Cell(f"({letter}) {name}", header=True)] +
                          [Cell(_pct(y.proportion(letter)), "right") for y in years])
    trend_rows.append([Cell("Total spend", header=True, bold=True)] +
                      [Cell(money(y.outturn, unit), "right") for y in years])
    trend_rows.append([Cell("Total funding", header=True)] +
                      [Cell(money(y.budget, unit), "right") for y in years])
    share_rows.append([Cell("Total spend", header=True, bold=True)] +
                      [Cell(_share(y.outturn, y.budget), "right")
                       for y in years])
    share_rows.append([Cell("Hospital and care home share of spend", header=True, bold=True)] +
                      [Cell(_pct(y.institutional_share), "right") for y in years])
    labels = [y.year.label for y in years]
    align = ["left"] + ["right"] * len(labels)
    return {
        "finance.trend": Table(
            "finance-trend", f"Spend by category, {labels[0]} to {labels[-1]}",
            ["Category"] + labels, trend_rows, source="Annual accounts", units=unit,
            align=align),
        "finance.trend-share": Table(
            "finance-trend-share", f"Proportion of funding spent on each category, "
            f"{labels[0]} to {labels[-1]}", ["Category"] + labels, share_rows,
            source="Annual accounts", units="% of total funding",
            notes=["The last row shows the share of spend on hospital inpatients (a) and care "
                   "homes (c): a falling share means resources moving to community-based care."],
            align=align)}


RESERVE_WORDS = {"earmarked": "Earmarked", "ring-fenced": "Ring-fenced", "general": "General"}


def reserves_table(analysis: Analysis, config: ReportConfig) -> Table:
    """Return each reserve's opening balance, movement and closing balance, by type."""
    unit, res = config.amounts, analysis.finance.reserves
    order = list(RESERVE_WORDS)
    rows = []
    for r in sorted(res.rows, key=lambda r: (order.index(r.type), r.description)):
        rows.append([Cell(r.description, header=True), Cell(RESERVE_WORDS[r.type]),
                     Cell(money(r.opening, unit), "right"), Cell(money(r.movement, unit), "right"),
                     Cell(money(r.closing, unit), "right")])
    for kind, (opening, movement, closing) in res.by_type.items():
        rows.append([Cell(f"Total {kind} reserves", header=True, bold=True), Cell(""),
                     Cell(money(opening, unit), "right"), Cell(money(movement, unit), "right"),
                     Cell(money(closing, unit), "right")])
    rows.append([Cell("Total reserves", header=True, bold=True), Cell(""),
                 Cell(money(res.opening, unit), "right"), Cell(money(res.movement, unit), "right"),
                 Cell(money(res.closing, unit), "right")])
    notes = ["A movement in brackets is a use of reserves; closing = opening + movement."]
    if res.general_share is not None:
        notes.append(f"The closing general reserve is {_pct(res.general_share)} of the year's "
                     "budget.")
    notes += _rounding_note([r.closing for r in res.rows], res.closing, unit)
    return Table("finance-reserves", f"Reserves, {analysis.year.label}",
                 ["Reserve", "Type", f"Opening ({unit})", f"Movement ({unit})",
                  f"Closing ({unit})"], rows, source="Annual accounts: movement in reserves",
                 units=f"{unit}; reductions in brackets", notes=notes,
                 align=["left", "left", "right", "right", "right"], total_row=True)


def savings_table(analysis: Analysis, config: ReportConfig) -> Table:
    """Return each savings programme planned against achieved, and recurring or not."""
    unit, sav = config.amounts, analysis.finance.savings
    rows = [[Cell(s.programme, header=True), Cell(money(s.planned, unit), "right"),
             Cell(money(s.achieved, unit), "right"),
             Cell(_pct(s.achieved / s.planned * 100) if s.planned else "–", "right"),
             Cell("Recurring" if s.recurring else "Non-recurring")] for s in sav.rows]
    rows.append([Cell("Total", header=True, bold=True), Cell(money(sav.planned, unit), "right"),
                 Cell(money(sav.achieved, unit), "right"),
                 Cell(_pct(sav.achieved_share) if sav.achieved_share is not None else "–",
                      "right"), Cell("")])
    rows.append([Cell("of which recurring", header=True), Cell(""),
                 Cell(money(sav.recurring, unit), "right"), Cell(""), Cell("")])
    rows.append([Cell("of which non-recurring", header=True), Cell(""),
                 Cell(money(sav.non_recurring, unit), "right"), Cell(""), Cell("")])
    return Table("finance-savings", f"Savings planned and achieved, {analysis.year.label}",
                 ["Savings programme", f"Planned ({unit})", f"Achieved ({unit})",
                  "Achieved as % of planned", "Recurring"], rows,
                 source="Savings programme monitoring reports", units=unit,
                 notes=["Recurring savings continue in future years; non-recurring savings are "
                        "one-off."] + _rounding_note([s.achieved for s in sav.rows], sav.achieved,
                                                     unit),
                 align=["left", "right", "right", "right", "left"])


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
                     Cell(_share(analysis.unallocated_spend, fin.outturn), "right")])
    if fin:
        pop = sum(loc.population or 0 for loc in analysis.localities)
        rows.append([Cell("Total", header=True, bold=True), Cell(f"{pop:,.0f}", "right"),
                     Cell(money(fin.outturn, unit), "right"), Cell("100.0%", "right")])
    return Table("localities-summary", f"Population and spend by locality, {analysis.year.label}",
                 ["Locality", "Population", f"Spend ({unit})", "Proportion of total spend"], rows,
                 source="Partnership finance; National Records of Scotland population estimates",
                 units=unit, align=["left", "right", "right", "right"], total_row=True)


KEY_QUESTIONS = {"wellbeing": "Wellbeing", "leadership": "Leadership", "staff": "Staff team",
                 "setting": "Setting", "care_planning": "Care and support planning"}


def _grades_text(inspection) -> str:
    return "; ".join(f"{KEY_QUESTIONS.get(k, k)}: {grade_text(v)}"
                     for k, v in inspection.grades.items()) or "Not graded"


def _good_text(inspection) -> str:
    if not inspection.grades:
        return "Not graded"
    return "Yes" if good_or_better(inspection) else "No"


TERMS_NOTE = ("The Care Inspectorate's reports make requirements and areas for improvement; "
              "Healthcare Improvement Scotland's make requirements and recommendations.")


def inspection_table(analysis: Analysis) -> Table:
    """Return the year's inspections: body, date, grades with words, requirements and
    recommendations, and whether every grade was Good or better."""
    rows = []
    for i in sorted(analysis.inspections, key=lambda i: (i.date, i.service)):
        rows.append([Cell(i.service, header=True), Cell(i.provider or "–"), Cell(body_label(i)),
                     Cell(f"{i.date.day} {i.date:%B %Y}"), Cell(_grades_text(i)),
                     Cell(_good_text(i)),
                     Cell("–" if i.requirements is None else str(i.requirements), "right"),
                     Cell("–" if i.recommendations is None else str(i.recommendations), "right")])
    return Table("inspections-list", f"Inspections published in {analysis.year.label}",
                 ["Service", "Provider", "Inspected by", "Report published", "Grades",
                  "Good or better in every area", "Requirements",
                  improvement_header(analysis.inspections)], rows,
                 source="Care Inspectorate and Healthcare Improvement Scotland inspection reports",
                 notes=["Care Inspectorate grades: 6 Excellent, 5 Very good, 4 Good, 3 Adequate, "
                        "2 Weak, 1 Unsatisfactory. A service counts as good or better when every "
                        "key question graded was 4 (Good) or above.", TERMS_NOTE],
                 align=["left"] * 6 + ["right", "right"])


def jmc_table(analysis: Analysis) -> Table:
    """Return the joint monitoring committee's recommendations in the year and the responses."""
    rows = [[Cell(f"{r.date.day} {r.date:%B %Y}", header=True), Cell(r.recommendation),
             Cell(r.response)] for r in analysis.jmc_recommendations]
    return Table("lead-agency-recommendations",
                 f"Recommendations of the joint monitoring committee, {analysis.year.label}",
                 ["Date", "Recommendation", "Our response"], rows,
                 source="Minutes of the integration joint monitoring committee")

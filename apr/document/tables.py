"""The report's data tables, built from the analysis as document nodes, keyed by name.

Templates insert them with ``{{ table("finance.categories") }}``. Every table carries a caption,
units, a source and notes, as official statistics should.
"""
from __future__ import annotations

from functools import partial

from ..analysis import Analysis
from ..analysis.finance import CATEGORIES, adds_up
from ..analysis.inspections import body_label, good_or_better, grade_text
from ..config import ReportConfig
from ..compliance import regulations_table
from .indicator_tables import indicator_tables
from ..findings import Location
from ..formatting import (DASH, long_date, money, number, percent, setting_amount, share,
                          year_range)
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
    """Return a percentage of a finance figure: "14.2%", "(0.2%)" when negative."""
    return percent(value, 1, brackets=True)


def _share(part: float, whole: float) -> str:
    """Return part as a percentage of whole, or a dash when the whole is zero."""
    return share(part, whole)


def _rounding_note(parts: list[float], total: float, unit: str, dp: int = 1) -> list[str]:
    if adds_up(parts, total, unit, dp):
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
    unit, dp = config.amounts, config.money_decimals
    m = partial(money, unit=unit, decimals=dp)
    return [f"The total {c.measure} of the service lines ({m(c.computed)}) "
            f"differs from the annual accounts ({m(c.supplied)}) by "
            f"{m(abs(c.difference))} ({unit}): to be reconciled."
            for c in checks if not c.agrees]


def category_table(analysis: Analysis, config: ReportConfig) -> Table:
    """Return spend and proportion of total funding for each reg 4(2) category (a) to (e)."""
    unit, dp = config.amounts, config.money_decimals
    m = partial(money, unit=unit, decimals=dp)
    cur = analysis.finance.current
    rows = [[Cell(f"({letter}) {name}", header=True),
             Cell(m(cur.budget_by_category.get(letter, 0.0)), "right"),
             Cell(m(cur.by_category.get(letter, 0.0)), "right"),
             Cell(_pct(cur.proportion(letter)), "right")] for letter, name in CATEGORIES.items()]
    rows.append([Cell("Total spend", header=True, bold=True), Cell(m(cur.budget), "right"),
                 Cell(m(cur.outturn), "right"),
                 Cell(_share(cur.outturn, cur.budget), "right")])
    label = "Underspend" if cur.variance >= 0 else "Overspend (shown in brackets)"
    rows.append([Cell(label, header=True), Cell("", "right"), Cell(m(cur.variance), "right"),
                 Cell(_share(cur.variance, cur.budget), "right")])
    rows.append([Cell("Total paid to or set aside for the partnership", header=True, bold=True),
                 Cell(m(cur.budget), "right"), Cell("", "right"),
                 Cell("100.0%", "right")])
    notes = ["Proportions are of the total paid to or set aside for the partnership; they add "
             "up to 100% only when spend equals funding, the difference being the under- or "
             "overspend."]
    notes += _rounding_note(list(cur.by_category.values()), cur.outturn, unit, dp)
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
    size = money(abs(line.variance), config.amounts, decimals=config.money_decimals)
    return Placeholder(
        f"the reason why {line.service_line} was {size} "
        f"({config.amounts}) {'under' if line.variance > 0 else 'over'} budget, more than the "
        f"threshold of {setting_amount(config.variance_threshold, config.amounts)}",
        Location(src.file if src else "", src.row if src else None, "reason"),
        code="finance.missing_reason")


def lines_table(analysis: Analysis, config: ReportConfig) -> Table:
    """Return budget, outturn and variance with its reason for each service line."""
    unit, dp = config.amounts, config.money_decimals
    m = partial(money, unit=unit, decimals=dp)
    cur = analysis.finance.current
    rows = []
    for ln in cur.lines:
        cat = config.service_lines[ln.service_line].category
        needs = abs(ln.variance) > config.variance_threshold
        rows.append([Cell(ln.service_line, header=True), Cell(f"({cat})", "center"),
                     Cell(m(ln.budget), "right"), Cell(m(ln.outturn), "right"),
                     Cell(m(ln.variance), "right"),
                     Cell(ln.reason, placeholder=missing_reason(ln, config) if needs and not
                          ln.reason.strip() else None)])
    rows.append([Cell("Total", header=True, bold=True), Cell(""),
                 Cell(m(cur.budget), "right"), Cell(m(cur.outturn), "right"),
                 Cell(m(cur.variance), "right"), Cell("")])
    notes = [f"Reasons are given for every variance above "
             f"{setting_amount(config.variance_threshold, unit)} ({unit})."]
    notes += _rounding_note([ln.outturn for ln in cur.lines], cur.outturn, unit, dp)
    return Table(
        "finance-lines", f"Budget and outturn by service, {analysis.year.label}",
        ["Service", "Category", f"Budget ({unit})", f"Outturn ({unit})",
         f"Under/(over)spend ({unit})", "Reason for the variance"], rows,
        source="Financial ledger; annual financial statement",
        units=f"{unit}; overspends in brackets", notes=notes,
        align=["left", "center", "right", "right", "right", "left"], total_row=True)


def care_group_table(analysis: Analysis, config: ReportConfig) -> Table:
    """Return spend on each key care group (reg 4(2)(f)): a cross-cutting view, no total."""
    unit, dp = config.amounts, config.money_decimals
    m = partial(money, unit=unit, decimals=dp)
    cur = analysis.finance.current
    rows = []
    for group in analysis.finance.key_care_groups:
        rows.append([Cell(group, header=True),
                     Cell(m(cur.budget_by_care_group.get(group, 0.0)), "right"),
                     Cell(m(cur.by_care_group.get(group, 0.0)), "right"),
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
    unit, dp = config.amounts, config.money_decimals
    m = partial(money, unit=unit, decimals=dp)
    years = analysis.finance.years
    trend_rows, share_rows = [], []
    for letter, name in CATEGORIES.items():
        trend_rows.append([Cell(f"({letter}) {name}", header=True)] +
                          [Cell(m(y.by_category.get(letter, 0.0)), "right") for y in years])
        share_rows.append([Cell(f"({letter}) {name}", header=True)] +
                          [Cell(_pct(y.proportion(letter)), "right") for y in years])
    trend_rows.append([Cell("Total spend", header=True, bold=True)] +
                      [Cell(m(y.outturn), "right") for y in years])
    trend_rows.append([Cell("Total funding", header=True)] +
                      [Cell(m(y.budget), "right") for y in years])
    share_rows.append([Cell("Total spend", header=True, bold=True)] +
                      [Cell(_share(y.outturn, y.budget), "right")
                       for y in years])
    share_rows.append([Cell("Hospital and care home share of spend", header=True, bold=True)] +
                      [Cell(_pct(y.institutional_share), "right") for y in years])
    labels = [y.year.label for y in years]
    align = ["left"] + ["right"] * len(labels)
    return {
        "finance.trend": Table(
            "finance-trend", f"Spend by category, {year_range(labels[0], labels[-1])}",
            ["Category"] + labels, trend_rows, source="Annual accounts", units=unit,
            align=align),
        "finance.trend-share": Table(
            "finance-trend-share", f"Proportion of funding spent on each category, "
            f"{year_range(labels[0], labels[-1])}", ["Category"] + labels, share_rows,
            source="Annual accounts", units="% of total funding",
            notes=["The last row shows the share of spend on hospital inpatients (a) and care "
                   "homes (c): a falling share means resources moving to community-based care."],
            align=align)}


RESERVE_WORDS = {"earmarked": "Earmarked", "ring-fenced": "Ring-fenced", "general": "General"}


def reserves_table(analysis: Analysis, config: ReportConfig) -> Table:
    """Return each reserve's opening balance, movement and closing balance, by type."""
    unit, dp = config.amounts, config.money_decimals
    m = partial(money, unit=unit, decimals=dp)
    res = analysis.finance.reserves
    order = list(RESERVE_WORDS)
    rows = []
    for r in sorted(res.rows, key=lambda r: (order.index(r.type), r.description)):
        rows.append([Cell(r.description, header=True), Cell(RESERVE_WORDS[r.type]),
                     Cell(m(r.opening), "right"), Cell(m(r.movement), "right"),
                     Cell(m(r.closing), "right")])
    for kind, (opening, movement, closing) in res.by_type.items():
        rows.append([Cell(f"Total {kind} reserves", header=True, bold=True), Cell(""),
                     Cell(m(opening), "right"), Cell(m(movement), "right"),
                     Cell(m(closing), "right")])
    rows.append([Cell("Total reserves", header=True, bold=True), Cell(""),
                 Cell(m(res.opening), "right"), Cell(m(res.movement), "right"),
                 Cell(m(res.closing), "right")])
    notes = ["A movement in brackets is a use of reserves; closing = opening + movement."]
    if res.general_share is not None:
        notes.append(f"The closing general reserve is {_pct(res.general_share)} of the year's "
                     "budget.")
    notes += _rounding_note([r.closing for r in res.rows], res.closing, unit, dp)
    return Table("finance-reserves", f"Reserves, {analysis.year.label}",
                 ["Reserve", "Type", f"Opening ({unit})", f"Movement ({unit})",
                  f"Closing ({unit})"], rows, source="Annual accounts: movement in reserves",
                 units=f"{unit}; reductions in brackets", notes=notes,
                 align=["left", "left", "right", "right", "right"], total_row=True)


def savings_table(analysis: Analysis, config: ReportConfig) -> Table:
    """Return each savings programme planned against achieved, and recurring or not."""
    unit, dp = config.amounts, config.money_decimals
    m = partial(money, unit=unit, decimals=dp)
    sav = analysis.finance.savings
    rows = [[Cell(s.programme, header=True), Cell(m(s.planned), "right"),
             Cell(m(s.achieved), "right"),
             Cell(_pct(s.achieved / s.planned * 100) if s.planned else DASH, "right"),
             Cell("Recurring" if s.recurring else "Non-recurring")] for s in sav.rows]
    rows.append([Cell("Total", header=True, bold=True), Cell(m(sav.planned), "right"),
                 Cell(m(sav.achieved), "right"),
                 Cell(_pct(sav.achieved_share) if sav.achieved_share is not None else DASH,
                      "right"), Cell("")])
    rows.append([Cell("of which recurring", header=True), Cell(""),
                 Cell(m(sav.recurring), "right"), Cell(""), Cell("")])
    rows.append([Cell("of which non-recurring", header=True), Cell(""),
                 Cell(m(sav.non_recurring), "right"), Cell(""), Cell("")])
    return Table("finance-savings", f"Savings planned and achieved, {analysis.year.label}",
                 ["Savings programme", f"Planned ({unit})", f"Achieved ({unit})",
                  "Achieved as % of planned", "Recurring"], rows,
                 source="Savings programme monitoring reports", units=unit,
                 notes=["Recurring savings continue in future years; non-recurring savings are "
                        "one-off."] + _rounding_note([s.achieved for s in sav.rows], sav.achieved,
                                                     unit, dp),
                 align=["left", "right", "right", "right", "left"])


def locality_table(analysis: Analysis, config: ReportConfig) -> Table:
    unit, dp = config.amounts, config.money_decimals
    m = partial(money, unit=unit, decimals=dp)
    rows = []
    for loc in analysis.localities:
        rows.append([Cell(loc.name, header=True),
                     Cell(number(loc.population) if loc.population else DASH, "right"),
                     Cell(m(loc.spend), "right"),
                     Cell(percent(loc.share), "right")])
    fin = analysis.finance.current
    if analysis.unallocated_spend is not None and fin:
        rows.append([Cell("Partnership-wide services not allocated to a locality", header=True),
                     Cell("", "right"), Cell(m(analysis.unallocated_spend), "right"),
                     Cell(_share(analysis.unallocated_spend, fin.outturn), "right")])
    if fin:
        pop = sum(loc.population or 0 for loc in analysis.localities)
        rows.append([Cell("Total", header=True, bold=True), Cell(number(pop), "right"),
                     Cell(m(fin.outturn), "right"), Cell("100.0%", "right")])
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


def inspection_table(analysis: Analysis) -> Table:
    """Return the year's inspections: body, date, grades with words, requirements and
    recommendations, and whether every grade was Good or better."""
    rows = []
    for i in sorted(analysis.inspections, key=lambda i: (i.date, i.service)):
        rows.append([Cell(i.service, header=True), Cell(i.provider or DASH), Cell(body_label(i)),
                     Cell(long_date(i.date)), Cell(_grades_text(i)),
                     Cell(_good_text(i)),
                     Cell(DASH if i.requirements is None else str(i.requirements), "right"),
                     Cell(DASH if i.recommendations is None else str(i.recommendations), "right")])
    return Table("inspections-list", f"Inspections published in {analysis.year.label}",
                 ["Service", "Provider", "Inspected by", "Report published", "Grades",
                  "Good or better in every area", "Requirements", "Recommendations"], rows,
                 source="Care Inspectorate and Healthcare Improvement Scotland inspection reports",
                 notes=["Care Inspectorate grades: 6 Excellent, 5 Very good, 4 Good, 3 Adequate, "
                        "2 Weak, 1 Unsatisfactory. A service counts as good or better when every "
                        "key question graded was 4 (Good) or above."],
                 align=["left"] * 6 + ["right", "right"])


def jmc_table(analysis: Analysis) -> Table:
    """Return the joint monitoring committee's recommendations in the year and the responses."""
    rows = [[Cell(long_date(r.date), header=True), Cell(r.recommendation),
             Cell(r.response)] for r in analysis.jmc_recommendations]
    return Table("lead-agency-recommendations",
                 f"Recommendations of the joint monitoring committee, {analysis.year.label}",
                 ["Date", "Recommendation", "Our response"], rows,
                 source="Minutes of the integration joint monitoring committee")

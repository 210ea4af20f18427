"""The report's data tables, built from the analysis as document nodes, keyed by name.

Templates insert them with ``{{ table("finance.categories") }}``. Every table carries a caption,
units, a source and notes, as official statistics should.
"""
from __future__ import annotations

from functools import partial

from ..analysis import Analysis
from ..analysis.finance import (
    CATEGORIES,
    Figures,
    adds_up,
    computed_figures,
    exact,
    mapping,
    published_figures,
    total,
    within,
)
from ..analysis.inspections import body_label, good_or_better, grade_text, improvement_header
from ..compliance import regulations_table
from ..config import ReportConfig
from ..findings import Location
from ..formatting import (
    DASH,
    long_date,
    money,
    money_digits,
    number,
    percent,
    round_half_up,
    setting_amount,
    share,
    year_range,
)
from .indicator_tables import indicator_tables
from .msg_tables import msg_tables
from .nodes import Cell, Placeholder, Table


def build_tables(analysis: Analysis, config: ReportConfig) -> dict[str, Table]:
    """Return every named table of the report."""
    tables: dict[str, Table] = indicator_tables(analysis, config)   # indicator_tables.py
    tables.update(finance_tables(analysis, config))
    tables["localities.summary"] = locality_table(analysis, config)
    tables["inspections.list"] = inspection_table(analysis)
    tables["lead_agency.recommendations"] = jmc_table(analysis)
    tables.update(msg_tables(analysis, config))     # msg_tables.py
    from .accountability_tables import accountability_tables
    tables.update(accountability_tables(analysis, config))
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


def _rounding_note(parts: list[float], total: float, unit: str,
                   decimals: int | None = None) -> list[str]:
    if adds_up(parts, total, unit, decimals):
        return []
    return ["Figures are rounded, so the rows may not add up exactly to the total shown."]


def _money(config: ReportConfig):
    """Return the finance tables' amount format: the unit, and [finance] decimals when set."""
    return lambda value: money(value, config.amounts, decimals=config.money_decimals)


def _totals_note(analysis: Analysis, config: ReportConfig) -> list[str]:
    checks = [c for c in analysis.finance.totals_checks if c.year == analysis.year]
    m = _money(config)
    if not checks:
        return []
    if all(c.agrees for c in checks):
        return [f"The total {' and '.join(c.measure for c in checks)} agree with the annual "
                f"accounts within a rounding tolerance of "
                f"{setting_amount(config.rounding_tolerance, config.amounts)}"
                f" ({config.amounts})."]
    return [f"The total {c.measure} of the service lines ({m(c.computed)}) "
            f"differs from the annual accounts ({m(c.supplied)}) by "
            f"{m(abs(c.difference))} ({config.amounts}): to be reconciled."
            for c in checks if not c.agrees]


def _category_name(letter: str) -> str:
    return CATEGORIES[letter][0].lower() + CATEGORIES[letter][1:]


def category_table(analysis: Analysis, config: ReportConfig) -> Table:
    """Return spend and proportion of total funding for each reg 4(2) category (a) to (e)."""
    unit, cur, m = config.amounts, analysis.finance.current, _money(config)
    two = not cur.single_figure
    shown = cur.shown

    def amounts(budget, funding, spend) -> list[Cell]:
        cells = [Cell(m(budget), "right")] + ([Cell(m(funding), "right")] if two else [])
        return cells + [Cell(m(spend), "right")]

    rows = []
    for letter, name in CATEGORIES.items():
        if letter not in cur.by_category:
            rows.append([Cell(f"({letter}) {name}", header=True)] +
                        [Cell("–", "right")] * (4 if two else 3))
            continue
        rows.append([Cell(f"({letter}) {name}", header=True)] +
                    amounts(cur.budget_by_category[letter], cur.funding_by_category[letter],
                            cur.by_category[letter]) +
                    [Cell(_pct(cur.proportion(letter)), "right")])
    rows.append([Cell("Total spend", header=True, bold=True)] +
                amounts(shown.budget, shown.funding, shown.outturn) +
                [Cell(_share(shown.outturn, shown.funding), "right")])
    rows += _category_variance_rows(shown, two, m)
    blank = [Cell("", "right")] * (2 if two else 1)
    rows.append([Cell("Total paid to or set aside for the partnership", header=True, bold=True)]
                + blank[:-1] + [Cell(m(shown.funding), "right"), Cell("", "right"),
                                Cell("100.0%", "right")])
    heads = ["Budget in the annual financial statement" if two else "Budget"]
    heads += ["Final budget"] if two else []
    return Table(
        "finance-categories", f"Spend on each prescribed category, {analysis.year.label}",
        ["Category (regulation 4(2))"] + [f"{h} ({unit})" for h in heads] +
        [f"Spend ({unit})", "Proportion of total funding"], rows,
        source="Annual accounts and financial statement",
        units=f"{unit}; overspends in brackets", notes=_category_notes(analysis, config, shown),
        align=["left"] + ["right"] * (len(heads) + 2), total_row=True)


def _category_variance_rows(shown: Figures, two: bool, m) -> list[list[Cell]]:
    """Return the under/(over)spend rows: against the financial statement, and against the
    final budget when the partnership keeps both figures."""
    pad = [Cell("", "right")] * (2 if two else 1)
    rows = []
    pairs = [("the annual financial statement", shown.variance)]
    if two:
        pairs.append(("the final budget", shown.final_variance))
    for against, value in pairs:
        label = "Underspend" if value >= 0 else "Overspend (shown in brackets)"
        share = _share(value, shown.funding) if against == pairs[-1][0] else ""
        rows.append([Cell(f"{label} against {against}" if two else label, header=True)] + pad +
                    [Cell(m(value), "right"), Cell(share, "right")])
    return rows


def _category_notes(analysis: Analysis, config: ReportConfig, shown: Figures) -> list[str]:
    cur, m = analysis.finance.current, _money(config)
    notes = ["Proportions are of the total paid to or set aside for the partnership; they add "
             "up to 100% only when spend equals funding, the difference being the under- or "
             "overspend."]
    if not cur.single_figure:
        notes.append(f"The annual financial statement set planned spending of {m(cur.budget)} "
                     f"({config.amounts}); partners changed the funding by "
                     f"{m(cur.in_year_change)} during the year, to a final budget of "
                     f"{m(cur.funding)}. The under- or overspend is shown against both.")
    for line, parts in cur.splits:
        whose = f" ({line.body})" if line.body else ""
        split = "; ".join(f"{percent:g}% to ({cat}), {m(amount)}" for cat, percent, amount
                          in parts)
        notes.append(f"{line.service_line}{whose} spans categories and is split: {split}.")
    for letter in cur.zero_categories():
        notes.append(f"No spend on {_category_name(letter)} ({letter}) in "
                     f"{analysis.year.label}.")
    notes += _rounding_note(list(cur.by_category.values()), shown.outturn, config.amounts,
                            config.money_decimals)
    return notes + _totals_note(analysis, config)


def missing_reason(line, config: ReportConfig) -> Placeholder:
    """Return the placeholder for a variance above the threshold that gives no reason."""
    src = line.source
    return Placeholder(
        f"the reason why {line.service_line} was {_money(config)(abs(line.variance))} "
        f"({config.amounts}) {'under' if line.variance > 0 else 'over'} budget, more than the "
        f"threshold of {setting_amount(config.variance_threshold, config.amounts)}",
        Location(src.file if src else "", src.row if src else None, "reason"),
        code="finance.missing_reason")


def _figure_cells(fig: Figures, two: bool, m) -> list[Cell]:
    cells = [Cell(m(fig.budget), "right")] + ([Cell(m(fig.funding), "right")] if two else [])
    cells += [Cell(m(fig.outturn), "right"), Cell(m(fig.variance), "right")]
    return cells + ([Cell(m(fig.final_variance), "right")] if two else [])


def _line_row(ln, config: ReportConfig, two: bool) -> list[Cell]:
    needs = abs(ln.variance) > config.variance_threshold
    fig = Figures(ln.budget, ln.funding, ln.outturn, ln.variance, ln.final_variance)
    return ([Cell(ln.service_line, header=True),
             Cell(mapping(config, ln).categories, "center")] + _figure_cells(fig, two,
                                                                            _money(config)) +
            [Cell(ln.reason, placeholder=missing_reason(ln, config) if needs and not
                  ln.reason.strip() else None)])


def _published_notes(label: str, row, lines, config: ReportConfig) -> list[str]:
    """Return a note for each figure of a published total or subtotal that its lines, as
    shown, do not add up to: stated, since the published figure is the one shown."""
    if row is None:
        return []
    m, notes = _money(config), []
    for measure, values in (("budget", [ln.budget for ln in lines]),
                            ("outturn", [ln.outturn for ln in lines])):
        given = getattr(row, measure)
        if adds_up(values, given, config.amounts, config.money_decimals):
            continue
        digits = money_digits(config.amounts, config.money_decimals)
        shown = sum(round_half_up(v, digits) for v in values)
        gap = "rounding" if within(given - total(values), config.rounding_tolerance) else \
            "a difference still to be reconciled"
        notes.append(f"The accounts give the {label} {measure} as {m(given)}; its lines as "
                     f"shown add up to {m(shown)}, the difference being {gap}.")
    return notes


def _lines_rounding_note(cur, config: ReportConfig) -> list[str]:
    """The rounding note when the outturns or the variances as shown do not add up to their
    total (published variances are computed from unrounded figures)."""
    groups = [cur.body_lines(b) for b in cur.bodies] or [cur.lines]
    for mine in groups + ([cur.lines] if cur.bodies else []):
        fig = cur.shown if mine is cur.lines else computed_figures(mine)
        for parts, whole in (([ln.outturn for ln in mine], fig.outturn),
                             ([ln.variance for ln in mine], fig.variance)):
            note = _rounding_note(parts, whole, config.amounts, config.money_decimals)
            if note:
                return note
    return []


def lines_table(analysis: Analysis, config: ReportConfig) -> Table:
    """Return each service line's budget, outturn and variance with its reason, in the order
    of the accounts, grouped by partner body with subtotals when bodies are given."""
    unit, cur, m = config.amounts, analysis.finance.current, _money(config)
    two, empty = not cur.single_figure, 4 if not cur.single_figure else 2
    rows, notes = [], []
    for body in cur.bodies:
        mine = cur.body_lines(body)
        rows.append([Cell(body, header=True, bold=True)] + [Cell("")] * (3 + empty))
        rows += [_line_row(ln, config, two) for ln in mine]
        sub = cur.published_total(body)
        figures = published_figures(sub, computed_figures(mine))
        rows.append([Cell(f"Total {body}" if sub is None else sub.name, header=True, bold=True),
                     Cell("")] + _figure_cells(figures, two, m) + [Cell("")])
        notes += _published_notes(f"{body} subtotal", sub, mine, config)
    if not cur.bodies:
        rows += [_line_row(ln, config, two) for ln in cur.lines]
    rows.append([Cell("Total", header=True, bold=True), Cell("")] +
                _figure_cells(cur.shown, two, m) + [Cell("")])
    notes = [f"Reasons are given for every variance above "
             f"{setting_amount(config.variance_threshold, unit)} ({unit})."] + notes
    if any(ln.published_variance is not None for ln in cur.lines):
        notes.append("Variances are as published in the annual accounts, which compute them "
                     "from unrounded figures.")
    total_row = cur.published_total("")
    notes += _published_notes("total", total_row, cur.lines, config)
    if not total_row or not notes[-1:] or "as shown add up" not in notes[-1]:
        notes += _lines_rounding_note(cur, config)
    heads = (["Budget in the annual financial statement", "Final budget"] if two else
             ["Budget"]) + ["Outturn"]
    variances = ["Under/(over)spend against the financial statement",
                 "Under/(over)spend against the final budget"] if two else \
        ["Under/(over)spend"]
    return Table(
        "finance-lines", f"Budget and outturn by service, {analysis.year.label}",
        ["Service", "Category"] + [f"{h} ({unit})" for h in heads + variances] +
        ["Reason for the variance"], rows,
        source="Financial ledger; annual financial statement",
        units=f"{unit}; overspends in brackets", notes=notes,
        align=["left", "center"] + ["right"] * (len(heads) + len(variances)) + ["left"],
        total_row=True)


def care_group_table(analysis: Analysis, config: ReportConfig) -> Table:
    """Return spend on each key care group (reg 4(2)(f)): a cross-cutting view, no total."""
    unit, cur = config.amounts, analysis.finance.current
    m = _money(config)
    rows = []
    for group in analysis.finance.key_care_groups:
        rows.append([Cell(group, header=True),
                     Cell(m(cur.budget_by_care_group.get(group, 0.0)), "right"),
                     Cell(m(cur.by_care_group.get(group, 0.0)), "right"),
                     Cell(_pct(cur.care_group_proportion(group)), "right")])
    return Table(
        "finance-care-groups", f"Spend on key care groups, {analysis.year.label}",
        ["Key care group (regulation 4(2)(f))", f"Budget ({unit})", f"Spend ({unit})",
         "Proportion of total funding"], rows, source="Annual accounts, each service line "
        "assigned to its care groups by the partnership", units=f"{unit}",
        notes=["Key care groups cut across categories (a) to (e): the same spend is counted in "
               "a category and in a care group, so these rows are not added to the total, and a "
               "service can serve more than one care group."],
        align=["left", "right", "right", "right"])


def trend_tables(analysis: Analysis, config: ReportConfig) -> dict[str, Table]:
    """Return spend by category over the years, in amounts and as proportions of funding."""
    unit, years = config.amounts, analysis.finance.years
    m = _money(config)
    trend_rows, share_rows = [], []
    for letter, name in CATEGORIES.items():
        trend_rows.append([Cell(f"({letter}) {name}", header=True)] +
                          [Cell(m(y.by_category.get(letter, 0.0)), "right") for y in years])
        share_rows.append([Cell(f"({letter}) {name}", header=True)] +
                          [Cell(_pct(y.proportion(letter)), "right") for y in years])
    trend_rows.append([Cell("Total spend", header=True, bold=True)] +
                      [Cell(m(y.outturn), "right") for y in years])
    trend_rows.append([Cell("Total paid to or set aside", header=True)] +
                      [Cell(m(y.funding), "right") for y in years])
    share_rows.append([Cell("Total spend", header=True, bold=True)] +
                      [Cell(_share(y.outturn, y.funding), "right")
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
    unit, res = config.amounts, analysis.finance.reserves
    m = _money(config)
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
    notes += _rounding_note([r.closing for r in res.rows], res.closing, unit,
                            config.money_decimals)
    return Table("finance-reserves", f"Reserves, {analysis.year.label}",
                 ["Reserve", "Type", f"Opening ({unit})", f"Movement ({unit})",
                  f"Closing ({unit})"], rows, source="Annual accounts: movement in reserves",
                 units=f"{unit}; reductions in brackets", notes=notes,
                 align=["left", "left", "right", "right", "right"], total_row=True)


def savings_table(analysis: Analysis, config: ReportConfig) -> Table:
    """Return each savings programme planned against achieved, and recurring or not."""
    unit, sav = config.amounts, analysis.finance.savings
    m = _money(config)
    rows = [[Cell(s.programme, header=True), Cell(m(s.planned), "right"),
             Cell(m(s.achieved), "right"),
             Cell(_pct(s.achieved / s.planned * 100) if s.planned else "–", "right"),
             Cell("Recurring" if s.recurring else "Non-recurring")] for s in sav.rows]
    rows.append([Cell("Total", header=True, bold=True), Cell(m(sav.planned), "right"),
                 Cell(m(sav.achieved), "right"),
                 Cell(_pct(sav.achieved_share) if sav.achieved_share is not None else "–",
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
                                                     unit, config.money_decimals),
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
                 units=unit, notes=_locality_basis(analysis, config),
                 align=["left", "right", "right", "right"], total_row=True)


def _locality_basis(analysis: Analysis, config: ReportConfig) -> list[str]:
    """State the basis of the localities' shares: the year's total spend (outturn), and how it
    compares with the total paid to or set aside for the partnership."""
    fin, m = analysis.finance.current, _money(config)
    if not fin:
        return []
    note = (f"Each locality's share is of the partnership's total spend (outturn) of "
            f"{m(fin.outturn)} ({config.amounts})")
    if exact(fin.funding - fin.outturn):
        note += (f"; the total paid to or set aside for the partnership was {m(fin.funding)}, "
                 f"so the total spend is {_share(fin.outturn, fin.funding)} of it")
    return [note + "."]


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
        rows.append([Cell(i.service, header=True), Cell(i.provider or DASH), Cell(body_label(i)),
                     Cell(long_date(i.date)), Cell(_grades_text(i)),
                     Cell(_good_text(i)),
                     Cell(DASH if i.requirements is None else str(i.requirements), "right"),
                     Cell(DASH if i.recommendations is None else str(i.recommendations), "right")])
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
    rows = [[Cell(long_date(r.date), header=True), Cell(r.recommendation),
             Cell(r.response)] for r in analysis.jmc_recommendations]
    return Table("lead-agency-recommendations",
                 f"Recommendations of the joint monitoring committee, {analysis.year.label}",
                 ["Date", "Recommendation", "Our response"], rows,
                 source="Minutes of the integration joint monitoring committee")

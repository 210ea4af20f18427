"""The template context: every name a template can use, each with its help text.

This module is the published contract: ``apr templates context`` prints ``describe()``, and a
test fails when a name has no help.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import wording
from ..analysis import GRADE_WORDS, Analysis
from .. import formatting as fmt
from ..analysis.finance import CATEGORIES, variance_words
from ..analysis.indicators import current
from ..analysis.inspections import IMPROVEMENT_TERMS
from ..catalogue import indicators, outcomes, principles
from ..config import ReportConfig, ReportingYear, and_words, display_path
from ..findings import Findings, Location
from ..internals import JINJA_TEMPLATE_GLOBAL
from ..model import Inputs
from . import nodes as n
from .citations import Vocabulary, cite
from .markup import image_path, image_problem
from .templating import MarkdownText, TemplateProblem

VARIABLES: dict[str, str] = {
    "partnership": "The partnership's settings from apr.toml: name, short_name, authority, code, "
                   "model, council (the council or councils in words: 'A and B'), councils "
                   "(each constituent council), health_board, constituent_authorities (the "
                   "council(s) and health board in words), population, chief_officer, chair, "
                   "website.",
    "report": "Report settings: status, amounts, board_meeting, board_date, publication_date, "
              "author, data_vintage, plan_title, plan_period, priorities, plan_reviewed, "
              "plan_changed (the same object as partnership).",
    "year": "The reporting year: year.label is '2023/24', year.start is 2023.",
    "years": "The reporting year and the 5 before it (oldest first), as year objects.",
    "is_draft": "True while apr.toml says status = \"draft\".",
    "is_lead_agency": "True when the partnership is a lead agency (model = \"lead_agency\").",
    "outcomes": "The 9 national health and wellbeing outcomes: each has number, title, "
                "short_title, indicators (results whose main outcome it is), linked (every linked "
                "indicator result) and spend (outturn of the service lines that serve it).",
    "indicators": "Every indicator result NI-1 to NI-23 in order, then local indicators: code, "
                  "indicator (title, unit, source...), cells, latest, previous (each with "
                  "period, number, standin), direction, trend_text, vs_scotland, scotland_text, "
                  "scotland_rule ('interval' where the latest figure's 95% confidence interval "
                  "decided vs_scotland, 'margin' where similar_band did), interval ((lower, "
                  "upper) of the latest figure, or None), "
                  "sentence, notes, rank, rank_of, peer_mean, peer_rank, peer_of, peers, "
                  "localities (figures after disclosure control), is_local, comparison "
                  "('like for like' where a calendar-year stand-in is compared with the calendar "
                  "year before, 'indicative' where the periods differ), z (the z statistic of a "
                  "survey change). direction is also 'no significant change' (a survey change "
                  "inside sampling error) or 'not tested' (a survey change without intervals).",
    "current_indicators": "The indicator results that count in every count of comparisons "
                          "with Scotland and over time: core indicators reported nationally, "
                          "not frozen (NI-20) and not local (analysis.indicators.current).",
    "indicator": "The indicator results by code: indicator['NI-12'].sentence.",
    "principles": "The integration delivery principles of section 31 of the 2014 Act: number, "
                  "text, short_title.",
    "finance": "Finance: finance.current (budget, outturn, variance, by_category, "
               "by_care_group), finance.years, finance.missing_reasons, finance.key_care_groups, "
               "finance.shift ('community', 'institutional' or 'none': which way the hospital and "
               "care home share moved since the first year shown), finance.totals_checks and "
               "finance.totals_mismatches (supplied totals against the lines: year, measure, "
               "supplied, computed, difference), finance.reserves (opening, movement, closing, "
               "by_type, general_share; None without a reserves table) and finance.savings "
               "(planned, achieved, achieved_share, recurring, non_recurring, shortfall; None "
               "without a savings table).",
    "categories": "The reg 4(2) spend categories (a) to (e), letter to name.",
    "localities": "Each locality: name, slug, summary, population, spend, share (percent of "
                  "total spend).",
    "unallocated_spend": "Spend not allocated to any locality (amounts unit), or None.",
    "inspections": "Inspections published in the reporting year: service, provider, body, date, "
                   "grades, requirements, recommendations, findings, response.",
    "graded_count": "How many of the year's inspections were graded.",
    "good_or_better": "How many graded services had every grade Good (4) or better.",
    "decisions": "Significant decisions under section 36 taken in the reporting year, by date: "
                 "date, decision, reason.",
    "deadline": "The publication deadline: 31 July after the reporting year (s.42(4)).",
    "recipients": "Who must receive a copy of the report for the integration model (s.42(5)).",
    "grade_words": "Care Inspectorate grade words: grade_words[4] is 'Good'.",
    "regulations": "Board paper template only: how many of the statutory requirements that "
                   "apply the report meets (regulations.met), leaves to a reader's judgement "
                   "(regulations.reading) and misses (regulations.missing), of regulations.total; "
                   "the public report carries no such verdicts.",
    "left_to_complete": "Board paper template only: how many things the report still has to "
                        "complete (its 'To be completed' markers and example rows); 0 when none.",
    "board": "Board paper template only: the [board_paper] settings of apr.toml: meeting, date "
             "(report.board_date), item, report_number, report_by, report_by_name, author, "
             "contact, classification ('For decision' unless set), purpose, recommendations, "
             "financial_implications, policy_implications, risk, consultations, direction "
             "('none', 'council', 'health_board' or 'both'), background_papers, paper_date. "
             "Empty settings use the template's standard words.",
    "headline": "For the summary: headline.improved and headline.worsened (the 3 indicator "
                "results that moved most since the previous figure, largest relative change "
                "first, counting only changes larger than a survey's 95% confidence interval), "
                "headline.improved_text and headline.worsened_text (a short sentence for each), "
                "headline.notes (what those sentences leave out, such as calendar years), "
                "headline.better and headline.worse (results compared with Scotland).",
    "improvement_terms": "What each inspecting body calls its findings short of a requirement, "
                         "by body, as (singular, plural): the Care Inspectorate's 'areas for "
                         "improvement', the other bodies' 'recommendations'.",
    "inspection_summary": "Counts over the year's inspections: reports, graded, good_or_better, "
                          "requirements, areas_for_improvement (Care Inspectorate), "
                          "recommendations (the other bodies), by_body (body to count), made "
                          "(all three in words: '7 requirements, 9 areas for improvement and 2 "
                          "recommendations').",
    "benchmark": "How many indicators compare with Scotland: benchmark.better, .similar, "
                 ".worse.",
    "jmc_recommendations": "Lead agency model: the joint monitoring committee's recommendations "
                           "in the year: date, recommendation, response.",
    "msg": "The Ministerial Strategic Group indicators (docs/msg.md): msg.supplied (False when "
           "the project has no MSG table), msg.baseline_year, msg.results (every indicator "
           "MSG-1a to MSG-6b in order: code, indicator (title, subject, short_title, unit, "
           "definition, source), values, baseline, latest, previous (each with value, "
           "scotland, period), change and scotland_change (percent of the baseline for "
           "numbers, percentage points for percentages), aim ('reduce', 'increase', "
           "'maintain' or None), target, aim_from ('objective' or 'catalogue'), progress "
           "('met', 'missed', 'as_aimed', 'against_aim' or None), sentence), msg.reported "
           "(the results with a figure) and msg.counts() (how many of each progress).",
    "delegated": "Children's services and justice social work where [delegated] in apr.toml "
                 "delegates them (an empty list otherwise): key ('children' or 'justice'), "
                 "title, framework (what the outcomes are; '' for the partnership's own list), "
                 "outcomes.",
    "hosted": "Services hosted for or by other partnerships (data/hosted_services): "
              "hosted.given (the table was supplied), hosted.hosts and hosted.uses, each service "
              "with service, host, role, budget, outturn, performance.",
    "lgbf": "The Local Government Benchmarking Framework measures of data/benchmarking, latest "
            "year first per measure: measure (code, title, unit, higher_is_better), year, value, "
            "family_group, scotland, vs_family_group and vs_scotland ('better', 'worse', "
            "'similar', or 'higher'/'lower' for costs, '' without a figure).",
    "peer_group": "The benchmarking peers: number (the family group, None for [benchmarking] "
                  "peers), councils, description; None when there is none.",
    "funding_gap": "The funding gap of the coming years (data/funding_gap): years (year, gap, "
                   "savings, reserves, unidentified) and the totals gap, savings, reserves, "
                   "unidentified; None without the table.",
    "deprivation": "Indicators by SIMD quintile (data/deprivation), after disclosure control: "
                   "indicator, period, quintiles (1 to 5, each with count, value, suppressed).",
    "prevention": "Prevention measures (data/prevention): measure (measure, period, value, "
                  "previous, unit, higher_is_better, note) and direction ('improved', "
                  "'worsened', 'unchanged', 'rose', 'fell' or '').",
    "best_value": "The external audit evidence from [best_value] in apr.toml: audit_opinion "
                  "('unqualified', 'qualified', 'adverse', 'disclaimer' or ''), auditor, "
                  "audited_accounts (the year of the accounts the opinion is on).",
}


def _doc(fn):
    FUNCTIONS[fn.__name__] = " ".join((fn.__doc__ or "").strip().split("\n\n")[0].split())
    return fn


FUNCTIONS: dict[str, str] = {}


@dataclass
class ContextFunctions:
    """The functions templates call; each records what it was asked for."""

    config: ReportConfig
    inputs: Inputs
    findings: Findings
    table_names: list[str]
    figure_names: list[str]
    used_narrative: set[str] = field(default_factory=set)
    placeholders: list[n.Placeholder] = field(default_factory=list)
    vocabulary: Vocabulary | None = None   # the figures narrative can cite (build_context)
    cited_pending: list[tuple[str, Location]] = field(default_factory=list)

    def placeholder(self, text: str, where: Location, code: str) -> str:
        """Register a placeholder and return the markup line that stands for it."""
        self.placeholders.append(n.Placeholder(text, where, code))
        return MarkdownText(f"\n<<todo #{len(self.placeholders) - 1}>>\n")

    def table(self, name: str) -> str:
        """Insert a table apr built from the data, by name: {{ table("finance.categories") }}."""
        if name not in self.table_names:
            raise TemplateProblem("template.unknown_table", _unknown("table", name,
                                                                     self.table_names))
        return MarkdownText(f"\n<<table {name}>>\n")

    def figure(self, name: str) -> str:
        """Insert a chart by name: {{ figure("chart.NI-12") }}; nothing if it has no data."""
        if name not in self.figure_names:
            if name.startswith(("chart.NI-", "chart.finance", "chart.localities",
                                "chart.MSG-")):
                return ""
            raise TemplateProblem("template.unknown_figure", _unknown("figure", name,
                                                                      self.figure_names))
        return MarkdownText(f"\n<<figure {name}>>\n")

    def narrative(self, name: str, level: int = 2, missing: str = "") -> str:
        """Insert content/NAME.md, its headings demoted to start at LEVEL; a To be completed
        marker and a warning when the file is missing or empty."""
        self.used_narrative.add(name)
        item = self.inputs.narrative.get(name)
        if item is None or not item.text.strip():
            file = display_path(self.config.project_dir / "content" / f"{name}.md")
            return self.placeholder(missing or "the narrative of this section",
                                    Location(file), code="narrative.missing")
        text = check_images(item.text, item.file, self.config.project_dir / "content",
                            self.findings)
        text = check_markup(text, item.file, self.findings,
                            {"table": self.table_names, "figure": self.figure_names})
        if self.vocabulary is not None:
            text = cite(text, item.file, self.vocabulary, self.inputs, self.findings,
                        self.cited_pending)
        # the <<source>> lines tell the parser which file and line each block comes from
        return MarkdownText(f"\n<<source {name}>>\n{shift_headings(text, level)}\n<<source>>\n")

    def has_narrative(self, name: str) -> bool:
        """True when content/NAME.md exists and is not empty."""
        item = self.inputs.narrative.get(name)
        return bool(item and item.text.strip())

    def has_data(self, name: str) -> bool:
        """True when the data table NAME (e.g. "inspections") was given, as a CSV file or a
        workbook sheet, even with only its header row: has_data("inspections")."""
        from ..paths import table_stem
        from ..sources.tables import normalise_column
        for file in self.inputs.files:
            if normalise_column(table_stem(file)) == name:
                return True
        return False

    def todo(self, text: str, file: str = "", setting: str = "") -> str:
        """Insert a visible 'To be completed' marker saying TEXT is missing, and a warning;
        name where to supply it with FILE (data/finance.csv) or SETTING (best_value.auditor),
        else the warning names the template and line."""
        if setting:
            where = Location(self.config.config_file, None, setting)
        elif file:
            where = Location(display_path(self.config.project_dir / file))
        else:
            where = template_location()
        return self.placeholder(text, where, code="placeholder.template")

    def money(self, value, brackets: bool = True) -> str:
        """Format an amount in the project's unit for a table: 12,345 or (1,200) for negatives."""
        return fmt.money(value, self.config.amounts, brackets, self.config.money_decimals)

    def money_words(self, value) -> str:
        """Format an amount in pounds for a sentence: £1.2m, £350k ([finance] decimals)."""
        return fmt.money_words(value, self.config.amounts, self.config.money_decimals)

    def variance_words(self, value) -> str:
        """Describe budget minus spend: 'an underspend of £1.2m' or 'an overspend of £350k'."""
        return variance_words(value, self.config.amounts, self.config.money_decimals)

    def pct(self, value, decimals: int = 1) -> str:
        """Format a percentage: pct(12.345) is '12.3%'."""
        return fmt.percent(value, decimals)

    def number(self, value, decimals: int = 0) -> str:
        """Format a number with thousands separators: number(151300) is '151,300'."""
        return fmt.number(value, decimals)

    def ordinal(self, n: int) -> str:
        """Return 1st, 2nd, 3rd, 4th ... for ranks."""
        n = int(n)
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"

    def date(self, value) -> str:
        """Format a date as '31 July 2024'."""
        return fmt.long_date(value)

    def value(self, result, which: str = "latest") -> str:
        """Format an indicator result's latest (or previous) value with its unit."""
        cell = getattr(result, which)
        return fmt.DASH if cell is None else fmt.indicator_value(result.indicator, cell.number)

    def plural(self, n: int, word: str = "", plural: str = "") -> str:
        """Return '1 decision', '3 decisions' or 'no decisions' (or the PLURAL given); without
        WORD, '3' or 'none'."""
        return wording.count(n, word, plural)

    def share(self, part: int, whole: int, word: str, plural: str = "", verb: str = "") -> str:
        """Return PART of WHOLE as words: '5 of the 6 graded services', 'all 6 graded
        services', 'the only graded service', 'none of the 6 ...'; VERB 'was|were' adds the
        verb that agrees."""
        return wording.share(part, whole, word, plural, verb)

    def movement(self, before: str, after: str, old=None, new=None) -> str:
        """Describe a change from the figures as shown: 'rose from 31.5% to 28.1%' (with the
        numbers OLD and NEW), 'went from ...' (without), 'was unchanged at 28.1%'."""
        return wording.movement(before, after, old, new)

    def period(self, start) -> str:
        """Return the label of the reporting year starting in START: period(2023) is '2023/24'."""
        return ReportingYear(int(getattr(start, "start", start))).label

    def compare(self, a, b, higher_is_better: bool | None = True, unit: str = "") -> str:
        """Compare A with B as words: 'higher (better) than', '2.1 percentage points lower
        (worse) than', 'the same as'; UNIT '%' gives percentage points, '' no amount."""
        return compare_words(a, b, higher_is_better, unit)

    def and_words(self, items) -> str:
        """Return a list in words: 'A', 'A and B', 'A, B and C' (recipients | and_words)."""
        return and_words([str(i) for i in items])


for _name in ("table", "figure", "narrative", "has_narrative", "has_data", "todo", "money", "money_words",
              "variance_words", "pct", "number", "ordinal", "date", "value", "plural",
              "share", "movement", "period", "compare", "and_words"):
    _doc(getattr(ContextFunctions, _name))

# Functions that also work as filters: {{ finance.current.budget | money_words }}.
FILTER_NAMES = ("money", "money_words", "variance_words", "pct", "number", "ordinal", "date",
                "period", "and_words")
FILTERS: dict[str, str] = {name: f"{{{{ value | {name} }}}}: {FUNCTIONS[name]}"
                           for name in FILTER_NAMES}


def filters(fns: ContextFunctions) -> dict:
    """Return the filters of FILTER_NAMES bound to this build's settings, for env.filters."""
    return {name: getattr(fns, name) for name in FILTER_NAMES}


def compare_words(a, b, higher_is_better: bool | None = True, unit: str = "") -> str:
    """Return 'higher (better) than', '2.1 percentage points lower than', 'the same as'..."""
    if a is None or b is None:
        return "not comparable with"
    diff = fmt.round_half_up(float(a) - float(b), 1)
    if diff == 0:
        return "the same as"
    word = "higher" if diff > 0 else "lower"
    if higher_is_better is not None:
        word += " (better)" if (diff > 0) == bool(higher_is_better) else " (worse)"
    amount = ""
    if unit:
        label = "percentage points" if unit == "%" else unit
        amount = fmt.number(abs(diff), 1).removesuffix(".0") + f" {label} "
    return f"{amount}{word} than"


def template_location() -> Location:
    """Return the template file and line that is calling a context function right now."""
    import sys
    frame = sys._getframe(1)
    while frame is not None:
        template = frame.f_globals.get(JINJA_TEMPLATE_GLOBAL)   # apr/internals.py
        if template is not None and template.filename:
            line = template.get_corresponding_lineno(frame.f_lineno)
            return Location(display_path(Path(template.filename)), line)
        frame = frame.f_back
    return Location()


def _unknown(kind: str, name: str, names: list[str]) -> str:
    import difflib
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return (f"there is no {kind} called '{name}'{hint}; `apr templates context` lists the "
            f"{kind}s there are")


LONE_IMAGE = re.compile(r'^\s*!\[(?P<alt>[^\]]*)\]\((?P<src><[^>]*>|[^)\s]*)(?:\s+"[^"]*")?\)\s*$')


def check_images(text: str, file: str, content_dir: Path, findings: Findings) -> str:
    """Return TEXT with each bad image line (no alt text, missing file...) replaced by a marker,
    recording an error that names the narrative file and line."""
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        m = LONE_IMAGE.match(line)
        problem = m and image_problem(image_path(m.group("src")), m.group("alt"), content_dir)
        if problem:
            findings.error("narrative.image", problem, file, number)
            lines[number - 1] = f"<<todo the picture {m.group('src')}>>"
    return "\n".join(lines)


def check_markup(text: str, file: str, findings: Findings, names: dict[str, list[str]]) -> str:
    """Return TEXT with apr's own markup checked, recording errors that name the narrative
    file and its line (not the template it is inserted by): an unknown ``<<...>>``
    instruction, a ``<<table NAME>>`` or ``<<figure NAME>>`` apr does not build, a ``:::`` box
    never closed, a ``:::`` that closes no box. Bad lines are emptied, open boxes closed, so
    the report still parses and every problem is listed at once."""
    from .markup import CONTAINER_CLOSE, CONTAINER_OPEN, DIRECTIVE, KNOWN_DIRECTIVES
    lines = text.split("\n")
    boxes: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        m = DIRECTIVE.match(line)
        if m:
            kind, arg = m.group(1), m.group(2)
            problem = None
            if kind not in KNOWN_DIRECTIVES:
                problem = (f"unknown instruction '<<{kind}>>'; apr knows <<table NAME>>, "
                           "<<figure NAME>>, <<todo TEXT>>, <<contents>> and <<pagebreak>>")
            elif kind in names and arg not in names[kind]:
                problem = _unknown(kind, arg, names[kind])
            if problem:
                findings.error("narrative.markup", problem, file, number)
                lines[number - 1] = ""
            continue
        if CONTAINER_CLOSE.match(line):
            if boxes:
                boxes.pop()
            else:
                findings.error("narrative.markup", "this ':::' closes no box; remove it, or "
                               "open the box above with a line such as '::: case-study Title'",
                               file, number)
                lines[number - 1] = ""
            continue
        m = CONTAINER_OPEN.match(line)
        if m:
            boxes.append((number, m.group(1)))
    for number, kind in boxes:
        findings.error("narrative.markup", f"the box '::: {kind}' opened here is never closed; "
                       "add a line with just ':::' after its text", file, number)
        lines.append(":::")
    return "\n".join(lines)


def shift_headings(text: str, level: int) -> str:
    """Return Markdown with its headings moved so the highest one sits at LEVEL."""
    levels = [len(m.group(1)) for m in re.finditer(r"^(#{1,6})\s", text, re.M)]
    if not levels:
        return text
    shift = level - min(levels)
    return re.sub(r"^(#{1,6})(?=\s)", lambda m: "#" * max(1, min(6, len(m.group(1)) + shift)),
                  text, flags=re.M)


def build_context(inputs: Inputs, analysis: Analysis, fns: ContextFunctions) -> dict:
    """Return the template context: the variables of VARIABLES and the functions."""
    config = inputs.config
    results = {r.code: r for r in analysis.indicators}
    outcome_items = []
    for o in outcomes():
        outcome_items.append({
            "number": o.number, "title": o.title, "short_title": o.short_title,
            "indicators": [r for r in analysis.indicators
                           if r.indicator.reportable and r.main_outcome == o.number],
            "linked": [r for r in analysis.indicators if o.number in r.outcomes],
            "spend": analysis.finance.outcome_spend.get(o.number),
        })
    ctx = {
        "partnership": config, "report": config, "year": analysis.year, "years": analysis.years,
        "is_draft": config.status == "draft", "is_lead_agency": config.model == "lead_agency",
        "outcomes": outcome_items, "indicators": analysis.indicators, "indicator": results,
        "current_indicators": current(analysis.indicators),
        "principles": principles(), "finance": analysis.finance, "categories": CATEGORIES,
        "localities": analysis.localities, "unallocated_spend": analysis.unallocated_spend,
        "inspections": analysis.inspections, "graded_count": analysis.graded,
        "good_or_better": analysis.good_or_better, "decisions": analysis.decisions,
        "deadline": analysis.deadline, "recipients": analysis.recipients,
        "grade_words": GRADE_WORDS, "improvement_terms": IMPROVEMENT_TERMS,
        "inspection_summary": analysis.inspection_summary, "benchmark": analysis.benchmark,
        "jmc_recommendations": analysis.jmc_recommendations, "msg": analysis.msg,
        "best_value": {"audit_opinion": config.audit_opinion, "auditor": config.auditor,
                       "audited_accounts": config.audited_accounts},
    }
    ctx.update(analysis.accountability)   # analysis/accountability.py
    for name in FUNCTIONS:
        ctx[name] = getattr(fns, name)
    fns.vocabulary = Vocabulary(analysis, config)
    return ctx


def describe() -> list[tuple[str, str, str]]:
    """Return (kind, name, help) for every variable, function and filter of the context."""
    rows = [("variable", k, v) for k, v in VARIABLES.items()]
    rows += [("function", k, v) for k, v in FUNCTIONS.items()]
    rows += [("filter", k, v) for k, v in FILTERS.items()]
    return rows


__all__ = ["build_context", "describe", "ContextFunctions", "VARIABLES", "FUNCTIONS", "FILTERS",
           "filters",
           "indicators"]

"""The template context: every name a template can use, each with its help text.

This module is the published contract: ``apr templates context`` prints ``describe()``, and a
test fails when a name has no help.
"""
from __future__ import annotations

from ..analysis import GRADE_WORDS, Analysis
from ..analysis.finance import CATEGORIES
from ..analysis.indicators import current
from ..analysis.inspections import IMPROVEMENT_TERMS
from ..catalogue import outcomes, principles
from ..model import Inputs
from .citations import Vocabulary
from .functions import FILTERS, FUNCTIONS, ContextFunctions, filters, functions

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
    ctx.update(functions(fns))
    fns.vocabulary = Vocabulary(analysis, config)
    return ctx


def describe() -> list[tuple[str, str, str]]:
    """Return (kind, name, help) for every variable, function and filter of the context."""
    rows = [("variable", k, v) for k, v in VARIABLES.items()]
    rows += [("function", k, v) for k, v in FUNCTIONS.items()]
    rows += [("filter", k, v) for k, v in FILTERS.items()]
    return rows


__all__ = [
    "FILTERS",
    "FUNCTIONS",
    "VARIABLES",
    "ContextFunctions",
    "build_context",
    "describe",
    "filters",
]

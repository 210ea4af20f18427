"""The template context: every name a template can use, as typed objects with help text.

This module is the published contract. Each area of the report has a dataclass whose fields
are the names its templates use, each with its help as field metadata (``about``);
``apr templates context`` and docs/template-context.md are generated from them
(``describe()``, ``areas()``), and a test fails when a name the templates see has no field.
The functions templates call are apr/document/functions.py.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Any

from ..analysis import GRADE_WORDS, Analysis, LocalityResult
from ..analysis.accountability import (
    BenchmarkRow,
    DelegatedService,
    DeprivationRow,
    FundingGap,
    Hosted,
    PeerGroup,
    PreventionRow,
)
from ..analysis.finance import CATEGORIES, FinanceResult
from ..analysis.indicators import IndicatorResult, current
from ..analysis.inspections import IMPROVEMENT_TERMS, InspectionSummary
from ..analysis.msg import MsgAnalysis
from ..catalogue import Principle, outcomes, principles
from ..config import ReportConfig, ReportingYear
from ..model import Inputs, Inspection, JmcRecommendation, SignificantDecision
from ..settings_schema import BoardPaperSettings
from .citations import Vocabulary
from .functions import FILTERS, FUNCTIONS, ContextFunctions, filters, functions


def about(text: str) -> dict[str, str]:
    """Return the metadata of a context field: TEXT, its help for template authors."""
    return {"help": text}


@dataclass
class GeneralContext:
    """The partnership, the reporting year and the report's duties (every template)."""

    partnership: ReportConfig = field(metadata=about(
        "The partnership's settings from apr.toml: name, short_name, authority, code, model, "
        "council (the council or councils in words: 'A and B'), councils (each constituent "
        "council), health_board, constituent_authorities (the council(s) and health board in "
        "words), population, chief_officer, chair, website."))
    report: ReportConfig = field(metadata=about(
        "Report settings: status, amounts, board_meeting, board_date, publication_date, author,"
        " data_vintage, plan_title, plan_period, priorities, plan_reviewed, plan_changed (the "
        "same object as partnership)."))
    year: ReportingYear = field(metadata=about(
        "The reporting year: year.label is '2023/24', year.start is 2023."))
    years: list[ReportingYear] = field(metadata=about(
        "The reporting year and the 5 before it (oldest first), as year objects."))
    is_draft: bool = field(metadata=about(
        "True while apr.toml says status = \"draft\"."))
    is_lead_agency: bool = field(metadata=about(
        "True when the partnership is a lead agency (model = \"lead_agency\")."))
    deadline: dt.date = field(metadata=about(
        "The publication deadline: 31 July after the reporting year (s.42(4))."))
    recipients: list[str] = field(metadata=about(
        "Who must receive a copy of the report for the integration model (s.42(5))."))
    principles: list[Principle] = field(metadata=about(
        "The integration delivery principles of section 31 of the 2014 Act: number, text, "
        "short_title."))
    decisions: list[SignificantDecision] = field(metadata=about(
        "Significant decisions under section 36 taken in the reporting year, by date: date, "
        "decision, reason."))


@dataclass
class IndicatorContext:
    """The national outcomes, the indicators and MSG (outcomes.md.j2, _outcome.md.j2,
    indicators.md.j2, msg.md.j2)."""

    outcomes: list[dict[str, Any]] = field(metadata=about(
        "The 9 national health and wellbeing outcomes: each has number, title, short_title, "
        "indicators (results whose main outcome it is), linked (every linked indicator result) "
        "and spend (outturn of the service lines that serve it)."))
    indicators: list[IndicatorResult] = field(metadata=about(
        "Every indicator result NI-1 to NI-23 in order, then local indicators: code, indicator "
        "(title, unit, source...), cells, latest, previous (each with period, number, standin),"
        " direction, trend_text, vs_scotland, scotland_text, scotland_rule ('interval' where "
        "the latest figure's 95% confidence interval decided vs_scotland, 'margin' where "
        "similar_band did), interval ((lower, upper) of the latest figure, or None), sentence, "
        "notes, rank, rank_of, peer_mean, peer_rank, peer_of, peers, localities (figures after "
        "disclosure control), is_local, comparison ('like for like' where a calendar-year "
        "stand-in is compared with the calendar year before, 'indicative' where the periods "
        "differ), z (the z statistic of a survey change). direction is also 'no significant "
        "change' (a survey change inside sampling error) or 'not tested' (a survey change "
        "without intervals)."))
    current_indicators: list[IndicatorResult] = field(metadata=about(
        "The indicator results that count in every count of comparisons with Scotland and over "
        "time: core indicators reported nationally, not frozen (NI-20) and not local "
        "(analysis.indicators.current)."))
    indicator: dict[str, IndicatorResult] = field(metadata=about(
        "The indicator results by code: indicator['NI-12'].sentence."))
    msg: MsgAnalysis | None = field(metadata=about(
        "The Ministerial Strategic Group indicators (docs/msg.md): msg.supplied (False when the"
        " project has no MSG table), msg.baseline_year, msg.results (every indicator MSG-1a to "
        "MSG-6b in order: code, indicator (title, subject, short_title, unit, definition, "
        "source), values, baseline, latest, previous (each with value, scotland, period), "
        "change and scotland_change (percent of the baseline for numbers, percentage points for"
        " percentages), aim ('reduce', 'increase', 'maintain' or None), target, aim_from "
        "('objective' or 'catalogue'), progress ('met', 'missed', 'as_aimed', 'against_aim' or "
        "None), sentence), msg.reported (the results with a figure) and msg.counts() (how many "
        "of each progress)."))


@dataclass
class FinanceContext:
    """The accounts, reserves, savings and the funding gap (finance.md.j2,
    financial_outlook.md.j2)."""

    finance: FinanceResult = field(metadata=about(
        "Finance: finance.current (budget, outturn, variance, by_category, by_care_group), "
        "finance.years, finance.missing_reasons, finance.key_care_groups, finance.shift "
        "('community', 'institutional' or 'none': which way the hospital and care home share "
        "moved since the first year shown), finance.totals_checks and finance.totals_mismatches"
        " (supplied totals against the lines: year, measure, supplied, computed, difference), "
        "finance.reserves (opening, movement, closing, by_type, general_share; None without a "
        "reserves table) and finance.savings (planned, achieved, achieved_share, recurring, "
        "non_recurring, shortfall; None without a savings table)."))
    categories: dict[str, str] = field(metadata=about(
        "The reg 4(2) spend categories (a) to (e), letter to name."))
    funding_gap: FundingGap | None = field(metadata=about(
        "The funding gap of the coming years (data/funding_gap): years (year, gap, savings, "
        "reserves, unidentified) and the totals gap, savings, reserves, unidentified; None "
        "without the table."))


@dataclass
class ServicesContext:
    """Delegated and hosted services (delegated.md.j2, about.md.j2)."""

    delegated: list[DelegatedService] = field(metadata=about(
        "Children's services and justice social work where [delegated] in apr.toml delegates "
        "them (an empty list otherwise): key ('children' or 'justice'), title, framework (what "
        "the outcomes are; '' for the partnership's own list), outcomes."))
    hosted: Hosted | None = field(metadata=about(
        "Services hosted for or by other partnerships (data/hosted_services): hosted.given (the"
        " table was supplied), hosted.hosts and hosted.uses, each service with service, host, "
        "role, budget, outturn, performance."))


@dataclass
class LocalityContext:
    """Localities, deprivation and prevention (localities.md.j2, prevention.md.j2)."""

    localities: list[LocalityResult] = field(metadata=about(
        "Each locality: name, slug, summary, population, spend, share (percent of total spend)."))
    unallocated_spend: float | None = field(metadata=about(
        "Spend not allocated to any locality (amounts unit), or None."))
    deprivation: list[DeprivationRow] = field(metadata=about(
        "Indicators by SIMD quintile (data/deprivation), after disclosure control: indicator, "
        "period, quintiles (1 to 5, each with count, value, suppressed)."))
    prevention: list[PreventionRow] = field(metadata=about(
        "Prevention measures (data/prevention): measure (measure, period, value, previous, "
        "unit, higher_is_better, note) and direction ('improved', 'worsened', 'unchanged', "
        "'rose', 'fell' or '')."))


@dataclass
class InspectionContext:
    """Inspections and a lead agency's joint monitoring committee (inspections.md.j2,
    lead_agency.md.j2)."""

    inspections: list[Inspection] = field(metadata=about(
        "Inspections published in the reporting year: service, provider, body, date, grades, "
        "requirements, recommendations, findings, response."))
    graded_count: int = field(metadata=about(
        "How many of the year's inspections were graded."))
    good_or_better: int = field(metadata=about(
        "How many graded services had every grade Good (4) or better."))
    grade_words: dict[int, str] = field(metadata=about(
        "Care Inspectorate grade words: grade_words[4] is 'Good'."))
    improvement_terms: dict[str, tuple[str, str]] = field(metadata=about(
        "What each inspecting body calls its findings short of a requirement, by body, as "
        "(singular, plural): the Care Inspectorate's 'areas for improvement', the other bodies'"
        " 'recommendations'."))
    inspection_summary: InspectionSummary | None = field(metadata=about(
        "Counts over the year's inspections: reports, graded, good_or_better, requirements, "
        "areas_for_improvement (Care Inspectorate), recommendations (the other bodies), by_body"
        " (body to count), made (all three in words: '7 requirements, 9 areas for improvement "
        "and 2 recommendations')."))
    jmc_recommendations: list[JmcRecommendation] = field(metadata=about(
        "Lead agency model: the joint monitoring committee's recommendations in the year: date,"
        " recommendation, response."))


@dataclass
class BestValueContext:
    """Best value: the audit opinion and benchmarking (best_value.md.j2)."""

    best_value: dict[str, Any] = field(metadata=about(
        "The external audit evidence from [best_value] in apr.toml: audit_opinion "
        "('unqualified', 'qualified', 'adverse', 'disclaimer' or ''), auditor, audited_accounts"
        " (the year of the accounts the opinion is on)."))
    benchmark: dict[str, int] = field(metadata=about(
        "How many indicators compare with Scotland: benchmark.better, .similar, .worse."))
    lgbf: list[BenchmarkRow] = field(metadata=about(
        "The Local Government Benchmarking Framework measures of data/benchmarking, latest year"
        " first per measure: measure (code, title, unit, higher_is_better), year, value, "
        "family_group, scotland, vs_family_group and vs_scotland ('better', 'worse', 'similar',"
        " or 'higher'/'lower' for costs, '' without a figure)."))
    peer_group: PeerGroup | None = field(metadata=about(
        "The benchmarking peers: number (the family group, None for [benchmarking] peers), "
        "councils, description; None when there is none."))


@dataclass
class SummaryContext:
    """The public summary's headlines (summary.md.j2, key_facts.md.j2)."""

    headline: dict[str, Any] = field(metadata=about(
        "For the summary: headline.improved and headline.worsened (the 3 indicator results that"
        " moved most since the previous figure, largest relative change first, counting only "
        "changes larger than a survey's 95% confidence interval), headline.improved_text and "
        "headline.worsened_text (a short sentence for each), headline.notes (what those "
        "sentences leave out, such as calendar years), headline.better and headline.worse "
        "(results compared with Scotland)."))


@dataclass
class BoardPaperContext:
    """The board cover paper only (board_paper.md.j2)."""

    regulations: dict[str, int] = field(metadata=about(
        "Board paper template only: how many of the statutory requirements that apply the "
        "report meets (regulations.met), leaves to a reader's judgement (regulations.reading) "
        "and misses (regulations.missing), of regulations.total; the public report carries no "
        "such verdicts."))
    left_to_complete: int = field(metadata=about(
        "Board paper template only: how many things the report still has to complete (its 'To "
        "be completed' markers and example rows); 0 when none."))
    board: BoardPaperSettings = field(metadata=about(
        "Board paper template only: the [board_paper] settings of apr.toml: meeting, date "
        "(report.board_date), item, report_number, report_by, report_by_name, author, contact, "
        "classification ('For decision' unless set), purpose, recommendations, "
        "financial_implications, policy_implications, risk, consultations, direction ('none', "
        "'council', 'health_board' or 'both'), background_papers, paper_date. Empty settings "
        "use the template's standard words."))



REPORT_AREAS: tuple[type, ...] = (GeneralContext, IndicatorContext, FinanceContext,
                                  ServicesContext, LocalityContext, InspectionContext,
                                  BestValueContext)
AREAS: tuple[type, ...] = (*REPORT_AREAS, SummaryContext, BoardPaperContext)


def areas() -> list[tuple[str, list[tuple[str, str]]]]:
    """Return each area's description with the (name, help) of its variables, in order."""
    return [(" ".join((cls.__doc__ or "").split()), [(f.name, f.metadata["help"])
                                                    for f in fields(cls)]) for cls in AREAS]


VARIABLES: dict[str, str] = {name: text for _, names in areas() for name, text in names}


def names(part: Any) -> dict[str, Any]:
    """Return the fields of a context object by name, as the template sees them."""
    return {f.name: getattr(part, f.name) for f in fields(part)}


def general_context(inputs: Inputs, analysis: Analysis) -> GeneralContext:
    """Return the names every template can use: the partnership, the year, its duties."""
    config = inputs.config
    return GeneralContext(config, config, analysis.year, analysis.years,
                          config.status == "draft", config.model == "lead_agency",
                          analysis.deadline, analysis.recipients, principles(),
                          analysis.decisions)


def indicator_context(analysis: Analysis) -> IndicatorContext:
    """Return the outcomes with their indicator results, the results and MSG."""
    results = analysis.indicators
    return IndicatorContext([outcome_item(o, analysis) for o in outcomes()], results,
                            current(results), {r.code: r for r in results}, analysis.msg)


def outcome_item(outcome: Any, analysis: Analysis) -> dict[str, Any]:
    """Return one national outcome with its results and spend, as templates see it."""
    return {"number": outcome.number, "title": outcome.title,
            "short_title": outcome.short_title,
            "indicators": [r for r in analysis.indicators
                           if r.indicator.reportable and r.main_outcome == outcome.number],
            "linked": [r for r in analysis.indicators if outcome.number in r.outcomes],
            "spend": analysis.finance.outcome_spend.get(outcome.number)}


def report_parts(inputs: Inputs, analysis: Analysis) -> list[Any]:
    """Return the context objects of every area of the report (not summary or board paper)."""
    acc: dict[str, Any] = analysis.accountability   # analysis/accountability.py
    config = inputs.config
    return [
        general_context(inputs, analysis),
        indicator_context(analysis),
        FinanceContext(analysis.finance, CATEGORIES, acc.get("funding_gap")),
        ServicesContext(acc.get("delegated", []), acc.get("hosted")),
        LocalityContext(analysis.localities, analysis.unallocated_spend,
                        acc.get("deprivation", []), acc.get("prevention", [])),
        InspectionContext(analysis.inspections, analysis.graded, analysis.good_or_better,
                          GRADE_WORDS, IMPROVEMENT_TERMS, analysis.inspection_summary,
                          analysis.jmc_recommendations),
        BestValueContext({"audit_opinion": config.audit_opinion, "auditor": config.auditor,
                          "audited_accounts": config.audited_accounts},
                         analysis.benchmark, acc.get("lgbf", []), acc.get("peer_group")),
    ]


def build_context(inputs: Inputs, analysis: Analysis, fns: ContextFunctions,
                  *extra: Any) -> dict[str, Any]:
    """Return the template context: the report's areas, EXTRA ones (the summary's, the board
    paper's) and the functions."""
    ctx: dict[str, Any] = {}
    for part in (*report_parts(inputs, analysis), *extra):
        ctx.update(names(part))
    ctx.update(functions(fns))
    fns.vocabulary = Vocabulary(analysis, inputs.config)
    return ctx


def describe() -> list[tuple[str, str, str]]:
    """Return (kind, name, help) for every variable, function and filter of the context."""
    rows = [("variable", k, v) for k, v in VARIABLES.items()]
    rows += [("function", k, v) for k, v in FUNCTIONS.items()]
    rows += [("filter", k, v) for k, v in FILTERS.items()]
    return rows


__all__ = ["AREAS", "FILTERS", "FUNCTIONS", "VARIABLES", "BoardPaperContext", "ContextFunctions",
           "SummaryContext", "areas", "build_context", "describe", "filters"]

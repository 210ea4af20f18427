"""The regulations checklist, evaluated against the built document and the data.

``check(document, inputs, analysis)`` returns one RequirementResult per requirement in
``requirements.toml``: met, missing, needs reading (a person must judge it) or not applicable.
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from functools import cache
from importlib.resources import files

from ..analysis import Analysis
from ..analysis.indicators import current
from ..catalogue import outcomes
from ..catalogue.sections import narrative_key, sections_meeting
from ..config import and_words, display_path
from ..document import nodes as n
from ..findings import Findings
from ..formatting import long_date
from ..model import Inputs

MET, MISSING, READING, NOT_APPLICABLE = "met", "missing", "needs reading", "not applicable"
STATUSES = (MET, MISSING, READING, NOT_APPLICABLE)
JUDGES = ("data", "section", "reading")
CONDITIONS = ("always", "model=lead_agency", "key_care_groups", "plan_reviewed")
APPENDIX_TABLE = "appendix.regulations"
APPENDIX_ID = "appendix-regulations"
PLACEHOLDER_PROBLEM = "still 'To be completed'"   # reported as the placeholder's own finding


@dataclass(frozen=True)
class Requirement:
    """One item of the checklist, as written in requirements.toml."""

    id: str
    requirement: str
    source: str
    level: str
    applies_when: str
    judged_by: str
    sections: tuple[str, ...]     # from the catalogue of sections (apr/catalogue/sections.toml)
    data: str = ""
    looks_for: str = ""


@dataclass
class RequirementResult:
    """How the report stands against one requirement, and where in it the requirement is met."""

    id: str
    requirement: str
    source: str
    status: str
    where: str = ""
    anchors: list[str] = field(default_factory=list)
    detail: str = ""
    placeholders_only: bool = False   # missing only because of markers already reported
    data: str = ""                    # the data check that found it missing, if any

    def as_dict(self) -> dict:
        """Return the result for `apr check --format json` (without the bookkeeping fields)."""
        data = asdict(self)
        del data["placeholders_only"], data["data"]
        return data


@cache
def _data() -> dict:
    text = files(__package__).joinpath("requirements.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def requirements() -> tuple[Requirement, ...]:
    """Return the checklist, in the order of requirements.toml."""
    items = _data()["requirement"]
    return tuple(Requirement(i["id"], i["requirement"], i["source"], i["level"],
                             i["applies_when"], i["judged_by"], sections_meeting(i["id"]),
                             i.get("data", ""), i.get("looks_for", "")) for i in items)


# --- sections of the document ---------------------------------------------------------------


@dataclass
class Section:
    """A heading with the blocks before its first subheading (own) and up to the next heading
    of the same or a higher level (span)."""

    heading: n.Heading
    own: list
    span: list


def sections(document: n.Document) -> dict[str, Section]:
    """Return every section of the document by its anchor id."""
    blocks = document.blocks
    result: dict[str, Section] = {}
    for i, block in enumerate(blocks):
        if not isinstance(block, n.Heading):
            continue
        own, span, in_own = [], [], True
        for later in blocks[i + 1:]:
            if isinstance(later, n.Heading):
                if later.level <= block.level:
                    break
                in_own = False
            span.append(later)
            if in_own:
                own.append(later)
        result[block.id] = Section(block, own, span)
    return result


def _is_placeholder(block) -> bool:
    """True when the block shows a "To be completed" marker (a placeholder node)."""
    if isinstance(block, n.Callout):
        return any(_is_placeholder(b) for b in block.blocks)
    return bool(n.block_placeholders(block))


def _has_content(blocks: list) -> bool:
    return any(isinstance(b, (n.Paragraph, n.ListBlock, n.Table, n.Figure, n.Callout, n.Heading))
               for b in blocks)


@dataclass(frozen=True)
class Shortfall:
    """Why a section does not count; ``placeholder`` when it is a marker the report shows (the
    marker's own finding says so already)."""

    text: str
    placeholder: bool = False


def section_problem(section: Section | None, unwritten: str | None = None) -> Shortfall | None:
    """Return why a section does not count (None when it does).

    ``unwritten`` names its narrative when that file is missing or empty: the section then
    counts as missing if a 'To be completed' marker shows anywhere in it.
    """
    if section is None:
        return Shortfall("not in the report")
    if unwritten and any(_is_placeholder(b) for b in section.span):
        return Shortfall(f"{PLACEHOLDER_PROBLEM}: write content/{unwritten}.md", placeholder=True)
    if any(_is_placeholder(b) for b in section.own):
        todo = next(b for b in section.own if _is_placeholder(b))
        marks = n.block_placeholders(todo) or [p for b in getattr(todo, "blocks", [])
                                                for p in n.block_placeholders(b)]
        return Shortfall(f"{PLACEHOLDER_PROBLEM} "
                       f"({marks[0].text[:80] if marks else 'a placeholder'})", placeholder=True)
    if not _has_content(section.span):
        return Shortfall("empty")
    return None


# --- data checks ----------------------------------------------------------------------------


@dataclass
class Evidence:
    """What the checks look at: the document, the inputs and the analysis."""

    document: n.Document
    inputs: Inputs
    analysis: Analysis
    results: list[RequirementResult] = field(default_factory=list)

    def unwritten(self, anchor: str) -> str | None:
        """Return the narrative key of a section when its content/ file is missing or empty."""
        key = narrative_key(anchor)
        item = self.inputs.narrative.get(key) if key else None
        return key if key and (item is None or not item.text.strip()) else None

    def shown_as_placeholders(self) -> set[str]:
        """Return the data checks whose gaps the document shows as placeholders (each with its
        own finding), so that the check does not report them a second time: a placeholder of
        the check's finding code, or one that asks for the check's data table."""
        marks = self.document.placeholders()
        codes = {p.code for p in marks}
        files = {p.where.file for p in marks}
        return {check for check, (kind, key) in PLACEHOLDER_CHECKS.items()
                if (key in codes if kind == "code" else _table_file(self.inputs, key) in files)}

    def has_table(self, name: str) -> bool:
        """True when the input table was given (as a CSV or a workbook sheet), even if empty."""
        return _table_file(self.inputs, name) in self.inputs.files


Verdict = tuple[bool | None, str]   # True met, False missing, None needs a person
# data checks whose gaps the report shows as placeholders: of this finding code (a table cell,
# document/tables.py), or asking for this data table (a template's todo(file="data/...")).
PLACEHOLDER_CHECKS = {"variance_reasons": ("code", "finance.missing_reason"),
                      "significant_decisions": ("table", "significant_decisions"),
                      "inspections": ("table", "inspections")}


def _publication_date(ev: Evidence) -> Verdict:
    config, deadline = ev.inputs.config, ev.analysis.deadline
    when = config.publication_date
    if when is None:
        return None, (f"no [report] publication_date in apr.toml; the report must be published "
                      f"by {_day(deadline)}")
    if when > deadline:
        return False, (f"publication_date {_day(when)} is after the deadline of {_day(deadline)}; "
                       "plan the board meeting and publication earlier")
    return True, f"to be published {_day(when)}; the deadline is {_day(deadline)}"


def _recipients(ev: Evidence) -> Verdict:
    return None, ("send a copy to " + and_words(ev.analysis.recipients) +
                  " (apr cannot know that it was sent)")


def _current_indicators(ev: Evidence) -> list:
    return current(ev.analysis.indicators)   # the one rule of what counts (not frozen, not local)


def _indicators_reported(ev: Evidence) -> Verdict:
    results = _current_indicators(ev)
    empty = [r.code for r in results if r.latest is None]
    if not results:
        return False, "no core integration indicator has data"
    if empty:
        return False, f"no figures for {', '.join(empty)}: add them to data/indicators"
    return True, f"{len(results)} indicators with a current figure"


def _indicator_years(ev: Evidence) -> Verdict:
    year, first = ev.analysis.year, ev.inputs.config.first_year
    expected = min(6, year.start - first + 1)
    if len(ev.analysis.years) < expected:
        return False, f"{len(ev.analysis.years)} year columns; expected {expected}"
    gaps = [f"{r.code} {c.year.label}" for r in _current_indicators(ev) for c in r.cells
            if c.value is None and c.note == "not available"]
    if gaps:
        return False, (f"no value and no reason for {', '.join(gaps[:6])}"
                       f"{' and others' if len(gaps) > 6 else ''}: add the figures to "
                       "data/indicators")
    alone = [r.code for r in _current_indicators(ev)
             if expected > 1 and r.latest is not None and r.previous is None]
    if alone:
        return False, f"no earlier figure to compare with for {', '.join(alone)}"
    return True, f"{len(ev.analysis.years)} years, {ev.analysis.years[0]} to {year}"


def _significant_decisions(ev: Evidence) -> Verdict:
    if not ev.has_table("significant_decisions"):
        return False, ("no significant_decisions table: add data/significant_decisions.csv "
                       "(just the header row date,decision,reason when there were none)")
    count = len(ev.inputs.decisions)
    return True, f"{count} significant decision{'s' if count != 1 else ''}, each with its reason"


def _finance_categories(ev: Evidence) -> Verdict:
    from ..analysis.finance import CATEGORIES
    cur = ev.analysis.finance.current
    if cur is None:
        return False, f"no finance rows for {ev.analysis.year}"
    absent = [f"({c})" for c in CATEGORIES if c not in cur.by_category]
    if absent:
        return False, (f"no service line for categor{'ies' if len(absent) > 1 else 'y'} "
                       f"{', '.join(absent)}: map service lines to it in apr.toml and give "
                       "their rows in data/finance (a spend of 0 when there was none)")
    zero = [f"({c})" for c in cur.zero_categories()]
    nothing = f"; no spend on {', '.join(zero)} in {ev.analysis.year}" if zero else ""
    return True, f"spend on each of categories (a) to (e){nothing}"


def _finance_proportions(ev: Evidence) -> Verdict:
    cur = ev.analysis.finance.current
    if cur is None or not cur.budget or cur.budget <= 0:
        return False, "no total budget (funding) above zero for the year"
    return True, "proportions of the total funding"


def _variance_reasons(ev: Evidence) -> Verdict:
    cur = ev.analysis.finance.current
    if cur is None:
        return False, f"no finance rows for {ev.analysis.year}"
    missing = [ln.service_line for ln in ev.analysis.finance.missing_reasons]
    if missing:
        return False, f"no reason for the variance on {', '.join(missing)}"
    return True, "every variance above the threshold has a reason"


def _key_care_groups(ev: Evidence) -> Verdict:
    config, cur = ev.inputs.config, ev.analysis.finance.current
    lines = cur.lines if cur else []
    served = {g for ln in lines for g in config.line_mapping(ln.body, ln.service_line).care_groups}
    absent = [g for g in config.key_care_groups if g not in served]
    if absent:
        return False, f"no spend for key care group(s) {', '.join(absent)}"
    return True, f"spend for {len(config.key_care_groups)} key care groups"


def _finance_years(ev: Evidence) -> Verdict:
    have = {y.year.start for y in ev.analysis.finance.years}
    absent = [y.label for y in ev.analysis.years if y.start not in have]
    if absent:
        return False, f"no finance rows for {', '.join(absent)}"
    return True, f"{len(have)} years of spend by category"


def _locality_spend(ev: Evidence) -> Verdict:
    absent = [loc.name for loc in ev.analysis.localities if loc.spend is None]
    if absent:
        return False, (f"no spend for {', '.join(absent)} in {ev.analysis.year}: add it to "
                       "data/localities")
    return True, f"spend for each of {len(ev.analysis.localities)} localities"


def _inspections(ev: Evidence) -> Verdict:
    if not ev.has_table("inspections"):
        return False, ("no inspections table: add data/inspections.csv (just the header row "
                       "when no inspection reports were published in the year)")
    bare = [i.service for i in ev.analysis.inspections
            if not i.findings.strip() or not i.response.strip()]
    if bare:
        return False, f"no findings or response for {', '.join(bare)}"
    count = len(ev.analysis.inspections)
    return True, f"{count} inspection{'s' if count != 1 else ''} in the year"


def _jmc_recommendations(ev: Evidence) -> Verdict:
    if not ev.has_table("jmc_recommendations"):
        return False, ("no jmc_recommendations table: add data/jmc_recommendations.csv (just "
                       "the header row when the committee made no recommendations)")
    items = getattr(ev.analysis, "jmc_recommendations", [])
    bare = [str(i + 1) for i, r in enumerate(items) if not str(r.response).strip()]
    if bare:
        return False, f"no response to recommendation(s) {', '.join(bare)}"
    return True, f"{len(items)} recommendation{'s' if len(items) != 1 else ''}, each answered"


def _accessibility(ev: Evidence) -> Verdict:
    figures = [b for b in ev.document.walk() if isinstance(b, n.Figure)]
    no_alt = [f.id for f in figures if not f.alt.strip()]
    no_caption = [t.id for t in ev.document.walk()
                  if isinstance(t, n.Table) and not t.caption.strip()]
    if no_alt or no_caption:
        return False, "without alt text or caption: " + ", ".join(no_alt + no_caption)
    return True, f"{len(figures)} figures with alt text; every table has a caption"


def _scotland_comparator(ev: Evidence) -> Verdict:
    absent = [r.code for r in _current_indicators(ev)
              if r.latest is not None and r.latest.value is not None
              and r.latest.value.scotland is None]
    if absent:
        return False, f"no Scotland figure for {', '.join(absent)}"
    return True, "a Scotland figure for every current indicator"


def _period_notes(ev: Evidence) -> Verdict:
    needing = [r.code for r in _current_indicators(ev)
               if any(c.standin for c in r.cells) or r.direction == "not comparable"]
    table = next((t for t in ev.document.walk()
                  if isinstance(t, n.Table) and t.id == "indicators-all"), None)
    noted = table.noted() if table else set()
    absent = [code for code in needing if code not in noted]
    if absent:
        return False, f"no note on the data period of {', '.join(absent)}"
    return True, f"{len(needing)} indicators with period notes"


def _regulations_met(ev: Evidence) -> Verdict:
    statutory = {r.id for r in requirements() if r.level == "statutory"}
    missing = [r.id for r in ev.results if r.id in statutory and r.status == MISSING]
    if missing:
        return False, f"missing: {', '.join(missing)}"
    return True, "no statutory requirement is missing"


DATA_CHECKS: dict[str, Callable[[Evidence], Verdict]] = {
    "publication_date": _publication_date, "recipients": _recipients,
    "indicators_reported": _indicators_reported, "indicator_years": _indicator_years,
    "significant_decisions": _significant_decisions, "finance_categories": _finance_categories,
    "finance_proportions": _finance_proportions, "variance_reasons": _variance_reasons,
    "key_care_groups": _key_care_groups, "finance_years": _finance_years,
    "locality_spend": _locality_spend, "inspections": _inspections,
    "jmc_recommendations": _jmc_recommendations, "accessibility": _accessibility,
    "scotland_comparator": _scotland_comparator,
    "period_notes": _period_notes, "regulations_met": _regulations_met,
}


def _day(date) -> str:
    return long_date(date)


# --- the check ------------------------------------------------------------------------------


def applies(req: Requirement, inputs: Inputs) -> bool:
    """True when the requirement applies to this partnership and year."""
    config = inputs.config
    return {"always": True, "model=lead_agency": config.model == "lead_agency",
            "key_care_groups": bool(config.key_care_groups),
            "plan_reviewed": config.plan_reviewed}[req.applies_when]


def anchors(req: Requirement, analysis: Analysis) -> list[str]:
    """Return the section anchors a requirement looks for, with outcome-* (the nine national
    outcomes) and locality-* (the localities of apr.toml) expanded."""
    items = {"outcome-*": [str(o.number) for o in outcomes()],
             "locality-*": [loc.slug for loc in analysis.localities]}
    result: list[str] = []
    for anchor in req.sections:
        if anchor in items:
            result += [anchor.replace("*", item) for item in items[anchor]]
        else:
            result.append(anchor)
    return result


def judge(req: Requirement, ev: Evidence, found: dict[str, Section]) -> RequirementResult:
    """Return the result of one requirement."""
    result = RequirementResult(req.id, req.requirement, req.source, NOT_APPLICABLE)
    if not applies(req, ev.inputs):
        result.detail = f"applies only when {req.applies_when}"
        return result
    wanted = anchors(req, ev.analysis)
    problems = [(f"section '{a}' {p.text}", p.placeholder) for a in wanted
                if (p := section_problem(found.get(a), ev.unwritten(a)))]
    result.anchors = [a for a in wanted if a in found]
    result.where = "; ".join(found[a].heading.text for a in result.anchors)
    verdict, detail = DATA_CHECKS[req.data](ev) if req.data else (True, "")
    if problems or verdict is False:
        result.status = MISSING
        result.detail = "; ".join([text for text, _ in problems] +
                                  ([detail] if verdict is False else []))
        shown = verdict is not False or req.data in ev.shown_as_placeholders()
        result.placeholders_only = shown and all(marker for _, marker in problems)
        result.data = req.data if verdict is False else ""
    elif req.judged_by == "reading" or verdict is None:
        result.status = READING
        result.detail = detail or ("present: a person must read it to judge it" if wanted
                                   else req.looks_for)
    else:
        result.status = MET
        result.detail = detail
    return result


def check(document: n.Document, inputs: Inputs, analysis: Analysis) -> list[RequirementResult]:
    """Return one result per requirement, in the order of requirements.toml."""
    ev = Evidence(document, inputs, analysis)
    found = sections(document)
    for req in requirements():
        ev.results.append(judge(req, ev, found))
    return ev.results


# --- findings, dates and the appendix -------------------------------------------------------


# Where to supply what a data check finds missing: a data table or a setting of apr.toml.
DATA_PLACES: dict[str, tuple[str, str | None]] = {
    "publication_date": ("apr.toml", "report.publication_date"),
    "indicators_reported": ("data/indicators", None), "indicator_years": ("data/indicators", None),
    "scotland_comparator": ("data/indicators", "scotland"),
    "period_notes": ("data/indicators", None),
    "significant_decisions": ("data/significant_decisions", None),
    "finance_categories": ("apr.toml", "finance.service_lines"),
    "finance_proportions": ("data/finance", "budget"),
    "variance_reasons": ("data/finance", "reason"),
    "key_care_groups": ("apr.toml", "finance.key_care_groups"),
    "finance_years": ("data/finance", None), "locality_spend": ("data/localities", "spend"),
    "inspections": ("data/inspections", None),
    "jmc_recommendations": ("data/jmc_recommendations", None),
}


def missing_findings(results: list[RequirementResult], findings: Findings,
                     inputs: Inputs) -> None:
    """Add one warning per thing missing that no other finding names already: requirements
    missing only because of "To be completed" markers are left to those markers' findings, and
    requirements missing for the same reason (a regulation and the guidance item that repeats
    it) share one warning."""
    by_detail: dict[str, list[RequirementResult]] = {}
    for r in results:
        if r.status == MISSING and not r.placeholders_only and r.data != "regulations_met":
            by_detail.setdefault(r.detail, []).append(r)
    for detail, group in by_detail.items():
        file, column = DATA_PLACES.get(group[0].data, ("", None))
        config = inputs.config
        if file == "apr.toml":
            file = config.config_file
        elif file:
            file = _table_file(inputs, file.removeprefix("data/"))
        else:   # a section is not in the report: the project's own templates left it out
            file = display_path(config.project_dir / "templates")
        sources = "; ".join(r.source for r in group)
        findings.warning("compliance.missing",
                         f"{detail}\nThe report must hold: {group[0].requirement} "
                         f"({sources})", file, column=column)


def _table_file(inputs: Inputs, name: str) -> str:
    """Return the file (or workbook sheet) that holds an input table, or where it would go."""
    from ..paths import table_stem
    from ..sources.tables import normalise_column
    for file in inputs.files:
        if normalise_column(table_stem(file)) == name:
            return file
    return display_path(inputs.config.project_dir / "data" / f"{name}.csv")


def date_findings(inputs: Inputs, deadline, findings: Findings) -> None:
    """Warn when the planned board or publication date falls after the s.42(4) deadline."""
    config = inputs.config
    for key, when in (("board_date", config.board_date),
                      ("publication_date", config.publication_date)):
        if when is not None and when > deadline:
            findings.warning("dates.board_after_deadline",
                             f"[report] {key} is {_day(when)}, after the publication deadline "
                             f"of {_day(deadline)} (s.42(4) of the 2014 Act: 4 months after "
                             "the reporting year); plan the board meeting and publication "
                             "before it", config.config_file, column=f"report.{key}")
    last_years_dates(inputs, findings)


def last_years_dates(inputs: Inputs, findings: Findings) -> None:
    """Warn for every date of apr.toml on or before the end of the reporting year: a board
    meeting, publication or board paper for this year's report comes after the year, so such
    a date is last year's (carried over by apr next-year, or not yet changed)."""
    from ..nextyear import date_settings
    config, year = inputs.config, inputs.year
    for dotted, when in date_settings(config):
        if when <= year.end_date:
            findings.warning("dates.before_year_end",
                             f"[{dotted.replace('.', '] ', 1)} is {_day(when)}, on or before "
                             f"the end of the reporting year {year.label} ({_day(year.end_date)})"
                             f": it is still last year's date; set the date for the "
                             f"{year.label} report", config.config_file,
                             config.setting_line(dotted), dotted)


STATUS_WORDS = {MET: "Met", MISSING: "Missing", READING: "Present; to be read",
                NOT_APPLICABLE: "Not applicable"}


APPENDIX_TITLE = "Where to find each thing the law asks for"
UNCONFIRMED = re.compile(r",? ?regulation [^;,\]]*\[to be confirmed\]")


def public_source(source: str) -> str:
    """Return a requirement's citation as a published report may print it: a regulation whose
    paragraph number is not yet confirmed (requirements.toml marks it "[to be confirmed]") is
    cited by its instrument only, as the requirement's own words already say what it asks."""
    return re.sub(r"^; ", "", UNCONFIRMED.sub("", source)).strip()


def regulations_table(results: list[RequirementResult]) -> n.Table:
    """Return the public appendix table: what the law asks for | where to find it.

    apr's verdicts (met, missing, to be read) belong to `apr check` and the board paper, not
    to the public report; requirements that do not apply to this partnership are left out."""
    rows = [[n.Cell(f"{r.requirement} ({public_source(r.source)})", header=True),
             n.Cell(r.where or "Not yet in this report")]
            for r in results if r.id.startswith(("s42", "reg")) and r.status != NOT_APPLICABLE]
    return n.Table(APPENDIX_ID, APPENDIX_TITLE,
                   ["What the law asks for", "Where to find it in this report"], rows,
                   source="Section 42 of the Public Bodies (Joint Working) (Scotland) Act 2014 "
                          "and the Public Bodies (Joint Working) (Content of Performance "
                          "Reports) (Scotland) Regulations 2014 (SSI 2014/326)")


def fill_appendix(document: n.Document, results: list[RequirementResult]) -> None:
    """Fill the appendix table (``{{ table("appendix.regulations") }}``, wherever a template
    put it, in a callout too) from the check's results: the stage after the check."""
    table = regulations_table(results)
    for block in document.walk():
        if isinstance(block, n.Table) and block.id == APPENDIX_ID:
            for name in (f.name for f in fields(n.Table)):
                setattr(block, name, getattr(table, name))

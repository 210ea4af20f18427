"""The build pipeline: every stage in order, nothing else.

load_config -> read_inputs -> (example rows, carried-over rows) -> analyse
  -> (narrative figures) -> writers' checks -> build_document -> check_compliance
  -> fill_appendix -> board paper -> render (apr/writers WRITERS) -> write_all (apr/output.py)

The stage contract: every stage is a function of typed inputs that returns a typed result and
adds its problems to the one ``Findings`` it is given; it never stops the build. Only this
module decides to stop, between stages: ``findings.stop_if_errors()`` (every finding so far),
or ``findings.stop_with_errors()`` when a stage could not make its result at all (None: a
template that does not render, a PDF that could not be printed). ``load_config`` is the one
exception: without settings there is nothing to carry on with, so it raises its findings.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from .charts import draw as draw_chart  # tests replace this hook with a stub drawer
from .checks.narrative_figures import check_narrative_figures
from .config import ReportConfig, ReportingYear, load_config
from .findings import Finding, Findings
from .nextyear import carried_over_findings
from .output import board_paper_path, output_path, write_all
from .scaffold.examples import example_row_findings
from .writers import FORMATS, WRITERS, WriteJob, Writer  # noqa: F401 - FORMATS for the cli

if TYPE_CHECKING:
    from .analysis import Analysis
    from .charts.batch import DrawStats
    from .compliance import RequirementResult
    from .document.nodes import Document, DocumentMeta
    from .model import Inputs

DEFAULT_FORMATS = ("docx", "html")
SUMMARY_MASTER = "summary.md.j2"


@dataclass
class BuildResult:
    outputs: list[Path] = field(default_factory=list)
    findings: Findings = field(default_factory=Findings)
    document: Document | None = None
    requirements: list[RequirementResult] = field(default_factory=list)
    charts: DrawStats | None = None      # charts read from the cache and charts drawn
    analysis: Analysis | None = None     # for the national comparison


@dataclass
class CheckResult:
    """What `apr check` reports: each requirement's result, the deadline and the recipients."""

    year: ReportingYear
    requirements: list[RequirementResult]
    deadline: dt.date
    recipients: list[str]
    findings: Findings
    to_complete: list[Finding] = field(default_factory=list)   # placeholders, example rows

    @property
    def missing(self) -> list[RequirementResult]:
        from .compliance import MISSING
        return [r for r in self.requirements if r.status == MISSING]

    @property
    def ok(self) -> bool:
        """True when nothing required is missing and nothing is left to complete."""
        return not self.missing and not self.to_complete


def is_final(config: ReportConfig) -> bool:
    """True when apr.toml says the report is final: then every warning stops the build."""
    return config.status == "final"


# rows left as apr init's examples, rows and dates left as last year's
CARRIED = ("data.example_row", "data.carried_over", "dates.before_year_end")


def to_complete(findings: Findings) -> list[Finding]:
    """Return the findings that name something still to be completed: every placeholder in
    the built document and every example row left from apr init."""
    from .document.placeholders import PLACEHOLDER_CODES
    return [f for f in findings if f.code in PLACEHOLDER_CODES or f.code in CARRIED]


# --- apr build ------------------------------------------------------------------------------


def build(project_dir: Path, year: int, formats: tuple[str, ...] = DEFAULT_FORMATS,
          strict: bool = False, summary: bool = False, board_paper: bool = False,
          tables: dict[str, Path] | None = None) -> BuildResult:
    """Build the report (or its summary), and the board cover paper if asked; raise AprError
    (writing nothing) on any error, or on warnings if strict.

    ``tables`` names input tables kept outside the project's data/ folder (the national batch's
    shared indicator file); a table in data/ wins."""
    from .charts.batch import cache_dir, prestart
    prestart(cache_dir(project_dir))   # a first build: matplotlib is imported meanwhile
    job = WriteJob()
    for fmt in formats:
        WRITERS[fmt].start(job)        # the PDF's browser starts while apr works
    try:
        return _build(project_dir, year, formats, strict, summary, board_paper, tables, job)
    finally:
        job.close()


def _build(project_dir: Path, year: int, formats: tuple[str, ...], strict: bool, summary: bool,
           board_paper: bool, tables: dict[str, Path] | None, job: WriteJob) -> BuildResult:
    """The stages of ``build``, the writers already started."""
    from .charts.batch import DrawStats
    from .document.build import build_document

    config = job.config = load_config(project_dir)
    strict = strict or is_final(config)
    reporting_year, findings = ReportingYear(year), Findings()
    inputs, analysis = read_and_analyse(config, reporting_year, findings, tables)
    for writer in writers(formats, board_paper):
        writer.check(job, findings)
    findings.stop_if_errors()
    charts = DrawStats()
    draw_many = partial(draw_charts, project_dir=config.project_dir, stats=charts)
    document = build_document(inputs, analysis, draw_chart, findings,
                              master=SUMMARY_MASTER if summary else "report.md.j2",
                              draw_many=draw_many, cache_writes=True)
    if document is None:
        findings.stop_with_errors()
    requirements = [] if summary else check_compliance(document, inputs, analysis, findings)
    finish_document(document, requirements, summary)
    paper = make_board_paper(inputs, analysis, findings, requirements) if board_paper else None
    findings.stop_if_errors(strict)
    job.title = pdf_title(config.name, document.meta)
    rendered = render_all(document, formats, job, findings)
    paths = {fmt: output_path(config, reporting_year, fmt, summary) for fmt in formats}
    if paper is not None:
        rendered["board-paper"] = render_one(WRITERS["docx"], paper, job, findings)
        paths["board-paper"] = board_paper_path(config, reporting_year)
    outputs = write_all(rendered, paths)
    return BuildResult(outputs, findings, document, requirements, charts, analysis)


def read_and_analyse(config: ReportConfig, year: ReportingYear, findings: Findings,
                     tables: dict[str, Path] | None = None) -> tuple[Inputs, Analysis]:
    """The stages before the document: read, check the rows left from apr init and last year,
    analyse, check the figures typed into the narrative; stop on any error."""
    from .analysis import analyse
    from .sources import read_inputs
    inputs = read_inputs(config, year, findings, tables)
    findings.stop_if_errors()
    example_row_findings(inputs, findings)
    carried_over_findings(inputs, findings)
    analysis = analyse(inputs, findings)
    check_narrative_figures(inputs, analysis, findings)
    findings.stop_if_errors()
    return inputs, analysis


def writers(formats: tuple[str, ...], board_paper: bool) -> list[Writer]:
    """Return the writers a build uses, in the order of WRITERS (the board paper is Word)."""
    wanted = set(formats) | ({"docx"} if board_paper else set())
    return [w for name, w in WRITERS.items() if name in wanted]


def finish_document(document: Document, requirements: list[RequirementResult],
                    summary: bool) -> None:
    """The stage after the checklist: the report's appendix of the regulations filled in from
    its results (wherever the templates put it); the summary titled as a summary."""
    if summary:  # the summary is not the statutory report: no compliance checklist
        document.meta = summary_meta(document.meta)
    else:
        from .compliance import fill_appendix
        fill_appendix(document, requirements)


def make_board_paper(inputs: Inputs, analysis: Analysis, findings: Findings,
                     requirements: list[RequirementResult]) -> Document:
    """Return the board cover paper; stop with its template's error if it does not render."""
    from .document.board_paper import build_board_paper
    paper = build_board_paper(inputs, analysis, findings, len(to_complete(findings)),
                              requirements)
    if paper is None:
        findings.stop_with_errors()
    return paper


def render_all(document: Document, formats: tuple[str, ...], job: WriteJob,
               findings: Findings) -> dict[str, bytes]:
    """Return every format's bytes, in the order asked; a writer marked ``first`` renders
    first (the PDF, so that its browser quits while the other formats are written)."""
    order = sorted(formats, key=lambda f: not WRITERS[f].first)
    rendered = {fmt: render_one(WRITERS[fmt], document, job, findings) for fmt in order}
    return {fmt: rendered[fmt] for fmt in formats}


def render_one(writer: Writer, document: Document, job: WriteJob, findings: Findings) -> bytes:
    """Return one writer's bytes; stop with its error when it could not make them."""
    data = writer.render(document, job, findings)
    if data is None:
        findings.stop_with_errors()
    return data


def summary_meta(meta: DocumentMeta) -> DocumentMeta:
    """Return the cover and properties of the summary: the report's, titled as a summary."""
    return replace(meta, title=f"{meta.title}: summary",
                   subject=f"Summary of the {meta.subject[0].lower()}{meta.subject[1:]}")


def pdf_title(partnership: str, meta: DocumentMeta) -> str:
    """Return the PDF's title: "<partnership>: <report title>"."""
    return f"{partnership}: {meta.title}" if partnership else meta.title


# --- apr check ------------------------------------------------------------------------------


def check(project_dir: Path, year: int) -> CheckResult:
    """Run the checklist without drawing charts or writing files; raise AprError on errors."""
    from .document.build import build_document

    config = load_config(project_dir)
    reporting_year, findings = ReportingYear(year), Findings()
    inputs, analysis = read_and_analyse(config, reporting_year, findings)
    document = build_document(inputs, analysis, placeholder_chart, findings)
    if document is None:
        findings.stop_with_errors()
    findings.stop_if_errors()   # e.g. a narrative file's broken markup
    results = check_compliance(document, inputs, analysis, findings)
    return CheckResult(reporting_year, results, analysis.deadline, analysis.recipients, findings,
                       to_complete(findings))


def check_compliance(document: Document, inputs: Inputs, analysis: Analysis,
                     findings: Findings) -> list[RequirementResult]:
    """Return the document's results against the regulations, warning for what is missing
    and for planned dates after the deadline."""
    from . import compliance
    results = compliance.check(document, inputs, analysis)
    compliance.missing_findings(results, findings, inputs)
    compliance.date_findings(inputs, analysis.deadline, findings)
    return results


# --- charts ---------------------------------------------------------------------------------

# A 1x1 transparent PNG: `apr check` never writes files, so it never draws charts.
PLACEHOLDER_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000b494441"
    "5478da636000020000050001e9fadcd80000000049454e44ae426082")


def placeholder_chart(spec: object) -> bytes:
    """Return a tiny blank PNG in place of a chart."""
    return PLACEHOLDER_PNG


def draw_charts(specs: list, project_dir: Path, stats: DrawStats) -> list[bytes]:
    """Return every chart as PNG: unchanged ones from apr's per-user chart cache, the rest
    drawn (in parallel when there are many) and cached."""
    from .charts.batch import cache_dir, draw_all
    return draw_all(specs, cache_dir(project_dir), draw_chart, stats)

"""The build pipeline: every stage in order, nothing else.

load_config -> read_sources -> analyse -> build_document -> check_compliance
  -> write (docx | html)
"""
from __future__ import annotations

from functools import partial
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .charts import draw as draw_chart  # tests replace this hook with a stub drawer
from .config import ReportConfig, ReportingYear, display_path, load_config
from .checks.narrative_figures import check_narrative_figures
from .findings import AprError, Findings
from .nextyear import carried_over_findings
from .scaffold.examples import example_row_findings

if TYPE_CHECKING:
    from .charts.batch import DrawStats
    from .writers.docx import Reference

FORMATS = ("docx", "html", "pdf", "site", "fragments")
FOLDER_FORMATS = ("site", "fragments")    # written as a folder of files (apr/writers/site.py)
WEB_FORMATS = ("html", "site", "fragments")
# Charts drawn a second time for phones (apr/charts phone_spec, shown by a <picture>): off until
# the chart layout handles the narrow figure (x labels and stacked-bar names overlap at 9 cm).
PHONE_CHARTS = False
DEFAULT_FORMATS = ("docx", "html")
SUMMARY_MASTER = "summary.md.j2"


@dataclass
class BuildResult:
    outputs: list[Path] = field(default_factory=list)
    findings: Findings = field(default_factory=Findings)
    document: object = None
    requirements: list = field(default_factory=list)
    charts: DrawStats | None = None      # charts read from the cache and charts drawn
    analysis: object = None              # analysis.Analysis, for the national comparison


@dataclass
class CheckResult:
    """What `apr check` reports: each requirement's result, the deadline and the recipients."""

    year: ReportingYear
    requirements: list
    deadline: object
    recipients: list[str]
    findings: Findings
    to_complete: list = field(default_factory=list)   # placeholders and example rows left

    @property
    def missing(self) -> list:
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


def to_complete(findings: Findings) -> list:
    """Return the findings that name something still to be completed: every placeholder in
    the built document and every example row left from apr init."""
    from .document.placeholders import PLACEHOLDER_CODES
    return [f for f in findings if f.code in PLACEHOLDER_CODES or f.code in CARRIED]


def output_path(config: ReportConfig, year: ReportingYear, fmt: str,
                summary: bool = False) -> Path:
    """Return where a format is written: <output>/<partnership-slug>-apr-2023-24.<fmt>
    (<slug>-apr-summary-2023-24.<fmt> for the summary)."""
    kind = "apr-summary" if summary else "apr"
    if fmt in FOLDER_FORMATS:      # a folder: <slug>-apr-2023-24-site/, ...-fragments/
        return config.output_dir / f"{config.slug}-{kind}-{year.slug}-{fmt}"
    return config.output_dir / f"{config.slug}-{kind}-{year.slug}.{fmt}"


def build(project_dir: Path, year: int, formats: tuple[str, ...] = DEFAULT_FORMATS,
          strict: bool = False, summary: bool = False, board_paper: bool = False,
          tables: dict[str, Path] | None = None) -> BuildResult:
    """Build the report (or its summary), and the board cover paper if asked; raise AprError
    (writing nothing) on any error, or on warnings if strict.

    ``tables`` names input tables kept outside the project's data/ folder (the national batch's
    shared indicator file); a table in data/ wins."""
    from .charts.batch import cache_dir, prestart
    prestart(cache_dir(project_dir))   # a first build: matplotlib is imported meanwhile
    browser = start_pdf_browser() if "pdf" in formats else None   # starts while apr works
    try:
        return _build(project_dir, year, formats, strict, summary, board_paper, tables, browser)
    finally:
        if hasattr(browser, "close"):
            browser.close()


def _build(project_dir: Path, year: int, formats: tuple[str, ...], strict: bool, summary: bool,
           board_paper: bool, tables: dict[str, Path] | None, browser) -> BuildResult:
    """The stages of ``build``, the PDF's browser (or None, or the reason it did not start)
    already started."""
    from .analysis import analyse
    from .charts.batch import DrawStats
    from .document.build import build_document
    from .sources import read_sources

    config = load_config(project_dir)
    strict = strict or is_final(config)
    reporting_year = ReportingYear(year)
    inputs, findings = read_sources(config, reporting_year, tables)
    example_row_findings(inputs, findings)
    carried_over_findings(inputs, findings)
    analysis = analyse(inputs)
    findings.extend(analysis.warnings)
    check_narrative_figures(inputs, analysis, findings)
    _stop_on_errors(findings, strict=False)
    reference = reference_docx(config, findings) if "docx" in formats or board_paper else None
    if "pdf" in formats:
        check_pdf(findings, browser)
    _stop_on_errors(findings, strict=False)
    charts = DrawStats()
    draw_many = partial(draw_charts, project_dir=config.project_dir, stats=charts)
    if summary:  # the summary is not the statutory report: no compliance checklist
        document = build_document(inputs, analysis, draw_chart, findings, master=SUMMARY_MASTER,
                                  draw_many=draw_many, cache_writes=True,
                                  phone_charts=_phone_charts(formats))
        document.meta = summary_meta(document.meta)
        requirements = []
    else:
        document = build_document(inputs, analysis, draw_chart, findings, draw_many=draw_many,
                                  cache_writes=True,
                                  phone_charts=_phone_charts(formats))
        requirements = check_compliance(document, inputs, analysis, findings)
    paper = None
    if board_paper:
        from .document.board_paper import build_board_paper
        paper = build_board_paper(inputs, analysis, findings, len(to_complete(findings)),
                                  requirements)
    _stop_on_errors(findings, strict)
    result = BuildResult(findings=findings, document=document, requirements=requirements,
                         charts=charts, analysis=analysis)
    render = partial(_render, document=document, reference=reference, browser=browser,
                     title=pdf_title(config.name, document.meta))
    # the PDF first, so that its browser quits while the other formats are written
    rendered = {fmt: render(fmt) for fmt in sorted(formats, key=lambda f: f != "pdf")}
    rendered = {fmt: rendered[fmt] for fmt in formats}
    paths = {fmt: output_path(config, reporting_year, fmt, summary) for fmt in formats}
    if paper is not None:
        rendered["board-paper"] = _render("docx", paper, reference)
        paths["board-paper"] = board_paper_path(config, reporting_year)
    result.outputs = write_all(rendered, paths)
    return result


def _phone_charts(formats: tuple[str, ...]) -> bool:
    return PHONE_CHARTS and bool(set(formats) & set(WEB_FORMATS))


def board_paper_path(config: ReportConfig, year: ReportingYear) -> Path:
    """Return where the board cover paper goes: <output>/<slug>-board-paper-2023-24.docx."""
    return config.output_dir / f"{config.slug}-board-paper-{year.slug}.docx"


def summary_meta(meta):
    """Return the cover and properties of the summary: the report's, titled as a summary."""
    from dataclasses import replace
    return replace(meta, title=f"{meta.title}: summary",
                   subject=f"Summary of the {meta.subject[0].lower()}{meta.subject[1:]}")


def start_pdf_browser():
    """Start the browser that prints the PDF; return it, None when there is none, or the
    reason (a str) it could not be started."""
    from .writers.chromium import BrowserError, start_browser
    try:
        return start_browser()
    except BrowserError as exc:
        return str(exc)


def check_pdf(findings: Findings, browser) -> None:
    """Add an error when no browser could be started to print the PDF (--format pdf)."""
    from .writers.chromium import browser_missing_message
    if browser is None:
        findings.error("pdf.browser_missing", browser_missing_message())
    elif isinstance(browser, str):
        findings.error("pdf.browser_failed", f"the PDF could not be printed: {browser}")


def pdf_title(partnership: str, meta) -> str:
    """Return the PDF's title: "<partnership>: <report title>"."""
    return f"{partnership}: {meta.title}" if partnership else meta.title


def check(project_dir: Path, year: int) -> CheckResult:
    """Run the checklist without drawing charts or writing files; raise AprError on errors."""
    from .analysis import analyse
    from .document.build import build_document
    from .sources import read_sources

    config = load_config(project_dir)
    reporting_year = ReportingYear(year)
    inputs, findings = read_sources(config, reporting_year)
    example_row_findings(inputs, findings)
    carried_over_findings(inputs, findings)
    analysis = analyse(inputs)
    findings.extend(analysis.warnings)
    check_narrative_figures(inputs, analysis, findings)
    _stop_on_errors(findings, strict=False)
    document = build_document(inputs, analysis, placeholder_chart, findings)
    _stop_on_errors(findings, strict=False)   # e.g. a narrative file's broken markup
    results = check_compliance(document, inputs, analysis, findings)
    return CheckResult(reporting_year, results, analysis.deadline, analysis.recipients, findings,
                       to_complete(findings))


def check_compliance(document, inputs, analysis, findings: Findings) -> list:
    """Check the document against the regulations, warn for what is missing, and fill in the
    appendix that says where each requirement is met."""
    from . import compliance
    results = compliance.check(document, inputs, analysis)
    compliance.missing_findings(results, findings, inputs)
    compliance.date_findings(inputs, analysis.deadline, findings)
    compliance.fill_appendix(document, results)
    return results


# A 1x1 transparent PNG: `apr check` never writes files, so it never draws charts.
PLACEHOLDER_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000b494441"
    "5478da636000020000050001e9fadcd80000000049454e44ae426082")


def placeholder_chart(spec) -> bytes:
    """Return a tiny blank PNG in place of a chart."""
    return PLACEHOLDER_PNG


def _stop_on_errors(findings: Findings, strict: bool) -> None:
    if findings.errors or (strict and findings.warnings):
        raise AprError(findings)


def draw_charts(specs: list, project_dir: Path, stats: DrawStats) -> list[bytes]:
    """Return every chart as PNG: unchanged ones from apr's per-user chart cache, the rest
    drawn (in parallel when there are many) and cached."""
    from .charts.batch import cache_dir, draw_all
    return draw_all(specs, cache_dir(project_dir), draw_chart, stats)


def reference_docx(config: ReportConfig, findings: Findings) -> Reference | None:
    """Return the Word reference document to take styles from, checking it has every style
    (None, with an error, when the file does not exist)."""
    from .resources import styles_dir
    from .writers.docx import Reference
    path = config.project_dir / config.reference_docx if config.reference_docx else \
        styles_dir() / "reference.docx"
    if not path.is_file():
        findings.error("config.reference_missing", f"reference document {display_path(path)} "
                       "does not exist; correct report.reference_docx in apr.toml or remove it "
                       "to use apr's house style", config.config_file, column="report.reference_docx")
        return None
    reference = Reference(path)
    for style in reference.missing_styles():
        findings.error("style.missing", f"the reference document has no style '{style}', which "
                       "apr needs; add it in Word (Styles pane, New Style) with exactly that "
                       "name, or copy it from apr's styles/reference.docx", display_path(path))
    return reference


def _render(fmt: str, document, reference: Reference | None, browser=None,
            title: str = "") -> bytes | dict[str, bytes]:
    if fmt == "html":
        from .writers.html import render_html
        return render_html(document, cached=True).encode("utf-8")
    if fmt == "pdf":
        return _render_pdf(document, browser, title)
    if fmt == "site":
        from .writers.site import write_site
        return write_site(document)
    if fmt == "fragments":
        from .writers.site import render_fragments
        return render_fragments(document)
    if fmt == "docx":
        from .writers.docx import render_docx
        return render_docx(document, reference)
    raise ValueError(f"unknown format {fmt}")


def _render_pdf(document, browser, title: str) -> bytes:
    """Return the PDF printed by the build's browser; AprError if the browser fails."""
    from .writers.chromium import BrowserError
    from .writers.pdf import render_pdf
    try:
        return render_pdf(document, title, browser, cached=True)
    except BrowserError as exc:
        findings = Findings()
        findings.error("pdf.browser_failed", f"the PDF could not be printed: {exc}; nothing "
                       "was written. Build again; if it fails again, build without pdf in "
                       "--format and report the message")
        raise AprError(findings) from exc
    finally:
        browser.close_in_background()


def write_all(rendered: dict[str, bytes], paths: dict[str, Path]) -> list[Path]:
    """Write every output all or nothing (apr/output.py): temporary files beside the targets,
    moved into place only when all are complete, removed on every way out (signals
    included); a full disk or an unwritable folder is an AprError naming the folder."""
    from .output import write_all as write_outputs
    return write_outputs(rendered, paths)

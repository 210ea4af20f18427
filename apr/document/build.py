"""The ``build_document`` stage: render the templates and parse them into a Document."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..analysis import Analysis
from ..charts import ChartSpec
from ..findings import AprError, Findings
from ..formatting import long_date
from ..model import Inputs
from . import nodes as n
from .context import ContextFunctions, SummaryContext, build_context, filters
from .figures import FigurePlan, plan_figures, possible_figures
from .markup import MarkupError, MarkupParser
from .placeholders import build_index, mark_document, placeholder_findings
from .summary import headline_context, summary_figures, summary_tables
from .tables import build_tables
from .templating import make_environment, render, template_file

MASTER = "report.md.j2"
DrawMany = Callable[[list[ChartSpec]], list[bytes]]


@dataclass
class RenderedReport:
    """The templates' output before parsing, with the tables and charts it may refer to."""

    text: str
    tables: dict[str, n.Table]
    figures: dict[str, FigurePlan]
    template: str
    placeholders: list[n.Placeholder]
    cited: list   # figures narrative cited that the data lack: (text, data file)


def render_report(inputs: Inputs, analysis: Analysis, findings: Findings,
                  master: str = MASTER, cache_writes: bool = False) -> RenderedReport:
    """Return the rendered block markup (Markdown plus ``<<table KEY>>`` lines) of the report.

    ``build_document`` parses it; the benchmark hands the same text to pandoc.  With
    ``cache_writes`` compiled templates are saved in apr's per-user cache (apr/cache.py).
    """
    config = inputs.config
    tables = build_tables(analysis, config)
    tables.update(summary_tables(analysis, config))
    figures = plan_figures(analysis, config)
    figures.update(summary_figures(analysis))
    fns = ContextFunctions(config, inputs, findings, sorted(tables), sorted(figures),
                           possible_figures(analysis))
    context = build_context(inputs, analysis, fns, SummaryContext(headline_context(analysis)))
    env = make_environment(config.project_dir, cache_writes)
    env.filters.update(filters(fns))
    return RenderedReport(render(env, master, context), tables, figures,
                          template_file(env, master), fns.placeholders, fns.cited_pending)


def build_document(inputs: Inputs, analysis: Analysis, draw: Callable[[ChartSpec], bytes],
                   findings: Findings, master: str = MASTER,
                   draw_many: DrawMany | None = None,
                   cache_writes: bool = False, phone_charts: bool = False) -> n.Document | None:
    """Return the report as nodes, adding its problems to ``findings``; None, with the
    template's error (file and line), when the templates do not render or parse.

    Charts are drawn after parsing, all in one call of ``draw_many`` (default: ``draw`` on
    each), so a cache and a process pool see every chart the report needs at once. With
    ``phone_charts`` each chart is drawn a second time for a phone's screen (``png_narrow``,
    for the web formats).
    """
    try:
        report = render_report(inputs, analysis, findings, master, cache_writes)
    except AprError as exc:     # Jinja stops at the first problem: the template's finding
        findings.extend(exc.findings)
        return None
    pending: list[tuple[n.Figure, ChartSpec]] = []

    def lookup(kind: str, key: str) -> n.Block:
        if kind == "table":
            return report.tables[key]
        if kind == "todo":
            return report.placeholders[int(key.lstrip("#"))]
        plan = report.figures[key]
        if not plan.drawn:   # one or two figures: a sentence, not a chart (figures.py)
            return plan.sentence()
        figure = plan.make(lambda spec: b"")
        pending.append((figure, plan.spec))
        return figure

    parser = MarkupParser(lookup, inputs.config.project_dir / "content")
    try:
        blocks = parser.parse(report.text)
    except MarkupError as exc:
        findings.error("template.markup", f"{exc} (line {exc.line} of the rendered report)",
                       report.template)
        return None
    fill_figures(pending, draw_many or (lambda specs: [draw(spec) for spec in specs]),
                 phone_charts)
    # the full report's cover carries the cover picture; the summary (2 to 4 pages) its logo only
    document = n.Document(meta(inputs, cover_picture=master == MASTER), blocks,
                          {k: v.text for k, v in inputs.narrative.items()})
    mark_document(document, build_index(inputs, inputs.config.project_dir, report.cited))
    placeholder_findings(document.placeholders(), findings)
    return document


def fill_figures(pending: list[tuple[n.Figure, ChartSpec]], draw_many: DrawMany,
                 phone_charts: bool = False) -> None:
    """Draw every pending chart in one batch and put its PNG into its Figure (and, with
    ``phone_charts``, the chart drawn for a phone into ``png_narrow``)."""
    from ..charts import phone_spec
    specs = [spec for _, spec in pending]
    phones = [phone_spec(spec) for spec in specs] if phone_charts else []
    pngs = draw_many(specs + phones)
    for i, (figure, _) in enumerate(pending):
        figure.png = pngs[i]
        if phone_charts:
            figure.png_narrow = pngs[len(specs) + i]


def meta(inputs: Inputs, cover_picture: bool = True) -> n.DocumentMeta:
    """Return the cover and file properties; dates come from apr.toml, never the clock."""
    config, year = inputs.config, inputs.year
    date = config.board_date or config.publication_date
    return n.DocumentMeta(
        title=f"Annual Performance Report {year.label}",
        subtitle=config.name,
        author=config.author or config.authority,
        subject=f"Annual performance report of {config.authority} for {year.label}, under "
                "section 42 of the Public Bodies (Joint Working) (Scotland) Act 2014",
        organisation=config.authority,
        date_label=(f"{'Draft for ' if config.status == 'draft' else ''}"
                    f"{config.board_meeting or 'board'}"
                    f"{', ' + long_date(date) if date else ''}"),
        status=config.status,
        date_iso=date.isoformat() if date else "",
        website=config.website,
        name=config.name,
        **cover_pictures(config, cover_picture),
        **web_look(config),
    )


def web_look(config) -> dict:
    """Return the web pages' look from apr.toml, the project's stylesheet and its Word
    reference document (heading colour and font), for DocumentMeta."""
    from .brand import parse_link, reference_look
    report = config.settings.report
    look = reference_look(config.project_dir / report.reference_docx) \
        if report.reference_docx else {}
    return {**look, "accent": report.accent_colour.strip().lower(),
            "stylesheet": config.stylesheet,
            "header_links": tuple(filter(None, map(parse_link, report.header_links))),
            "footer_links": tuple(filter(None, map(parse_link, report.footer_links)))}


def cover_pictures(config, picture: bool = True) -> dict:
    """Return the cover's logo and (with ``picture``) picture, as bytes and alt text, named in
    apr.toml, if any; the loader has checked the files (``config.cover_picture``)."""
    report, project = config.settings.report, config.project_dir
    out: dict = {}
    if report.logo:
        out |= {"logo": (project / report.logo).read_bytes(),
                "logo_alt": f"{config.authority} logo"}
    if report.cover_image and picture:
        out |= {"cover_image": (project / report.cover_image).read_bytes(),
                "cover_image_alt": report.cover_image_alt.strip()}
    return out

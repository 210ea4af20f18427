"""The ``build_document`` stage: render the templates and parse them into a Document."""
from __future__ import annotations

from collections.abc import Callable

from ..analysis import Analysis
from ..charts import ChartSpec
from ..findings import AprError, Findings
from ..model import Inputs
from . import nodes as n
from .context import ContextFunctions, build_context
from .figures import plan_figures
from .markup import MarkupError, MarkupParser
from .tables import build_tables
from .templating import make_environment, render, template_file

MASTER = "report.md.j2"


def build_document(inputs: Inputs, analysis: Analysis, draw: Callable[[ChartSpec], bytes],
                   findings: Findings, master: str = MASTER) -> n.Document:
    """Return the report as nodes; template problems raise AprError with file and line."""
    config = inputs.config
    tables = build_tables(analysis, config)
    figures = plan_figures(analysis, config)
    fns = ContextFunctions(config, inputs, findings, sorted(tables), sorted(figures))
    context = build_context(inputs, analysis, fns)
    env = make_environment(config.project_dir)
    text = render(env, master, context)

    def lookup(kind: str, key: str) -> n.Block:
        if kind == "table":
            return tables[key]
        return figures[key].make(draw)

    parser = MarkupParser(lookup)
    try:
        blocks = parser.parse(text)
    except MarkupError as exc:
        bad = Findings()
        bad.error("template.markup", f"{exc} (line {exc.line} of the rendered report)",
                  template_file(env, master))
        raise AprError(bad) from None
    return n.Document(meta(inputs), blocks)


def meta(inputs: Inputs) -> n.DocumentMeta:
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
                    f"{', ' + f'{date.day} {date:%B %Y}' if date else ''}"),
        status=config.status,
        date_iso=date.isoformat() if date else "",
    )

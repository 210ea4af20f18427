"""The board cover paper: the report that takes the annual performance report to the board.

Its settings come from ``[board_paper]`` in apr.toml (read and checked by apr.config with the
rest of the file) and its words from the template ``board_paper.md.j2`` (which a project can
override like any other); it goes through the same template -> markup -> nodes pipeline as the
report and is written by the Word writer, without the report's cover page: the template's
heading block opens the paper, as board papers do.
"""
from __future__ import annotations

from ..analysis import Analysis
from ..config import ReportConfig
from ..findings import AprError, Findings
from ..formatting import long_date
from ..model import Inputs
from ..settings_schema import BoardPaperSettings
from . import nodes as n
from .context import BoardPaperContext, ContextFunctions, build_context, filters
from .markup import MarkupError, MarkupParser
from .placeholders import build_index, mark_document, placeholder_findings
from .templating import make_environment, render, template_file

MASTER = "board_paper.md.j2"


# The [board_paper] settings are part of the apr.toml schema (apr/settings_schema.py), read and
# checked with every other setting by load_config.
BoardPaper = BoardPaperSettings


def read_board_paper(config: ReportConfig, findings: Findings | None = None) -> BoardPaper:
    """Return the [board_paper] settings of apr.toml (checked when apr.toml was read)."""
    return config.board_paper


def directions_table(paper: BoardPaper, config: ReportConfig) -> n.Table:
    """Return the directions table: the four choices, with an X against the one made. Every
    constituent council is named ("council" directs them all where there are several)."""
    choices = [("none", "No direction required"), ("council", config.council),
               ("health_board", config.health_board),
               ("both", config.constituent_authorities)]
    rows = [[n.Cell(f"{i}. {label}", header=True), n.Cell("X" if key == paper.direction else "",
                                                          "center")]
            for i, (key, label) in enumerate(choices, start=1)]
    every = "both" if len(config.councils) < 2 else "all of them"
    return n.Table("table-directions", f"Direction required to {config.council}, "
                   f"{config.health_board} or {every}", ["Direction to", "Selected"], rows,
                   align=["left", "center"])


def build_board_paper(inputs: Inputs, analysis: Analysis, findings: Findings,
                      left_to_complete: int = 0,
                      requirements: list | None = None) -> n.Document | None:
    """Return the board cover paper as nodes, adding its problems to ``findings``; None, with
    the template's error, when its template does not render or parse.

    ``left_to_complete`` is how many things the report itself still has to complete, so the
    paper says so only when it is true; the paper's own placeholders are findings too.
    ``requirements`` is the regulations check of the report (the board paper, not the public
    report, carries its verdicts)."""
    config = inputs.config
    paper = read_board_paper(config, findings)
    tables = {"board.directions": directions_table(paper, config)}
    fns = ContextFunctions(config, inputs, findings, sorted(tables), [])
    counts = regulation_counts(requirements or [])
    context = build_context(inputs, analysis, fns,
                            BoardPaperContext(counts, left_to_complete, paper))
    env = make_environment(config.project_dir, cache_writes=True)  # only `apr build` makes it
    env.filters.update(filters(fns))
    try:
        text = render(env, MASTER, context)
    except AprError as exc:     # Jinja stops at the first problem: the template's finding
        findings.extend(exc.findings)
        return None

    def lookup(kind: str, key: str) -> n.Block:
        if kind == "todo":
            return fns.placeholders[int(key.lstrip("#"))]
        return tables[key]

    parser = MarkupParser(lookup, config.project_dir / "content")
    try:
        blocks = parser.parse(text)
    except MarkupError as exc:
        findings.error("template.markup", f"{exc} (line {exc.line} of the rendered board paper)",
                       template_file(env, MASTER))
        return None
    document = n.Document(board_meta(inputs, paper), blocks)
    mark_document(document, build_index(inputs, config.project_dir, fns.cited_pending))
    placeholder_findings(document.placeholders(), findings)
    return document


def regulation_counts(requirements: list) -> dict[str, int]:
    """Return how many of the statutory requirements that apply the report meets, leaves to a
    reader's judgement and misses (all zero without a check)."""
    from ..compliance import MET, MISSING, READING
    statutory = [r for r in requirements if r.id.startswith(("s42", "reg"))]
    counts = {key: sum(r.status == status for r in statutory)
              for key, status in (("met", MET), ("reading", READING), ("missing", MISSING))}
    counts["total"] = sum(counts.values())
    return counts


def board_meta(inputs: Inputs, paper: BoardPaper) -> n.DocumentMeta:
    """Return the board paper's file properties (dates from apr.toml, not the clock).

    A board paper has no cover page (``cover="paper"``): it opens with the heading block of
    its template (board, meeting date, agenda item, title, report by, classification).
    """
    config, year = inputs.config, inputs.year
    when = f", {long_date(paper.date)}" if paper.date else ""
    return n.DocumentMeta(
        title=f"Annual Performance Report {year.label}",
        subtitle=f"Cover report to {paper.meeting or 'the integration joint board'}",
        author=paper.author or config.authority,
        subject=f"Cover report presenting the annual performance report of {config.authority} "
                f"for {year.label} for approval",
        organisation=config.authority,
        date_label=f"{paper.meeting or 'Board meeting'}{when}"
                   + (f", report {paper.report_number}" if paper.report_number else ""),
        status=config.status,
        date_iso=paper.date.isoformat() if paper.date else "",
        keywords="board paper; annual performance report; health and social care integration",
        cover="paper",
        name=config.name,
    )

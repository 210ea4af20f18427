"""The board cover paper: the report that takes the annual performance report to the board.

Its settings come from ``[board_paper]`` in apr.toml and its words from the template
``board_paper.md.j2`` (which a project can override like any other); it goes through the same
template -> markup -> nodes pipeline as the report and is written by the Word writer, without
the report's cover page: the template's heading block opens the paper, as board papers do.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..analysis import Analysis
from ..config import ReportConfig, _Reader
from ..findings import AprError, Findings
from ..model import Inputs
from . import nodes as n
from .context import ContextFunctions, build_context, filters
from .markup import MarkupError, MarkupParser
from .templating import make_environment, render, template_file

MASTER = "board_paper.md.j2"
DIRECTIONS = ("none", "council", "health_board", "both")


@dataclass
class BoardPaper:
    """The [board_paper] settings of apr.toml, with the meeting and date from [report]."""

    meeting: str = ""
    date: dt.date | None = None
    item: str = ""
    report_number: str = ""
    report_by: str = "Chief Officer"
    report_by_name: str = ""
    author: str = ""
    contact: str = ""
    classification: str = "For decision"
    purpose: str = ""
    recommendations: list[str] = field(default_factory=list)
    financial_implications: str = ""
    policy_implications: str = ""
    risk: str = ""
    consultations: str = ""
    direction: str = "none"
    background_papers: list[str] = field(default_factory=list)
    paper_date: dt.date | None = None


TEXT_FIELDS = ("item", "report_number", "report_by", "report_by_name", "author", "contact",
               "classification", "purpose", "financial_implications", "policy_implications", "risk",
               "consultations")


def read_board_paper(config: ReportConfig, findings: Findings) -> BoardPaper:
    """Return the [board_paper] settings; a wrong value is recorded as an error finding."""
    r = _Reader(config.raw.get("board_paper", {}), "board_paper", config.config_file, findings)
    paper = BoardPaper(meeting=r.get("meeting", str, config.board_meeting),
                       date=config.board_date,
                       report_by_name=config.chief_officer, author=config.author)
    for name in TEXT_FIELDS:
        setattr(paper, name, r.get(name, str, getattr(paper, name)))
    paper.recommendations = [str(x) for x in r.get("recommendations", list, [])]
    paper.background_papers = [str(x) for x in r.get("background_papers", list, [])]
    paper.direction = r.choice("direction", DIRECTIONS, "none")
    paper.paper_date = r.get("date", dt.date)
    return paper


def directions_table(paper: BoardPaper, config: ReportConfig) -> n.Table:
    """Return the directions table: the four choices, with an X against the one made."""
    choices = [("none", "No direction required"), ("council", config.council),
               ("health_board", config.health_board),
               ("both", f"{config.council} and {config.health_board}")]
    rows = [[n.Cell(f"{i}. {label}", header=True), n.Cell("X" if key == paper.direction else "",
                                                          "center")]
            for i, (key, label) in enumerate(choices, start=1)]
    return n.Table("table-directions", f"Direction required to {config.council}, "
                   f"{config.health_board} or both", ["Direction to", "Selected"], rows,
                   align=["left", "center"])


def build_board_paper(inputs: Inputs, analysis: Analysis, findings: Findings) -> n.Document:
    """Return the board cover paper as nodes; template problems raise AprError."""
    config = inputs.config
    paper = read_board_paper(config, findings)
    tables = {"board.directions": directions_table(paper, config)}
    fns = ContextFunctions(config, inputs, findings, sorted(tables), [])
    context = build_context(inputs, analysis, fns)
    context["board"] = paper
    env = make_environment(config.project_dir, cache_writes=True)  # only `apr build` makes it
    env.filters.update(filters(fns))
    text = render(env, MASTER, context)
    parser = MarkupParser(lambda kind, key: tables[key], config.project_dir / "content")
    try:
        blocks = parser.parse(text)
    except MarkupError as exc:
        bad = Findings()
        bad.error("template.markup", f"{exc} (line {exc.line} of the rendered board paper)",
                  template_file(env, MASTER))
        raise AprError(bad) from None
    return n.Document(board_meta(inputs, paper), blocks)


def board_meta(inputs: Inputs, paper: BoardPaper) -> n.DocumentMeta:
    """Return the board paper's file properties (dates from apr.toml, not the clock).

    A board paper has no cover page (``cover="paper"``): it opens with the heading block of
    its template (board, meeting date, agenda item, title, report by, classification).
    """
    config, year = inputs.config, inputs.year
    when = f", {paper.date.day} {paper.date:%B %Y}" if paper.date else ""
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
    )

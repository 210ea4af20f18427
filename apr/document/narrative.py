"""Narrative insertion: a content/NAME.md file checked and fitted into the report.

``insert_narrative`` is what a template's ``{{ narrative("finance") }}`` returns: the file's
Markdown with its pictures and apr's own markup checked (each bad line an error naming the
narrative file and line, replaced so the report still parses), its ``[[...]]`` figures cited
(apr/document/citations.py), and its headings moved to the level the template asks for.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from ..findings import Findings, Location
from ..model import Inputs, Narrative
from .citations import Vocabulary, cite
from .markup import (
    CONTAINER_CLOSE,
    CONTAINER_OPEN,
    DIRECTIVE,
    KNOWN_DIRECTIVES,
    image_path,
    image_problem,
)

LONE_IMAGE = re.compile(r'^\s*!\[(?P<alt>[^\]]*)\]\((?P<src><[^>]*>|[^)\s]*)(?:\s+"[^"]*")?\)\s*$')


@dataclass
class NarrativeChecks:
    """What a narrative file is checked against: the build's names, findings and vocabulary."""

    inputs: Inputs
    findings: Findings
    names: dict[str, list[str]]          # "table" and "figure": the names apr builds
    vocabulary: Vocabulary | None        # the figures narrative can cite
    cited_pending: list[tuple[str, Location]]


def insert_narrative(item: Narrative, level: int, checks: NarrativeChecks) -> str:
    """Return ITEM's text checked, its figures cited and its headings moved to LEVEL."""
    content_dir = checks.inputs.config.project_dir / "content"
    text = check_images(item.text, item.file, content_dir, checks.findings)
    text = check_markup(text, item.file, checks.findings, checks.names)
    if checks.vocabulary is not None:
        text = cite(text, item.file, checks.vocabulary, checks.inputs, checks.findings,
                    checks.cited_pending)
    return "\n" + shift_headings(text, level) + "\n"


def unknown_name(kind: str, name: str, names: list[str]) -> str:
    """Return the message for a table or figure name apr does not build, with a suggestion."""
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return (f"there is no {kind} called '{name}'{hint}; `apr templates context` lists the "
            f"{kind}s there are")


def check_images(text: str, file: str, content_dir: Path, findings: Findings) -> str:
    """Return TEXT with each bad image line (no alt text, missing file...) replaced by a marker,
    recording an error that names the narrative file and line."""
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        m = LONE_IMAGE.match(line)
        problem = m and image_problem(image_path(m.group("src")), m.group("alt"), content_dir)
        if m and problem:
            findings.error("narrative.image", problem, file, number)
            lines[number - 1] = f"<<todo the picture {m.group('src')}>>"
    return "\n".join(lines)


def check_markup(text: str, file: str, findings: Findings, names: dict[str, list[str]]) -> str:
    """Return TEXT with apr's own markup checked, recording errors that name the narrative
    file and its line (not the template it is inserted by): an unknown ``<<...>>``
    instruction, a ``<<table NAME>>`` or ``<<figure NAME>>`` apr does not build, a ``:::`` box
    never closed, a ``:::`` that closes no box. Bad lines are emptied, open boxes closed, so
    the report still parses and every problem is listed at once."""
    lines = text.split("\n")
    boxes: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        problem = _line_problem(line, names, boxes, number)
        if problem:
            findings.error("narrative.markup", problem, file, number)
            lines[number - 1] = ""
    for number, kind in boxes:
        findings.error("narrative.markup", f"the box '::: {kind}' opened here is never closed; "
                       "add a line with just ':::' after its text", file, number)
        lines.append(":::")
    return "\n".join(lines)


def _line_problem(line: str, names: dict[str, list[str]], boxes: list[tuple[int, str]],
                  number: int) -> str | None:
    """Return what is wrong with one line of apr's markup, keeping BOXES (the open ones)."""
    m = DIRECTIVE.match(line)
    if m:
        kind, arg = m.group(1), m.group(2)
        if kind not in KNOWN_DIRECTIVES:
            return (f"unknown instruction '<<{kind}>>'; apr knows <<table NAME>>, "
                    "<<figure NAME>>, <<todo TEXT>>, <<contents>> and <<pagebreak>>")
        if kind in names and arg not in names[kind]:
            return unknown_name(kind, arg, names[kind])
        return None
    if CONTAINER_CLOSE.match(line):
        if boxes:
            boxes.pop()
            return None
        return ("this ':::' closes no box; remove it, or open the box above with a line such "
                "as '::: case-study Title'")
    m = CONTAINER_OPEN.match(line)
    if m:
        boxes.append((number, m.group(1)))
    return None


def shift_headings(text: str, level: int) -> str:
    """Return Markdown with its headings moved so the highest one sits at LEVEL."""
    levels = [len(m.group(1)) for m in re.finditer(r"^(#{1,6})\s", text, re.MULTILINE)]
    if not levels:
        return text
    shift = level - min(levels)
    return re.sub(r"^(#{1,6})(?=\s)", lambda m: "#" * max(1, min(6, len(m.group(1)) + shift)),
                  text, flags=re.MULTILINE)

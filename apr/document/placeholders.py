"""Placeholders: every "To be completed" marker in the report, as nodes that say where to supply
what is missing, and the findings made from them.

Three ways a marker enters the report, all ending as ``nodes.Placeholder``:

* a template calls ``todo(...)`` or ``narrative(...)`` finds no file: the context registers a
  Placeholder (with the setting, data file or narrative file to supply) and the markup line
  ``<<todo #N>>`` stands for it;
* a table built from the data shows a cell that must be filled in (a variance with no reason);
* text typed into the data, apr.toml or narrative still says "To be completed: ..." (as the
  example rows and settings of ``apr init`` do): ``mark_document`` finds it in the built
  document, whatever template printed it, and turns it into a marker located at the file, row
  and column (or setting) it came from.

``placeholder_findings`` then makes one finding per distinct placeholder, so the number of
visible markers and the findings that name them agree by construction.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from pathlib import Path

from ..findings import Findings, Location
from . import nodes as n

MARKER = "To be completed"
PENDING = re.compile(r"(?i)\bto be completed\s*:\s*")
TEXT_CODE = "placeholder.text"           # "To be completed:" text of unknown origin
CITED_CODE = "placeholder.cited_figure"  # a figure cited in narrative that the data lack


def is_pending(value) -> bool:
    """True when a value typed by a person still says "To be completed: ..."."""
    return isinstance(value, str) and PENDING.match(value.strip()) is not None


def strip_marker(text: str) -> str:
    """Return what is missing, without the leading "To be completed:"."""
    return PENDING.sub("", text.strip(), count=1).strip() or "this text"


class PendingIndex:
    """Where each "To be completed: ..." text typed into the project came from.

    Built from the data records (file, row, column), the apr.toml settings (the setting and its
    line) and the narrative files (file and line); looked up by the text that reached the
    document.
    """

    def __init__(self) -> None:
        self.entries: list[tuple[str, Location]] = []
        self.used: list[int] = []
        self.codes: dict[str, str] = {}

    def add(self, text: str, where: Location, code: str = "") -> None:
        """Index TEXT as typed at WHERE; CODE, when given, is the finding it is reported as."""
        self.entries.append((text.strip(), where))
        self.used.append(0)
        self.codes[text.strip()] = code

    def find(self, text: str) -> tuple[str, Location] | None:
        """Return (the whole pending text, where) for text that starts with an indexed one:
        the longest such text, and of equal ones (two localities with the same example
        summary) the one used least so far, so that each reaches its own place."""
        matches = [i for i, (entry, _) in enumerate(self.entries)
                   if text.startswith(entry) or entry.startswith(text.rstrip(" ."))]
        if not matches:
            return None
        best = min(matches, key=lambda i: (-len(self.entries[i][0]), self.used[i], i))
        self.used[best] += 1
        return self.entries[best]


def build_index(inputs, project_dir: Path,
                cited: Iterable[tuple[str, Location]] = ()) -> PendingIndex:
    """Return the index of every pending text in the inputs, settings and narrative, and of
    the figures narrative cited that the data lack (CITED: the text and the data file)."""
    index = PendingIndex()
    for text, where in cited:
        index.add(text, where, CITED_CODE)
    for name in ("finance", "localities", "inspections", "decisions", "reserves", "savings",
                 "jmc_recommendations", "indicators"):
        for record in getattr(inputs, name, []):
            _index_record(index, record)
    config = inputs.config
    _index_settings(index, config.raw, config.config_file,
                    _read_lines(project_dir / "apr.toml"), {})
    for item in inputs.narrative.values():
        for number, line in enumerate(item.text.split("\n"), start=1):
            m = PENDING.search(line)
            if m:
                index.add(line[m.start():], Location(item.file, number))
    return index


def _index_record(index: PendingIndex, record) -> None:
    source = getattr(record, "source", None)
    if not dataclasses.is_dataclass(record) or source is None:
        return
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        if is_pending(value):
            index.add(value, Location(source.file, source.row, f.name))


def _index_settings(index: PendingIndex, data, file: str, lines: list[str], seen: dict,
                    path: str = "") -> None:
    """Index the pending texts of apr.toml; ``seen`` counts each text so that the second
    setting with the same text is found on the second line that holds it."""
    if isinstance(data, dict):
        for key, value in data.items():
            _index_settings(index, value, file, lines, seen,
                            f"{path}.{key}" if path else str(key))
    elif isinstance(data, list):
        for item in data:
            _index_settings(index, item, file, lines, seen, path)
    elif is_pending(data):
        seen[data] = seen.get(data, 0) + 1
        index.add(data, Location(file, _line_containing(lines, data, seen[data]), path))


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8-sig").split("\n")
    except (OSError, UnicodeDecodeError):
        return []


def _line_containing(lines: list[str], text: str, occurrence: int = 1) -> int | None:
    """Return the number of the line holding the OCCURRENCE-th copy of TEXT (or the last)."""
    needle = text.strip()[:60]
    found = [i for i, line in enumerate(lines, start=1) if needle in line]
    return found[min(occurrence, len(found)) - 1] if found else None


# --- the document ---------------------------------------------------------------------------


def mark_document(document: n.Document, index: PendingIndex) -> None:
    """Turn every "To be completed: ..." text in the document into a placeholder marker; a
    paragraph that holds nothing else becomes the marker block itself."""
    for block in document.walk():
        _mark_block(block, index)
    _lift(document.blocks)


def _lift(blocks: list) -> None:
    for i, block in enumerate(blocks):
        if isinstance(block, n.Callout):
            _lift(block.blocks)
        elif isinstance(block, n.Paragraph):
            marks = [r for r in block.runs if r.placeholder or r.text.strip()]
            if len(marks) == 1 and marks[0].placeholder:
                blocks[i] = marks[0].placeholder


def _mark_block(block, index: PendingIndex) -> None:
    if isinstance(block, n.Paragraph):
        if block.role == "todo" and not any(r.placeholder for r in block.runs):
            block.runs = [n.Run("", placeholder=_placeholder(block.text, index))]
            block.role = "body"
        block.runs = _mark_runs(block.runs, index)
    elif isinstance(block, n.ListBlock):
        block.items = [_mark_runs(item, index) for item in block.items]
    elif isinstance(block, n.Table):
        for row in block.rows:
            for cell in row:
                if cell.placeholder is None and PENDING.search(cell.text):
                    cell.placeholder = _placeholder(cell.text, index)
                    cell.text = ""
    elif isinstance(block, n.Figure) and block.data is not None:
        _mark_block(block.data, index)


def _mark_runs(runs: list[n.Run], index: PendingIndex) -> list[n.Run]:
    result: list[n.Run] = []
    for run in runs:
        m = PENDING.search(run.text) if run.placeholder is None else None
        if not m:
            result.append(run)
            continue
        rest = run.text[m.start():]
        found = index.find(rest)
        end = len(found[0]) if found and rest.startswith(found[0]) else len(rest)
        before, pending, after = run.text[:m.start()], rest[:end], rest[end:]
        if before:
            result.append(dataclasses.replace(run, text=before))
        result.append(dataclasses.replace(run, text="",
                                          placeholder=_placeholder(pending, index, found)))
        if after:
            result.extend(_mark_runs([dataclasses.replace(run, text=after)], index))
    return result


def _placeholder(text: str, index: PendingIndex, found=None) -> n.Placeholder:
    found = found or index.find(text.strip())
    if not found:
        return n.Placeholder(strip_marker(text), Location(), code=TEXT_CODE)
    what, where = strip_marker(found[0]), found[1]
    if index.codes.get(found[0]) == CITED_CODE:
        return n.Placeholder(what, where, code="placeholder.cited_figure")
    if where.file.endswith("apr.toml"):
        return n.Placeholder(what, where, code="placeholder.setting")
    if where.file.endswith(".md"):
        return n.Placeholder(what, where, code="placeholder.narrative")
    return n.Placeholder(what, where, code="placeholder.data")


# --- findings -------------------------------------------------------------------------------

WHAT_TO_DO = {
    "narrative.missing": "write it in this file (Markdown)",
    "placeholder.narrative": "replace this text in the file with your own",
    "placeholder.setting": "replace this text in apr.toml",
    "placeholder.data": "replace this text in the data with your own",
    "placeholder.template": "supply it where the marker says",
    TEXT_CODE: "find this text in your templates, narrative or data and replace it",
    CITED_CODE: "add it to this file, or write the figure in the narrative instead of [[...]]",
    "finance.missing_reason": "add it in the 'reason' column",
}


def placeholder_findings(placeholders: Iterable[n.Placeholder], findings: Findings) -> None:
    """Add one warning per distinct placeholder, saying how many markers show it."""
    counts: dict[tuple, int] = {}
    first: dict[tuple, n.Placeholder] = {}
    for p in placeholders:
        counts[p.key] = counts.get(p.key, 0) + 1
        first.setdefault(p.key, p)
    for key, p in first.items():
        times = f" (shown {counts[key]} times)" if counts[key] > 1 else ""
        todo = WHAT_TO_DO.get(p.code, WHAT_TO_DO["placeholder.template"])
        if p.code == "placeholder.template" and p.where.file:
            todo = "set it in apr.toml" if p.where.column else \
                "add it in this file" if p.where.row is None else todo
        row = p.where.row
        if row is None and p.where.column and p.where.file.endswith("apr.toml"):
            row = setting_line(_read_lines(Path(p.where.file)), p.where.column)
        findings.warning(p.code, f"to be completed: {p.text.rstrip('.')}{times}; {todo}",
                         p.where.file, row, p.where.column)


TABLE = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
KEY = re.compile(r"^\s*(\"[^\"]*\"|[A-Za-z0-9_-]+)\s*=")


def setting_line(lines: list[str], setting: str) -> int | None:
    """Return the apr.toml line that holds a dotted setting (``best_value.auditor``): its
    ``[table]`` header, or its ``key =`` line in its table; None when it is not in the file
    (a template names a setting still to be added)."""
    table = ""
    for number, line in enumerate(lines, start=1):
        header = TABLE.match(line)
        if header:
            table = ".".join(part.strip().strip('"') for part in header.group(1).split("."))
            if table == setting:
                return number
            continue
        key = KEY.match(line)
        if key and (f"{table}.{key.group(1).strip(chr(34))}" if table else
                    key.group(1).strip(chr(34))) == setting:
            return number
    return None


PLACEHOLDER_CODES = frozenset(WHAT_TO_DO)

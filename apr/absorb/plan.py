"""Working out what an edited Word draft changes in the project's narrative files."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..config import display_path
from ..findings import Findings, Location
from .markdown import carry, from_spans
from .marks import Mark, Marks, digest
from .reader import Draft, Para, Span

BODY_STYLES = {"", "normal", "bodytext", "listbullet", "listnumber", "callouttext", "lead"}
LIST_LINE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")


@dataclass
class Entry:
    """A narrative paragraph as it stands in the edited draft (``mark`` None: typed in Word)."""

    mark: Mark | None
    para: Para
    text: str
    spans: list[Span]
    dest: str                      # the narrative file it belongs in now


@dataclass
class Review:
    """What absorb found: new text per file, things to review, problems."""

    changes: dict[Path, tuple[str, str]] = field(default_factory=dict)   # file -> (old, new)
    findings: Findings = field(default_factory=Findings)
    comments: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)


class Planner:
    """Reads a draft's paragraphs in order and builds the new text of each narrative file."""

    def __init__(self, draft: Draft, project: Path, accept: bool):
        self.draft, self.project, self.accept = draft, project, accept
        self.marks: Marks = draft.marks
        self.review = Review()
        self.entries: list[Entry] = []
        self.built_order = list(self.marks.marks)

    # -- where things are -----------------------------------------------------------------

    def path(self, name: str) -> Path:
        return self.project / "content" / f"{name}.md"

    def where(self, mark: Mark | None, section: str = "") -> Location:
        if mark is not None and mark.kind == "narrative":
            return Location(display_path(self.path(mark.file)), mark.first)
        title = (mark.section if mark else section) or "the opening pages"
        return Location(f"the draft, under the heading '{title}'")

    # -- reading the draft ------------------------------------------------------------------

    def read(self) -> Review:
        last: Entry | None = None
        place: Mark | None = None
        seen: set[str] = set()
        for para in self.draft.paras:
            ours = [self.marks.marks[m] for m in para.marks if m in self.marks.marks]
            place = next(iter(ours), place)
            self.note_review(para, place)
            if not para.exists(self.accept):
                continue
            narrative = [m for m in ours if m.kind == "narrative" and m.name not in seen]
            seen.update(m.name for m in ours)
            if any(m.kind != "narrative" for m in ours):
                self.check_generated(para, [m for m in ours if m.kind == "generated"])
                last = None
            if narrative:
                last = self.add(narrative[0], para, last)
            elif not ours and last is not None and self.typed(para):
                last = self.add(None, para, last)
        self.check_missing_generated(seen)
        self.build_files(seen)
        return self.review

    def typed(self, para: Para) -> bool:
        """True for a paragraph typed in Word among narrative paragraphs (not a caption...)."""
        return bool(para.text(self.accept).strip()) and \
            para.style.lower().replace(" ", "") in BODY_STYLES

    def add(self, mark: Mark | None, para: Para, last: Entry | None) -> Entry:
        dest = mark.file if mark else last.dest
        if mark and last and last.dest != mark.file and not self.adjacent_at_build(mark):
            dest = last.dest
        spans = para.view(self.accept)
        entry = Entry(mark, para, "".join(s.text for s in spans), spans, dest)
        self.entries.append(entry)
        return entry

    def adjacent_at_build(self, mark: Mark) -> bool:
        """True when, as built, MARK came straight after another narrative file's text."""
        at = self.built_order.index(mark.name)
        before = self.marks.marks[self.built_order[at - 1]] if at else None
        return before is not None and before.kind == "narrative" and before.file != mark.file

    # -- review list: comments, pending changes, generated text -------------------------------

    def note_review(self, para: Para, place: Mark | None) -> None:
        where = self.where(place)
        for ident in para.comments:
            comment = self.draft.comments.get(ident)
            if comment is not None:
                date = f", {comment.date[:10]}" if comment.date else ""
                self.review.comments.append(f"{where}: comment by {comment.author or 'someone'}"
                                            f"{date}: {comment.text}")
        for kind, author, date, text in _changes(para):
            verb = "inserted" if kind == "ins" else "deleted"
            done = "carried as accepted" if self.accept else \
                "not carried: accept or reject it in Word, or absorb with --accept-changes"
            self.review.pending.append(f"{where}: {author or 'someone'}{date and ', ' + date[:10]}"
                                       f" {verb} '{text}' ({done})")

    def check_generated(self, para: Para, marks: list[Mark]) -> None:
        for mark in marks:
            text = para.text(self.accept)
            if digest(text) != mark.sha256:
                self.generated(mark, f"this paragraph was edited in Word; it now reads "
                               f"'{_short(text)}'")

    def check_missing_generated(self, seen: set[str]) -> None:
        for mark in self.marks.marks.values():
            if mark.kind == "table":
                shown = self.draft.tables.get(mark.name)
                if mark.name not in seen or shown is None:
                    self.generated(mark, "this table was deleted in Word")
                elif digest(shown) != mark.sha256:
                    self.generated(mark, "this table was edited in Word")
            elif mark.kind == "generated" and mark.name not in seen:
                self.generated(mark, "a paragraph apr generated here was deleted in Word")

    def generated(self, mark: Mark, what: str) -> None:
        template = find_template(self.project, mark.section_id)
        if mark.kind == "table":
            source = f"the table {mark.data} is built from the project's data"
            todo = "correct the figures in the data file it comes from (its source line " \
                "says which) or the setting behind it, then build again"
        else:
            source = (f"it is generated by the template {template} from the project's data "
                      "and apr.toml")
            todo = (f"change the data or setting it is made from, or the wording in {template} "
                    "(`apr templates eject` copies apr's template into your project)")
        self.review.findings.warning(
            "absorb.generated_edit", f"{what}, but {source}, not narrative, so absorb does "
            f"not carry it back; {todo}", str(self.where(mark)))

    # -- the new files --------------------------------------------------------------------------

    def build_files(self, seen: set[str]) -> None:
        names = {m.file for m in self.marks.marks.values() if m.kind == "narrative"}
        names |= {e.dest for e in self.entries}
        for name in sorted(names):
            self.build_file(name)

    def build_file(self, name: str) -> None:
        path = self.path(name)
        if not path.is_file():
            self.review.findings.error("absorb.file_missing", (
                f"the draft has narrative from {display_path(path)}, which no longer exists; "
                "put the file back, or build the draft again"), display_path(path))
            return
        old = _read(path)
        new = self.assemble(name, old)
        if new == old:
            return
        if digest(old) != self.marks.files.get(name):
            self.review.findings.error("absorb.file_changed", (
                "this file changed after the draft was built, so the edits made in Word "
                "may no longer fit it; build the draft again, or carry the edits by hand"),
                display_path(path))
            return
        self.review.changes[path] = (old, new)

    def assemble(self, name: str, text: str) -> str:
        units = sorted((m for m in self.marks.marks.values()
                        if m.kind == "narrative" and m.file == name), key=lambda m: m.first)
        mine = [e for e in self.entries if e.dest == name]
        stable = _stable([e for e in mine if e.mark and e.mark.file == name])
        after: dict[str | None, list[Entry]] = {}
        anchor = None
        for entry in mine:
            if entry.mark and entry.mark.name in stable:
                anchor = entry.mark.name
            else:
                after.setdefault(anchor, []).append(entry)
        placed = {e.mark.name: e for e in mine if e.mark and e.mark.name in stable}
        return self.emit(text.split("\n"), units, placed, after)

    def emit(self, lines: list[str], units: list[Mark], placed: dict[str, Entry],
             after: dict[str | None, list[Entry]]) -> str:
        out: list[str] = []
        pos = 1
        lead = after.pop(None, [])
        for unit in units:
            out.extend(lines[pos - 1:unit.first - 1])
            pos = unit.last + 1
            entry = placed.get(unit.name)
            if entry is None:
                if pos <= len(lines) and not lines[pos - 1].strip() and (not out or not out[-1]):
                    pos += 1     # the blank line after a deleted paragraph goes too
                continue
            for extra in lead:
                out.extend([*self.markdown(extra).split("\n"), ""])
            lead = []
            out.extend(self.markdown(entry).split("\n"))
            for extra in after.get(unit.name, []):
                md = self.markdown(extra)
                joined = LIST_LINE.match(md) and LIST_LINE.match(out[-1] if out else "")
                out.extend(md.split("\n") if joined else ["", *md.split("\n")])
        out.extend(lines[pos - 1:])
        if lead:
            out.extend(["", *[x for e in lead for x in (self.markdown(e), "")]])
        return "\n".join(out)

    def markdown(self, entry: Entry) -> str:
        """Return the Markdown an entry should have now."""
        if entry.mark is None:
            prefix = "- " if entry.para.style.lower().startswith("list") else ""
            return from_spans(prefix, entry.spans)
        mark = entry.mark
        source = "\n".join(_read(self.path(mark.file)).split("\n")[mark.first - 1:mark.last])
        carried = carry(source, mark.text, entry.text, entry.spans)
        if carried.figures:
            self.review.findings.warning("absorb.cited_figure", (
                f"the figure {', '.join(carried.figures)} comes from the data, and the edit in "
                "Word changed it; the paragraph is left as it was: correct the data file the "
                "figure comes from (docs/narrative-figures.md) and make the paragraph's other "
                "edits by hand"), str(self.where(mark)))
        elif carried.note:
            self.review.findings.warning("absorb.markup_rewritten", carried.note,
                                         str(self.where(mark)))
        return carried.source


def _stable(own: list[Entry]) -> set[str]:
    """Return the marks that stay where they were: the longest run in their original order
    (the others were moved in Word)."""
    firsts = [e.mark.first for e in own]
    best: list[list[int]] = []
    for i, value in enumerate(firsts):
        chain = max((c for c in best if firsts[c[-1]] < value), key=len, default=[])
        best.append([*chain, i])
    longest = max(best, key=len, default=[])
    return {own[i].mark.name for i in longest}


def _changes(para: Para) -> list[tuple[str, str, str, str]]:
    """Return the pending tracked changes of a paragraph: (kind, author, date, text)."""
    out: list[tuple[str, str, str, str]] = []
    for span in para.spans:
        if not span.change:
            continue
        if out and out[-1][:3] == (span.change, span.author, span.date):
            out[-1] = (*out[-1][:3], out[-1][3] + span.text)
        else:
            out.append((span.change, span.author, span.date, span.text))
    return out


def _short(text: str, size: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[:size - 3] + "..."


def _read(path: Path) -> str:
    """Return a narrative file's text as apr's build reads it (UTF-8, UTF-16, Windows-1252)."""
    from ..sources import _narrative_text
    text = _narrative_text(path.read_bytes(), str(path), Findings())
    return (text or "").replace("\r\n", "\n")


def find_template(project: Path, section_id: str) -> str:
    """Return the template that writes the section whose heading has anchor SECTION_ID: the
    project's copy in templates/ if there is one, else apr's; 'the report's templates' if
    none says so."""
    from ..resources import templates_dir
    pattern = re.compile(r"\{\s*#" + re.escape(section_id) + r"\s*\}") if section_id else None
    for folder, shown in ((project / "templates", "templates/"), (templates_dir(), "")):
        if pattern is None or not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.j2")):
            if pattern.search(path.read_text(encoding="utf-8", errors="replace")):
                return f"{shown}{path.name}"
    return "the report's templates"

"""``apr absorb``: carrying edits made in Word to a draft back into the narrative files.

apr marks every narrative paragraph of a Word draft with a bookmark and records, in a custom
XML part of the .docx, the file and lines each came from (``marks.py``). absorb reads the
edited draft (``reader.py``), works out the new text of each narrative file (``plan.py``,
inline Markdown kept as ``markdown.py`` explains), and lists comments, pending tracked
changes and edits to generated text for someone to act on.
"""
from __future__ import annotations

import difflib
from pathlib import Path

from ..config import display_path
from ..findings import AprError, Findings
from .plan import Planner, Review
from .reader import NotADraft, read_draft


def review_draft(docx: Path, project: Path, accept: bool = False) -> Review:
    """Return what the edited draft DOCX changes in PROJECT; raise AprError when it cannot
    be read or carries no marks."""
    shown = display_path(docx)
    problems = Findings()
    if not docx.is_file():
        problems.error("absorb.not_docx", "there is no such file; give the path of the Word "
                       "draft that was reviewed", shown)
        raise AprError(problems)
    try:
        draft = read_draft(docx)
    except NotADraft as exc:
        problems.error("absorb.not_docx", f"this file {exc}; give the .docx apr built "
                       "(Word: File > Save As > Word Document)", shown)
        raise AprError(problems) from None
    if draft.marks is None:
        problems.error("absorb.no_marks", "this Word file has none of the marks apr puts in "
                       "its drafts (it was not built by apr, by an apr without `apr absorb`, "
                       "or saved in a format that drops them, such as .doc or .odt); build the "
                       "draft again with `apr build` and make the edits in that file", shown)
        raise AprError(problems)
    return Planner(draft, project, accept).read()


def diff(review: Review) -> str:
    """Return the changes as one unified diff, file by file."""
    out = []
    for path, (old, new) in review.changes.items():
        name = display_path(path)
        out.extend(difflib.unified_diff(old.splitlines(keepends=True),
                                        new.splitlines(keepends=True), name, name))
        if out and not out[-1].endswith("\n"):
            out[-1] += "\n"
    return "".join(out)


def write_changes(review: Review) -> list[Path]:
    """Write every changed file, each all or nothing, keeping its line endings."""
    from ..output import write_all
    rendered, paths = {}, {}
    for path, (_, new) in review.changes.items():
        data = path.read_bytes()
        text = new.replace("\n", "\r\n") if b"\r\n" in data else new
        key = str(path)
        rendered[key], paths[key] = _encoded(text, data), path
    return write_all(rendered, paths)


def _encoded(text: str, before: bytes) -> bytes:
    """Return TEXT in the encoding the file had (UTF-8 with or without a byte order mark,
    UTF-16 with one); a file in Windows-1252 is written as UTF-8, as apr asks."""
    if before.startswith((b"\xff\xfe", b"\xfe\xff")):
        return text.encode("utf-16")
    bom = "\ufeff" if before.startswith(b"\xef\xbb\xbf") else ""
    return (bom + text).encode("utf-8")

"""Helpers for finance, locality, inspection and lead-agency scenario tests: a copy of the sample
project to edit, a fast build (charts replaced by a 1-pixel PNG), and the built report reopened
as parsed HTML and as a python-docx Document."""
from __future__ import annotations

import base64
import csv
import re
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from lxml import html as lxml_html

from apr import pipeline
from tests.conftest import copy_sample

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5E"
    "rkJggg==")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def project(tmp_path: Path) -> Path:
    """Return a fresh copy of sample_inputs in tmp_path."""
    return copy_sample(tmp_path / "project")


def edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` (which must be present) with ``new`` in a text file."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def rewrite_csv(path: Path, change) -> None:
    """Rewrite a CSV file, passing each row (a dict) through ``change`` (None drops it)."""
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        fields, rows = reader.fieldnames, list(reader)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        for row in rows:
            row = change(row)
            if row is not None:
                writer.writerow(row)


@dataclass
class Built:
    result: object
    page: object                 # lxml HTML tree
    word: object | None          # python-docx Document

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", self.page.text_content())

    @property
    def word_text(self) -> str:
        return re.sub(r"\s+", " ", "\n".join(p.text for p in self.word.paragraphs))

    def codes(self) -> list[str]:
        return [f.code for f in self.result.findings]


def build(proj: Path, monkeypatch, formats=("html", "docx"), strict: bool = False) -> Built:
    """Build the 2023/24 report quickly and reopen what was written."""
    monkeypatch.setattr(pipeline, "draw_chart", lambda spec: PNG)
    result = pipeline.build(proj, 2023, tuple(formats), strict=strict)
    paths = {p.suffix: p for p in result.outputs}
    page = lxml_html.fromstring(paths[".html"].read_bytes()) if ".html" in paths else None
    word = docx.Document(str(paths[".docx"])) if ".docx" in paths else None
    return Built(result, page, word)


def build_once(tmp_path_factory, name: str):
    """Build a fresh copy of the sample once (for a module-scoped fixture: ``yield from``),
    with charts stubbed, and undo the stub afterwards."""
    mp = pytest.MonkeyPatch()
    try:
        yield build(project(tmp_path_factory.mktemp(name)), mp)
    finally:
        mp.undo()


def html_table(page, caption: str) -> list[list[str]]:
    """Return the rows (header row first) of the HTML table whose caption contains ``caption``."""
    for table in page.iter("table"):
        cap = table.find("caption")
        if cap is not None and caption in cap.text_content():
            return [[c.text_content().strip() for c in tr if c.tag in ("th", "td")]
                    for tr in table.iter("tr")]
    raise AssertionError(f"no HTML table captioned {caption!r}")


def word_table(document, caption: str, *also: str) -> list[list[str]]:
    """Return the rows of the Word table whose caption (w:tblCaption) contains ``caption`` (and
    each of ``also``)."""
    for table in document.tables:
        cap = table._tbl.tblPr.find(f"{W}tblCaption")
        text = (cap.get(f"{W}val") or "") if cap is not None else ""
        if cap is not None and all(part in text for part in (caption, *also)):
            # a header may hold a zero-width space after a slash (where a line may break):
            # invisible, so compared as the reader sees the text
            return [[c.text.replace("\u200b", "") for c in row.cells] for row in table.rows]
    raise AssertionError(f"no Word table captioned {caption!r}")


def has_table(page, caption: str) -> bool:
    return any(t.find("caption") is not None and caption in t.find("caption").text_content()
               for t in page.iter("table"))


def row(rows: list[list[str]], first: str) -> list[str]:
    """Return the row whose first cell starts with ``first``."""
    for r in rows:
        if r and r[0].startswith(first):
            return r
    raise AssertionError(f"no row starting {first!r} in {[r[0] for r in rows if r]}")


def unwrap(text: str) -> str:
    """Return apr's printed findings with each finding on one line again: the detail lines
    (indented by four spaces) joined to the first line, before its [code]. Asserts that every
    printed line is under 200 characters, as docs/findings.md promises."""
    out: list[str] = []
    for line in text.splitlines():
        assert len(line) < 200, line
        if line.startswith("    ") and out and " [" in out[-1]:
            head, code = out[-1].rsplit(" [", 1)
            out[-1] = f"{head} {line.strip()} [{code}"
        else:
            out.append(line)
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")

# --- "To be completed" markers as a reader sees them ------------------------------------------

MARKER = "To be completed"


def html_visible_text(path: Path) -> str:
    """Return the text a reader of the HTML page sees: the body without scripts and styles."""
    page = lxml_html.fromstring(path.read_bytes())
    body = page.find("body")
    for hidden in body.xpath(".//script | .//style | .//template"):
        hidden.getparent().remove(hidden)
    return body.text_content()


def docx_texts(path: Path) -> list[str]:
    """Return the text of every paragraph of a .docx body: the paragraphs, then the paragraphs
    of every table cell (nested tables too); page headers and footers are not included."""
    document = docx.Document(str(path))

    def cells(tables):
        for table in tables:
            for tr in table.rows:
                for cell in tr.cells:
                    yield from (p.text for p in cell.paragraphs)
                    yield from cells(cell.tables)

    return [p.text for p in document.paragraphs] + list(cells(document.tables))


def marker_counts(paths) -> dict[str, int]:
    """Return how many "To be completed" markers each of the .html and .docx files shows."""
    counts = {}
    for path in map(Path, paths):
        if path.suffix == ".html":
            counts["html"] = html_visible_text(path).count(MARKER)
        elif path.suffix == ".docx":
            counts["docx"] = sum(text.count(MARKER) for text in docx_texts(path))
    return counts

"""Reading a .docx apr wrote and someone edited: paragraphs with their marks, the text as it
reads with pending tracked changes accepted or not, the changes themselves and the comments."""
from __future__ import annotations

import zipfile
from dataclasses import dataclass, field

from lxml import etree

from .marks import NS as MARKS_NS
from .marks import Marks

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
INSERTED = {f"{{{W}}}ins", f"{{{W}}}moveTo"}
DELETED = {f"{{{W}}}del", f"{{{W}}}moveFrom"}
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass
class Span:
    """A piece of a paragraph's text with its formatting, link and tracked-change state."""

    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None
    change: str = ""          # "", "ins" or "del"
    author: str = ""
    date: str = ""


@dataclass
class Para:
    """One paragraph of the edited document, in reading order."""

    index: int
    style: str
    spans: list[Span]
    marks: list[str] = field(default_factory=list)        # apr bookmark names starting here
    comments: list[str] = field(default_factory=list)     # ids of comments starting here
    mark_change: str = ""     # the paragraph mark itself inserted ("ins") or deleted ("del")
    element: object = None

    def text(self, accept: bool) -> str:
        return "".join(s.text for s in self.view(accept))

    def view(self, accept: bool) -> list[Span]:
        """Return the spans a reader sees with pending changes accepted (or rejected)."""
        drop = "del" if accept else "ins"
        return [s for s in self.spans if s.change != drop]

    def exists(self, accept: bool) -> bool:
        """False when the paragraph is there only as a pending insertion (or deletion)."""
        gone = "ins" if not accept else "del"
        return not (self.mark_change == gone and not self.text(accept).strip())


@dataclass
class Comment:
    ident: str
    author: str
    date: str
    text: str


@dataclass
class Draft:
    """What absorb reads from a .docx."""

    paras: list[Para]
    comments: dict[str, Comment]
    marks: Marks | None
    tables: dict[str, str]      # apr_t_ mark -> the text of the table after its caption


class NotADraft(Exception):
    """The file is not a .docx apr can read (message says why)."""


def read_draft(path) -> Draft:
    """Return the paragraphs, comments, tables and apr's marks of the .docx at PATH."""
    try:
        with zipfile.ZipFile(path) as z:
            parts = {name: z.read(name) for name in z.namelist()
                     if name.endswith((".xml", ".rels"))}
    except (zipfile.BadZipFile, OSError) as exc:
        raise NotADraft(f"cannot be read as a Word .docx file ({exc})") from None
    if "word/document.xml" not in parts:
        raise NotADraft("is a zip file but not a Word document (no word/document.xml)")
    try:
        links = _links(parts.get("word/_rels/document.xml.rels", b""))
        body = etree.fromstring(parts["word/document.xml"], PARSER).find(w("body"))
        paras, tables = _paragraphs(body if body is not None else [], links)
        return Draft(paras, _comments(parts.get("word/comments.xml")), _marks(parts), tables)
    except etree.XMLSyntaxError as exc:
        raise NotADraft(f"is damaged: a part of it is not well-formed XML ({exc})") from None


def _marks(parts: dict[str, bytes]) -> Marks | None:
    for name, data in sorted(parts.items()):
        if name.startswith("customXml/item") and MARKS_NS.encode() in data[:400]:
            return Marks.from_xml(data)
    return None


def _links(rels: bytes) -> dict[str, str]:
    if not rels:
        return {}
    root = etree.fromstring(rels, PARSER)
    return {el.get("Id"): el.get("Target") for el in root}


def _comments(data: bytes | None) -> dict[str, Comment]:
    if not data:
        return {}
    out = {}
    for el in etree.fromstring(data, PARSER).iter(w("comment")):
        text = "\n".join("".join(t.text or "" for t in p.iter(w("t"))) for p in el.iter(w("p")))
        ident = el.get(w("id"))
        out[ident] = Comment(ident, el.get(w("author"), ""), el.get(w("date"), ""), text.strip())
    return out


def _paragraphs(body, links: dict[str, str]) -> tuple[list[Para], dict[str, str]]:
    """Return the paragraphs in reading order, each with the marks and comments starting in
    it (one between paragraphs belongs to the next), and the text of each marked table."""
    paras: list[Para] = []
    pending_marks: list[str] = []
    pending_comments: list[str] = []
    tables: dict[str, str] = {}
    elements = body.iter(w("p"), w("bookmarkStart"), w("commentRangeStart"), w("tbl")) \
        if len(body) else []
    for el in elements:
        if el.tag == w("tbl"):
            _table_after_caption(el, paras, tables)
        elif el.tag == w("p"):
            para = paragraph(el, links, len(paras))
            para.marks[:0], para.comments[:0] = pending_marks, pending_comments
            pending_marks, pending_comments = [], []
            paras.append(para)
        elif _parent_p(el) is None:
            target = pending_marks if el.tag == w("bookmarkStart") else pending_comments
            target.append(el.get(w("name")) if el.tag == w("bookmarkStart") else el.get(w("id")))
    return paras, tables


def _table_after_caption(tbl, paras: list[Para], tables: dict[str, str]) -> None:
    if not paras:
        return
    for name in paras[-1].marks:
        if name.startswith("apr_t_"):
            tables[name] = table_text(tbl)


def table_text(tbl) -> str:
    """Return a table's text as shown, cells joined by " | ", rows by new lines."""
    rows = []
    for tr in tbl.iter(w("tr")):
        cells = [" ".join(paragraph(p, {}, 0).text(True) for p in tc.iter(w("p")))
                 for tc in tr.iter(w("tc"))]
        rows.append(" | ".join(cells))
    return "\n".join(rows)


def _parent_p(el):
    parent = el.getparent()
    while parent is not None and parent.tag != w("p"):
        parent = parent.getparent()
    return parent


def paragraph(p, links: dict[str, str], index: int) -> Para:
    """Return one w:p as a Para: its spans, marks, comments and paragraph-mark change."""
    style = p.find(f"{w('pPr')}/{w('pStyle')}")
    para = Para(index, style.get(w("val")) if style is not None else "", [], element=p)
    rpr = p.find(f"{w('pPr')}/{w('rPr')}")
    if rpr is not None:
        para.mark_change = ("ins" if rpr.find(w("ins")) is not None else
                            "del" if rpr.find(w("del")) is not None else "")
    for el in p.iter(w("r"), w("bookmarkStart"), w("commentRangeStart")):
        if _parent_p(el) is not p:
            continue
        if el.tag == w("r"):
            para.spans.extend(_run_spans(el, p, links))
        elif el.tag == w("bookmarkStart"):
            para.marks.append(el.get(w("name"), ""))
        else:
            para.comments.append(el.get(w("id")))
    return para


def _run_spans(run, p, links: dict[str, str]) -> list[Span]:
    change, author, date, link = "", "", "", None
    parent = run.getparent()
    while parent is not None and parent is not p:
        if parent.tag in INSERTED | DELETED and not change:
            change = "ins" if parent.tag in INSERTED else "del"
            author, date = parent.get(w("author"), ""), parent.get(w("date"), "")
        elif parent.tag == w("hyperlink") and link is None:
            anchor = parent.get(w("anchor"))
            link = f"#{anchor}" if anchor else links.get(parent.get(f"{{{R}}}id"))
        parent = parent.getparent()
    rpr = run.find(w("rPr"))
    bold, italic = _on(rpr, "b"), _on(rpr, "i")
    text = []
    for child in run:
        if child.tag in (w("t"), w("delText")):
            text.append(child.text or "")
        elif child.tag == w("tab"):
            text.append("\t")
        elif child.tag in (w("br"), w("cr")) and child.get(w("type")) in (None, "textWrapping"):
            text.append(" ")
        elif child.tag == w("noBreakHyphen"):
            text.append("-")
    joined = "".join(text)
    return [Span(joined, bold, italic, link, change, author, date)] if joined else []


def _on(rpr, tag: str) -> bool:
    if rpr is None:
        return False
    el = rpr.find(w(tag))
    return el is not None and el.get(w("val"), "true") not in ("0", "false", "off")


def element_text(p) -> str:
    """Return the text of a w:p element as apr wrote it (for the marks' record)."""
    return paragraph(p, {}, 0).text(True)

"""The text of a built report as lines a person can read and diff: headings, paragraphs and
table rows in document order, whitespace normalised. Used by the wording tests and the golden
files (tests/golden/*.txt); never compares zip bytes or HTML markup."""
from __future__ import annotations

import re
from pathlib import Path

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import html as lxml_html

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


def squash(text: str) -> str:
    """Return ``text`` with every run of whitespace made one space, trimmed."""
    return re.sub(r"\s+", " ", text).strip()


def docx_lines(path: Path) -> list[str]:
    """Return the body of a .docx as lines: '# ' before headings (one '#' per level), '| '
    between table cells, 'alt: ' before each picture's description; empty paragraphs left out."""
    document = docx.Document(str(path))
    lines: list[str] = []
    for element in document.element.body.iterchildren():
        if element.tag == f"{W}p":
            lines.extend(_paragraph_lines(Paragraph(element, document)))
        elif element.tag == f"{W}tbl":
            lines.extend(_table_lines(Table(element, document)))
    return lines


def _paragraph_lines(paragraph: Paragraph) -> list[str]:
    lines = [f"alt: {squash(d.get('descr'))}" for d in paragraph._p.iter(f"{WP}docPr")
             if d.get("descr")]
    text = squash(paragraph.text)
    if text:
        style = paragraph.style.name if paragraph.style is not None else ""
        level = re.fullmatch(r"Heading (\d)", style)
        lines.append(("#" * int(level.group(1)) + " " if level else "") + text)
    return lines


def _table_lines(table: Table) -> list[str]:
    caption = table._tbl.tblPr.find(f"{W}tblCaption")
    lines = [f"table: {squash(caption.get(f'{W}val'))}"] if caption is not None else []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue  # a merged cell is listed once per grid column by python-docx
            seen.add(id(cell._tc))
            cells.append(squash(cell.text))
        lines.append("| " + " | ".join(cells))
    return lines


BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "caption", "figcaption", "summary",
          "tr", "dt", "dd", "title"}


def html_lines(path: Path) -> list[str]:
    """Return the visible text of an HTML page as lines, one per heading, paragraph, list item,
    caption, disclosure summary and table row ('| ' between cells); 'alt: ' before image
    descriptions; the page <title> first as 'title: '."""
    page = lxml_html.fromstring(path.read_bytes())
    for hidden in page.xpath("//script | //style | //template"):
        hidden.getparent().remove(hidden)
    lines = [f"title: {squash(page.findtext('.//title') or '')}"]
    for element in page.find("body").iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "img" and element.get("alt"):
            lines.append(f"alt: {squash(element.get('alt'))}")
        elif element.tag in BLOCKS and not _inside_block(element):
            fact = element.tag == "li" and element.xpath(
                "ancestor::*[contains(concat(' ', @class, ' '), ' key-facts ')]")
            lines.append(("fact: " if fact else "") + _block_text(element))
    return [line for line in lines if line.strip() not in ("", "#", "|")]


def _inside_block(element) -> bool:
    parent = element.getparent()
    while parent is not None:
        if parent.tag in BLOCKS - {"li"} or (parent.tag == "li" and element.tag != "p"):
            return True
        parent = parent.getparent()
    return False


def _block_text(element) -> str:
    if element.tag == "tr":
        return "| " + " | ".join(squash(c.text_content()) for c in element
                                 if c.tag in ("th", "td"))
    prefix = "#" * int(element.tag[1]) + " " if re.fullmatch(r"h\d", element.tag) else ""
    return prefix + squash(element.text_content())

"""HTML writer: one self-contained, accessible HTML5 file from a Document.

The page shell (cover, landmarks, styles) is the Jinja template ``styles/report.html.j2``; the
body is written here by one visit method per node type.  CSS is inlined and images are embedded
as ``data:`` URIs, so the file can be mailed or published as it is.

Heading levels.  The document title is the page's only ``<h1>``, in the cover (``<header>``).
A node ``Heading(level=n)`` becomes ``<h{n+1}>``: level 1 -> ``<h2>``, level 2 -> ``<h3>``,
level 3 -> ``<h4>``, level 4 -> ``<h5>``.  The Contents navigation is headed by an ``<h2>``.
A heading is never more than one level below the previous one: if a template jumps (a level 3
straight after a level 1) it is lifted to the next level down (``<h3>``, not ``<h4>``), so
heading order never skips (WCAG 1.3.1, axe ``heading-order``).  Callout titles are not headings.

Ids.  Heading, table and figure ids come from the nodes.  Any id used twice is made unique by a
``-2``, ``-3`` ... suffix (first use keeps it), and contents links follow the renamed ids.
Generated ids (callouts, captions) are numbered in document order, so output is deterministic.

The print variant (``render_html(doc, for_print=True)``) is the page apr/writers/pdf.py prints
as PDF; the published page is never changed for print.  In it figures are numbered ("Figure 3:
..."), the table of data behind each chart moves from beside the chart to an appendix at the end
("Data for Figure 3: ..."), each contents entry has an empty slot of fixed width for its page
number (filled in by the PDF writer once it knows the pages), and the running page header
carries the report's title.  Print layout itself is ``styles/print.css``, used by both variants.
"""
from __future__ import annotations

import base64
import re
import struct
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache

import jinja2
from markupsafe import Markup, escape

from apr.document.chart_data import move_chart_data
from apr.document.nodes import (
    Callout,
    Cell,
    Contents,
    Document,
    Figure,
    Heading,
    ListBlock,
    PageBreak,
    Paragraph,
    Placeholder,
    Run,
    Table,
)
from apr.document.templating import TemplateCache
from apr.resources import styles_dir

TEMPLATE_NAME = "report.html.j2"
CSS_NAME = "report.css"
PRINT_CSS_NAME = "print.css"
CHART_DATA_ID = "chart-data"
LANDSCAPE_COLUMNS = 11   # tables this wide are printed on landscape pages ...
LANDSCAPE_TEXT = 60      # ... and tables of 8 or more columns with a text this long after the first
TODO_MARKER = "To be completed:"
CONTENTS_MAX_LEVEL = 2
SAFE_LINK = re.compile(r"^(https?:|mailto:|tel:|#|/|\.{0,2}/)|^[^:]*$", re.IGNORECASE)
ALIGN_CLASSES = {"left": "", "right": "num", "center": "centre", "centre": "centre"}


def _todo_mark(placeholder: Placeholder) -> str:
    """Return a "To be completed" marker inside a sentence or a table cell."""
    return f'<mark class="todo"><strong>{TODO_MARKER}</strong> {escape(placeholder.text)}</mark>'


CHART_DATA = ("beside", "appendix")
PHONE_CHART_MAX = "37.5rem"   # up to this screen width charts are shown as drawn for phones


def render_html(doc: Document, css: str | None = None, cached: bool = False,
                for_print: bool = False, running_title: str = "",
                chart_data: str = "beside") -> str:
    """Return the whole report as one self-contained HTML5 page (CSS and images inlined).

    ``css`` replaces ``styles/report.css`` when given; ``styles/print.css`` follows it.  With
    ``cached`` the page shell's compiled code is kept in apr's per-user cache (apr/cache.py),
    as the report templates' is: compiling it took about 15 ms of every build.
    ``for_print`` writes the print variant (see the module's docstring), whose pages are headed
    by ``running_title``. ``chart_data`` "appendix" moves the table behind each chart to a
    closing appendix as the Word writer does (apr/document/chart_data.py); the print variant
    makes its own appendix, numbered with its figures.
    """
    if chart_data not in CHART_DATA:
        raise ValueError(f"chart_data must be one of {', '.join(CHART_DATA)}, got {chart_data!r}")
    if chart_data == "appendix":
        doc = move_chart_data(doc)
    style = page_css(doc, css)
    if for_print and running_title:
        style += _running_header_css(running_title)
    writer = HtmlWriter(doc, for_print)
    body = writer.render_blocks(doc.blocks) + writer.chart_data_appendix()
    return _environment(cached).get_template(TEMPLATE_NAME).render(
        meta=doc.meta,
        lang=doc.meta.language or "en-GB",
        is_draft=doc.meta.status.strip().lower() == "draft",
        css=Markup(style),
        body=Markup(body),
        logo_src=_data_uri(doc.meta.logo, "the cover logo"),
        links=brand_links(doc.meta),
        cover_src=_data_uri(doc.meta.cover_image, "the cover picture"),
    )


def page_css(doc: Document, css: str | None = None) -> str:
    """Return the page's stylesheet: ``css`` or apr's report.css, print.css, the colours and
    font the project chose (accent colour, the reference document's heading colour and font),
    then the project's own stylesheet (styles/*.css in the project), so that it wins."""
    style = (_read_css() if css is None else css) + "\n" + _read_css(PRINT_CSS_NAME)
    style += brand_css(doc.meta) + getattr(doc.meta, "stylesheet", "")
    if "</style" in style.lower():
        raise ValueError("the stylesheet contains '</style', which would end the <style> element "
                         "early; remove it from the CSS")
    return style


def brand_css(meta) -> str:
    """Return the CSS variables the project sets: accent colour, heading colour and font."""
    values = {"--accent": getattr(meta, "accent", ""),
              "--heading": getattr(meta, "heading_colour", ""),
              "--font": getattr(meta, "font", "")}
    rules = " ".join(f"{name}: {value};" for name, value in values.items() if value)
    return f"\n:root {{ {rules} }}\n" if rules else ""


def brand_links(meta) -> dict:
    """Return the header and footer links the page shell shows: (text, address) pairs, only
    web, mail and relative addresses."""
    def safe(links) -> list[tuple[str, str]]:
        return [(text, url) for text, url in links or () if SAFE_LINK.match(url.strip())]
    return {"header": safe(getattr(meta, "header_links", ())),
            "footer": safe(getattr(meta, "footer_links", ()))}


def _data_uri(data: bytes, what: str) -> str:
    """Return a picture as a data: URI ("" for none), for the cover's logo and picture."""
    if not data:
        return ""
    mime, _ = _image_type(data, what)
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


@lru_cache(maxsize=4)
def _environment(cached: bool = False) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(styles_dir())),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=TemplateCache() if cached else None,
    )


def _read_css(name: str = CSS_NAME) -> str:
    return (styles_dir() / name).read_text(encoding="utf-8")


def _running_header_css(title: str) -> str:
    """Return the ``@page`` rule that prints ``title`` at the top of every page but the cover."""
    text = re.sub(r"[\x00-\x1f\\\"<>]", lambda m: f"\\{ord(m.group()):x} ", title)
    return f'\n@media print {{ @page {{ @top-center {{ content: "{text}"; }} }} }}\n'


def figure_numbers(doc: Document) -> dict[int, int]:
    """Return each figure's number (1, 2, 3 ... in document order), keyed by id(figure)."""
    figures = [b for b in doc.walk() if isinstance(b, Figure)]
    return {id(figure): n for n, figure in enumerate(figures, start=1)}


def chart_data_title(doc: Document) -> str:
    """Return the heading of the print appendix: the next appendix number after the
    report's own ("Appendix 5: Data for the charts" after four)."""
    count = sum(1 for h in doc.headings(1) if h.text.startswith("Appendix "))
    return f"Appendix {count + 1}: Data for the charts" if count else "Data for the charts"


class HtmlWriter:
    """Turns blocks into HTML fragments; one visit method per node type.

    ``visitors`` maps every node type to its method name; a type without one raises TypeError.
    """

    visitors: dict[type, str] = {
        Heading: "visit_heading",
        Paragraph: "visit_paragraph",
        ListBlock: "visit_list",
        Table: "visit_table",
        Figure: "visit_figure",
        Callout: "visit_callout",
        Placeholder: "visit_todo",
        PageBreak: "visit_page_break",
        Contents: "visit_contents",
    }

    def __init__(self, doc: Document, for_print: bool = False) -> None:
        self.doc = doc
        self.for_print = for_print
        self.used_ids: set[str] = set()
        self.node_ids: dict[int, str] = {}
        self.previous_level = 1  # the <h1> in the cover
        self.min_level = 2
        self.callouts = 0
        self._assign_ids()
        self.numbers = figure_numbers(doc) if for_print else {}
        self.charts = [b for b in doc.walk() if isinstance(b, Figure) and b.data is not None]
        self.chart_data_id = self.unique_id(CHART_DATA_ID) if for_print and self.charts else ""

    # -- dispatch -------------------------------------------------------------------------
    def render_blocks(self, blocks: Iterable[object]) -> str:
        """Return the HTML of blocks, one per line."""
        return "\n".join(self.visit(block) for block in blocks)

    def visit(self, node: object) -> str:
        """Return the HTML of one node; TypeError names a node type with no visitor."""
        name = self.visitors.get(type(node))
        if name is None:
            raise TypeError(f"the HTML writer has no visitor for {type(node).__name__} nodes; "
                            f"add one to HtmlWriter.visitors")
        return getattr(self, name)(node)

    # -- ids ------------------------------------------------------------------------------
    def _assign_ids(self) -> None:
        """Give every heading, table and figure a unique id before anything is written."""
        for block in self.doc.walk():
            if isinstance(block, (Heading, Table, Figure)):
                self.node_ids[id(block)] = self.unique_id(block.id or type(block).__name__)
            if isinstance(block, Figure) and block.data is not None:
                self.node_ids[id(block.data)] = self.unique_id(block.data.id or f"{block.id}-data")

    def unique_id(self, wanted: str) -> str:
        """Return ``wanted`` as a valid id not used before (suffixed -2, -3 ... if it was)."""
        base = re.sub(r"\s+", "-", wanted.strip()) or "id"
        candidate, n = base, 1
        while candidate in self.used_ids:
            n += 1
            candidate = f"{base}-{n}"
        self.used_ids.add(candidate)
        return candidate

    def id_of(self, node: object) -> str:
        if id(node) not in self.node_ids:  # e.g. a table built outside the document
            self.node_ids[id(node)] = self.unique_id(getattr(node, "id", "") or "block")
        return self.node_ids[id(node)]

    # -- inline ---------------------------------------------------------------------------
    def runs(self, runs: Iterable[Run]) -> str:
        return "".join(self.run(r) for r in runs)

    def run(self, run: Run) -> str:
        if run.placeholder is not None:
            return _todo_mark(run.placeholder)
        html = str(escape(run.text))
        if run.italic:
            html = f"<em>{html}</em>"
        if run.bold:
            html = f"<strong>{html}</strong>"
        if run.link and SAFE_LINK.match(run.link.strip()):
            html = f'<a href="{escape(run.link.strip())}">{html}</a>'
        return html

    # -- blocks ---------------------------------------------------------------------------
    def visit_heading(self, node: Heading) -> str:
        level = self.heading_level(node)
        self.previous_level = level
        return f'<h{level} id="{escape(self.id_of(node))}">{escape(node.text)}</h{level}>'

    def heading_level(self, node: Heading) -> int:
        """Return the <h> level of a heading: one below its node level, never skipping."""
        return max(self.min_level, min(node.level + 1, self.previous_level + 1, 6))

    def image_src(self, data: bytes, name: str) -> str:
        """Return where a picture is found: a data: URI (the site writer makes files)."""
        return _data_uri(data, name)

    def visit_paragraph(self, node: Paragraph) -> str:
        css = _class_attr(_role_class(node.role))
        text = self.runs(node.runs)
        marked = node.text.strip().lower().startswith(TODO_MARKER[:-1].lower())
        if node.role == "todo" and not marked:
            text = f"<strong>{TODO_MARKER}</strong> {text}"
        return f"<p{css}>{text}</p>"

    def visit_list(self, node: ListBlock) -> str:
        tag = "ol" if node.ordered else "ul"
        items = "".join(f"<li>{self.runs(item)}</li>" for item in node.items)
        return f"<{tag}>{items}</{tag}>"

    def visit_todo(self, node: Placeholder) -> str:
        return f'<p class="todo"><strong>{TODO_MARKER}</strong> {escape(node.text)}</p>'

    def visit_page_break(self, node: PageBreak) -> str:
        return '<div class="page-break"></div>'

    def visit_contents(self, node: Contents) -> str:
        self.previous_level = 2
        title_id = escape(self.unique_id("contents-title"))
        entries = self.contents_entries(self.doc.headings(CONTENTS_MAX_LEVEL))
        return (f'<nav class="contents" aria-labelledby="{title_id}">'
                f'<h2 id="{title_id}">{escape(node.title)}</h2>{entries}</nav>')

    def contents_entries(self, headings: list[Heading]) -> str:
        """Return nested lists: level-2 headings under the level-1 heading before them."""
        top: list[tuple[Heading, list[Heading]]] = []
        for heading in headings:
            if heading.level > 1 and top:
                top[-1][1].append(heading)
            else:
                top.append((heading, []))
        if not top:
            return ""
        items = []
        for heading, children in top:
            sub = "".join(f"<li>{self.contents_link(c)}</li>" for c in children)
            sub = f"<ol>{sub}</ol>" if sub else ""
            items.append(f"<li>{self.contents_link(heading)}{sub}</li>")
        if self.chart_data_id:
            items.append(f"<li>{self.link(self.chart_data_id, chart_data_title(self.doc))}</li>")
        return f"<ol>{''.join(items)}</ol>"

    def contents_link(self, heading: Heading) -> str:
        return self.link(self.id_of(heading), heading.text)

    def link(self, target: str, text: str) -> str:
        """Return a contents entry; in print, with a leader and a slot for its page number."""
        if not self.for_print:
            return f'<a href="#{escape(target)}">{escape(text)}</a>'
        return (f'<a href="#{escape(target)}"><span class="entry">{escape(text)}</span>'
                f'<span class="leader" aria-hidden="true"></span>'
                f'<span class="page-no" data-page-of="{escape(target)}"></span></a>')

    def visit_callout(self, node: Callout) -> str:
        self.callouts += 1
        title_id = self.unique_id(f"callout-{self.callouts}-title")
        role = _role_class(node.role)
        inner = self.render_blocks(node.blocks)
        return (f'<aside class="callout{" " + role if role else ""}" '
                f'aria-labelledby="{escape(title_id)}">'
                f'<p class="callout-title" id="{escape(title_id)}"><strong>{escape(node.title)}'
                f"</strong></p>\n{inner}</aside>")

    # -- tables ---------------------------------------------------------------------------
    def visit_table(self, node: Table) -> str:
        table_id = self.id_of(node)
        caption_id = self.unique_id(f"{table_id}-caption")
        head = "".join(
            f'<th scope="col"{_class_attr(_align_class(node.column_align(i)))}>'
            f"{escape(label)}</th>"
            for i, label in enumerate(node.columns)
        )
        body = "\n".join(self.table_row(node, row, i == len(node.rows) - 1)
                         for i, row in enumerate(node.rows))
        wrap = "table-wrap" + self.print_class(node)
        return (f'{self.scroll_hint(node)}'
                f'<div class="{wrap}" role="region" aria-labelledby="{escape(caption_id)}" '
                f'tabindex="0">\n<table id="{escape(table_id)}">\n'
                f'<caption id="{escape(caption_id)}"><span>{escape(node.caption)}</span>'
                f'</caption>\n'
                f"<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>\n</div>"
                f"{self.table_meta(node)}")

    def scroll_hint(self, node: Table) -> str:
        """Return the line shown on a phone above a table too wide for it (none in print)."""
        if self.for_print or table_width_px(node) <= PHONE_TABLE_PX:
            return ""
        return (f'<p class="scroll-hint">Scroll the table sideways to see all its '
                f'{len(node.columns)} columns; the first column stays in view.</p>\n')

    def print_class(self, node: Table) -> str:
        """Return the print layout classes of a table: " wide" (small type) from seven columns,
        " wide landscape" (a landscape page) from LANDSCAPE_COLUMNS, or from eight with a long
        text (an inspection's grades) in a later column; none on screen."""
        if not self.for_print or len(node.columns) < 7:
            return ""
        longest = max((len(c.text) for row in node.rows for c in row[1:]), default=0)
        landscape = len(node.columns) >= LANDSCAPE_COLUMNS or (
            len(node.columns) >= 8 and longest > LANDSCAPE_TEXT)
        return " wide landscape" if landscape else " wide"

    def table_row(self, table: Table, row: list[Cell], last: bool) -> str:
        css = _class_attr("total") if last and table.total_row else ""
        return f"<tr{css}>" + "".join(self.cell(table, c, i) for i, c in enumerate(row)) + "</tr>"

    def cell(self, table: Table, cell: Cell, index: int) -> str:
        align = cell.align if cell.align != "left" else table.column_align(index)
        css = _class_attr(_align_class(align), "bold" if cell.bold else "")
        if cell.placeholder is not None:
            tag, scope = ("th", ' scope="row"') if cell.header else ("td", "")
            return f"<{tag}{scope}{css}>{_todo_mark(cell.placeholder)}</{tag}>"
        if cell.header:
            return f'<th scope="row"{css}>{escape(cell.text)}</th>'
        return f"<td{css}>{escape(cell.text)}</td>"

    def table_meta(self, node: Table) -> str:
        parts = []
        if node.units:
            parts.append(f'<span class="units">Units: {escape(node.units)}</span>')
        if node.source:
            parts.append(f'<span class="source">Source: {escape(node.source)}</span>')
        html = f'\n<p class="table-meta">{"<br>".join(parts)}</p>' if parts else ""
        if node.notes:
            notes = "".join(f"<li>{escape(n)}</li>" for n in node.notes)
            html += f'\n<div class="table-notes"><p>Notes:</p><ol>{notes}</ol></div>'
        return html

    # -- figures --------------------------------------------------------------------------
    def visit_figure(self, node: Figure) -> str:
        figure_id = self.id_of(node)
        caption_id = self.unique_id(f"{figure_id}-caption")
        alt = node.alt.strip() or node.caption.strip() or f"Figure {figure_id}"
        group = ' role="group"' if self.for_print else ""   # one /Figure tag: the image's
        html = (f'<figure id="{escape(figure_id)}"{group}>'
                f'<figcaption id="{escape(caption_id)}">{self.figure_label(node)}'
                f'{escape(node.caption)}</figcaption>\n{self.picture(node, figure_id, alt)}')
        if node.source:
            html += f'\n<p class="source">Source: {escape(node.source)}</p>'
        if node.data_note is not None:
            html += "\n" + self.visit_paragraph(node.data_note)
        if node.data is not None and self.for_print:
            html += (f'\n<p class="source">The data for this chart are in '
                     f'<a href="#{escape(self.id_of(node.data))}">'
                     f"{escape(chart_data_title(self.doc))}</a>.</p>")
        elif node.data is not None:
            html += (f"\n<details><summary>Data for {escape(node.caption)}</summary>\n"
                     f"{self.visit_table(node.data)}\n</details>")
        return html + "</figure>"

    def picture(self, node: Figure, figure_id: str, alt: str) -> str:
        """Return the chart's <img>; with a phone drawing (``png_narrow``, not in print), a
        <picture> that shows it on screens up to PHONE_CHART_MAX wide."""
        _, size = _image_type(node.png, figure_id)
        dims = f' width="{size[0]}" height="{size[1]}"' if size else ""
        img = (f'<img src="{escape(self.image_src(node.png, figure_id))}" alt="{escape(alt)}"'
               f'{dims} style="max-width: {node.width_cm:g}cm">')
        narrow = getattr(node, "png_narrow", b"")
        if not narrow or self.for_print:
            return img
        src = escape(self.image_src(narrow, f"{figure_id}-phone"))
        return (f'<picture><source media="(max-width: {PHONE_CHART_MAX})" srcset="{src}">'
                f"{img}</picture>")

    def figure_label(self, node: Figure) -> str:
        """Return "Figure 3: " in print (figures are numbered there), else nothing."""
        return f"Figure {self.numbers[id(node)]}: " if self.for_print else ""

    def chart_data_appendix(self) -> str:
        """Return the print appendix: the data behind each chart, one table per chart."""
        if not self.chart_data_id:
            return ""
        self.previous_level = 2
        tables = "\n".join(self.chart_data_table(f) for f in self.charts)
        return (f'\n<section class="chart-data" aria-labelledby="{self.chart_data_id}">'
                f'<h2 id="{self.chart_data_id}">{escape(chart_data_title(self.doc))}</h2>\n'
                f'<div class="chart-data-tables">\n{tables}\n</div></section>')

    def chart_data_table(self, figure: Figure) -> str:
        """Return one chart's data table, captioned "Data for Figure N: <chart title>"."""
        caption = f"Data for Figure {self.numbers[id(figure)]}: {figure.caption}"
        table = replace(figure.data, caption=caption)
        self.node_ids[id(table)] = self.id_of(figure.data)
        return self.visit_table(table)


def table_width_px(node: Table) -> int:
    """Return about the narrowest a table can be on screen, in CSS pixels: each column as wide
    as its longest word (a number is never broken), plus the cells' padding."""
    texts = [node.columns, *[[c.text for c in row] for row in node.rows]]
    widths = [0] * len(node.columns)
    for row in texts:
        for i, text in enumerate(row[:len(widths)]):
            words = text.split() if i == 0 or not _NUMBER.match(text) else [text]
            widths[i] = max(widths[i], max((len(w) for w in words), default=0))
    return sum(w * CHAR_PX + CELL_PAD_PX for w in widths)


_NUMBER = re.compile(r"^[£$€+\-−–(]?[\d.,]+")
CHAR_PX = 8            # an average character of the table text (15 px Arial)
CELL_PAD_PX = 16       # a cell's padding and borders on a phone
PHONE_TABLE_PX = 351   # the text column of a 375 px phone


def _role_class(role: str) -> str:
    """Return the CSS class for a role ("table_source" -> "table-source"; body has none)."""
    if role in ("", "body"):
        return ""
    return re.sub(r"[^a-z0-9-]", "-", role.lower().replace("_", "-"))


def _align_class(align: str) -> str:
    return ALIGN_CLASSES.get(align, "")


def _class_attr(*names: str) -> str:
    joined = " ".join(n for n in names if n)
    return f' class="{escape(joined)}"' if joined else ""


def _image_type(data: bytes, where: str) -> tuple[str, tuple[int, int] | None]:
    """Return the MIME type of embedded image bytes and, for PNG, its pixel size."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        return "image/png", struct.unpack(">II", data[16:24])
    if data.startswith(b"\xff\xd8"):
        return "image/jpeg", None
    if data.lstrip()[:5] in (b"<svg ", b"<?xml"):
        return "image/svg+xml", None
    raise ValueError(f"figure '{where}': the image is not a PNG, JPEG or SVG "
                     f"(first bytes {data[:8]!r}); charts must be saved as PNG")


"""Document nodes: the one intermediate representation between templates and writers.

Templates render to block markup (see ``markup.py``), which becomes these nodes.  Writers see
only nodes, never DataFrames.  Every node is a small frozen-ish dataclass; roles name the
appearance ("lead", "table_source") and the writers map roles to Word styles and CSS classes.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..findings import Location


@dataclass
class Placeholder:
    """Something the report still lacks, shown as a visible "To be completed" marker.

    It is the one kind of node for everything apr puts in the report because something is
    missing: narrative, data, a setting, text left from ``apr init``.  ``text`` says what is
    missing (without the words "To be completed"), ``where`` where to supply it (a file and row,
    or apr.toml and a setting), ``code`` the finding it is reported as.  It stands as a block of
    its own, or inside a Run or a Cell where the missing text sits within a sentence or a table.
    ``apr check``, ``--strict`` and the build summary count these nodes in the built document
    (``Document.placeholders``), so the count is complete whatever a template does.
    """

    text: str
    where: Location = field(default_factory=Location)
    code: str = "placeholder.template"

    @property
    def key(self) -> tuple:
        """Two markers with the same key are one thing to complete."""
        return (self.code, self.text, self.where)


# Kept for templates and code written before placeholders carried a location.
Todo = Placeholder


@dataclass
class Run:
    """A piece of inline text with its emphasis and an optional link (``#anchor`` or URL);
    with ``placeholder`` set, the run is a "To be completed" marker inside a sentence."""

    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None
    placeholder: Placeholder | None = None


@dataclass
class Origin:
    """Where a block of narrative came from: the narrative file's name (``content/NAME.md``)
    and the first and last line of its Markdown there.  The Word writer marks such blocks so
    that ``apr absorb`` can carry edits made in Word back to the file (apr/absorb/)."""

    name: str
    first: int
    last: int


@dataclass
class Heading:
    """A section heading, level 1 to 4, with a stable anchor id."""

    level: int
    text: str
    id: str
    origin: Origin | None = None


@dataclass
class Paragraph:
    """A paragraph of runs; ``role`` is one of "body", "lead", "note", "todo", "source"."""

    runs: list[Run]
    role: str = "body"
    origin: Origin | None = None

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class ListBlock:
    """A bulleted or numbered list; each item is a list of runs."""

    items: list[list[Run]]
    ordered: bool = False
    origins: list[Origin | None] = field(default_factory=list)   # one per item, from narrative


@dataclass
class Cell:
    """One table cell: text as shown, alignment, and whether it is a row header; with
    ``placeholder`` set, the cell is a "To be completed" marker."""

    text: str
    align: str = "left"
    header: bool = False
    bold: bool = False
    placeholder: Placeholder | None = None


@dataclass
class Table:
    """A data table with caption, source, units and notes (official-statistics good practice).

    ``columns`` are the header labels; ``rows`` hold cells.  No merged cells, ever.
    ``numbered`` is False for a table whose caption carries its own label (the data for a
    chart, "Data for Figure 3: ..."), which Word then leaves out of its "Table N" numbering.
    """

    id: str
    caption: str
    columns: list[str]
    rows: list[list[Cell]]
    source: str = ""
    units: str = ""
    notes: list[str] = field(default_factory=list)
    align: list[str] = field(default_factory=list)
    total_row: bool = False
    numbered: bool = True
    # what each of the first notes is about (indicator codes), in the order of ``notes``, so
    # that checks ask the table rather than read the notes' wording
    note_subjects: list[tuple[str, ...]] = field(default_factory=list)

    def column_align(self, index: int) -> str:
        return self.align[index] if index < len(self.align) else "left"

    def noted(self) -> set[str]:
        """Return every subject (indicator code) a note under the table is about."""
        return {code for _, codes in zip(self.notes, self.note_subjects) for code in codes}


@dataclass
class Figure:
    """A chart or picture: PNG bytes, alt text, caption, and the data behind it as a table.

    ``data_note``, set when the data were moved to an appendix (``chart_data.move_chart_data``),
    is the line under the chart that says where they are.
    """

    id: str
    caption: str
    alt: str
    png: bytes
    width_cm: float = 15.0
    source: str = ""
    data: Table | None = None
    png_narrow: bytes = b""    # the chart drawn for a phone's width (HTML only), or none
    data_note: Paragraph | None = None


@dataclass
class Callout:
    """A boxed block, e.g. a case study or a key-facts panel; holds other blocks."""

    title: str
    blocks: list = field(default_factory=list)
    role: str = "case_study"


@dataclass
class PageBreak:
    """Start the next block on a new page (Word); a section break in HTML."""


@dataclass
class Contents:
    """The table of contents, filled from the document's headings by each writer."""

    title: str = "Contents"


Block = (Heading | Paragraph | ListBlock | Table | Figure | Callout | Placeholder | PageBreak
         | Contents)

BLOCK_TYPES: tuple[type, ...] = (
    Heading, Paragraph, ListBlock, Table, Figure, Callout, Placeholder, PageBreak, Contents,
)


COVERS = ("report", "paper")


@dataclass
class DocumentMeta:
    """What goes on the cover and into the file's properties.

    ``cover`` chooses how the Word document opens.  "report": a cover page (organisation,
    title, subtitle, date, website, the DRAFT marking) and a page break before the first
    block.  "paper": no cover page; the blocks open the document, as a board paper opens with
    its heading block (board, meeting date, agenda item, title ...), which its template writes.
    Either way the title, language and other properties go into the file, and a draft is
    marked DRAFT in the page header.  The HTML page always opens with its banner, which holds
    the page's one <h1> (a board paper is written only to Word).
    """

    title: str
    subtitle: str
    author: str
    subject: str
    organisation: str
    date_label: str
    status: str = "draft"
    language: str = "en-GB"
    keywords: str = "annual performance report; health and social care integration"
    date_iso: str = ""
    website: str = ""      # the partnership's website, linked from the cover
    cover: str = "report"  # one of COVERS: "report" (a cover page) or "paper" (no cover page)
    name: str = ""         # the partnership, named before the title in the file's properties

    @property
    def full_title(self) -> str:
        """The title a file is known by (Word's properties, the HTML and PDF title): the
        partnership's name, then the title, "Strathlinn Health and Social Care Partnership:
        Annual Performance Report 2023/24"; the cover shows the two apart."""
        return f"{self.name}: {self.title}" if self.name else self.title
    logo: bytes = b""      # the partnership's logo (PNG or JPEG) for the top of the cover
    logo_alt: str = ""
    cover_image: bytes = b""   # a picture for the cover, with what it shows
    cover_image_alt: str = ""
    # the partnership's look on the web (apr.toml [report] and [web]; apr/document/brand.py)
    accent: str = ""           # "#7a1f5c": borders, key figures (AA contrast on white)
    heading_colour: str = ""   # the reference document's Heading 1 colour, "#002d54"
    font: str = ""             # the reference document's body font, as a CSS font-family
    stylesheet: str = ""       # the project's own CSS (styles/*.css), after apr's
    header_links: tuple = ()   # (text, address) pairs for the top of every web page
    footer_links: tuple = ()   # ... and for the footer


@dataclass
class Document:
    """A whole report: metadata plus a flat list of blocks."""

    meta: DocumentMeta
    blocks: list[Block] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)   # narrative name -> text, as read

    def headings(self, max_level: int = 3) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading) and b.level <= max_level]

    def walk(self):
        """Yield every block, descending into callouts."""
        stack = list(reversed(self.blocks))
        while stack:
            block = stack.pop()
            yield block
            if isinstance(block, Callout):
                stack.extend(reversed(block.blocks))

    def placeholders(self) -> list[Placeholder]:
        """Return every placeholder in the document, in reading order: blocks, markers inside
        sentences and list items, and table cells (chart data tables included)."""
        found: list[Placeholder] = []
        for block in self.walk():
            found.extend(block_placeholders(block))
        return found


def block_placeholders(block) -> list[Placeholder]:
    """Return the placeholders a block shows itself (a callout's inner blocks not included)."""
    if isinstance(block, Placeholder):
        return [block]
    if isinstance(block, Paragraph):
        return [r.placeholder for r in block.runs if r.placeholder]
    if isinstance(block, ListBlock):
        return [r.placeholder for item in block.items for r in item if r.placeholder]
    if isinstance(block, Table):
        return [c.placeholder for row in block.rows for c in row if c.placeholder]
    if isinstance(block, Figure) and block.data is not None:
        return block_placeholders(block.data)
    return []

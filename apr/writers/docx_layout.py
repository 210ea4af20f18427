"""Table layout for the Word writer: column widths measured from the text, and which tables
go on a landscape page.

Word and LibreOffice break a word across lines when a fixed-width column is narrower than the
word, which printed headers such as "Compare|d with Scotland".  So every column is made at
least as wide as its longest word (headers in bold), measured with the character widths of
Arial (Helvetica's metrics, which Arial and Liberation Sans share; a character outside ASCII
counts as wide).  The room left over goes to the columns whose text would otherwise wrap most:
a reason for a variance gets the space, a column of four-digit numbers does not.

A table whose columns cannot all keep their longest word on a portrait page, or that has
``LANDSCAPE_COLUMNS`` columns or more (the six-year indicator tables), is written on a
landscape page; if even that is too narrow, its text is made smaller step by step (down to
``SMALLEST_PT``) until the words fit.
"""
from __future__ import annotations

from dataclasses import dataclass

from apr.document.nodes import Table

# Advance widths in 1/1000 em of the characters 32 to 126 (Adobe's Helvetica metrics, which
# Arial and Liberation Sans match), regular and bold.
_REGULAR = (
    "278 278 355 556 556 889 667 222 333 333 389 584 278 333 278 278 556 556 556 556 556 556 "
    "556 556 556 556 278 278 584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 "
    "556 833 722 778 667 778 722 667 611 722 667 944 667 667 611 278 278 278 469 556 222 556 "
    "556 500 556 556 278 556 556 222 222 500 222 833 556 556 556 556 333 500 278 556 500 722 "
    "500 500 500 334 260 334 584")
_BOLD = (
    "278 333 474 556 556 889 722 278 333 333 389 584 278 333 278 278 556 556 556 556 556 556 "
    "556 556 556 556 333 333 584 584 584 611 975 722 722 722 722 667 611 778 722 278 556 722 "
    "611 833 722 778 667 778 722 667 611 722 667 944 667 667 611 333 278 333 584 556 278 556 "
    "611 556 611 556 333 611 611 278 278 556 278 889 611 611 611 611 389 556 333 611 556 778 "
    "556 556 500 389 280 389 584")
WIDTHS = {False: [int(w) for w in _REGULAR.split()], True: [int(w) for w in _BOLD.split()]}
OTHER_CHAR = 1000          # a character outside ASCII (▲, ✓, £, –) is counted as an em wide
SAFETY = 1.06              # renderers differ a little from the metrics: keep a margin
CELL_PADDING = 200         # twips: the APR Table style's cell margins (2 x 85) and borders
LANDSCAPE_COLUMNS = 8      # tables this wide (the six-year indicator tables) go landscape
SMALLEST_PT = 7.0
MOST_LINES = 3             # a text column may take the room to keep its cells to this many lines


@dataclass
class TableLayout:
    """How the Word writer lays out one table: width of each column (twips), text size in
    points (0: the table style's) and whether the table needs a landscape page."""

    widths: list[int]
    size_pt: float
    landscape: bool


def text_twips(text: str, size_pt: float, bold: bool = False) -> float:
    """Return the width of ``text`` on one line, in twips, at ``size_pt`` points."""
    table = WIDTHS[bold]
    units = sum(table[ord(c) - 32] if 32 <= ord(c) <= 126 else OTHER_CHAR for c in text)
    return units * size_pt * 20 / 1000 * SAFETY


def layout_table(node: Table, ncols: int, portrait: int, landscape: int,
                 base_pt: float) -> TableLayout:
    """Return the layout of ``node``: portrait at the style's size when its words fit, else
    landscape, at the largest size (in half points, down to ``SMALLEST_PT``) at which they fit.
    """
    if ncols < LANDSCAPE_COLUMNS and sum(_floors(node, ncols, base_pt)) <= portrait:
        return TableLayout(_share(node, ncols, portrait, base_pt), 0, False)
    size = base_pt
    while size > SMALLEST_PT and sum(_floors(node, ncols, size)) > landscape:
        size -= 0.5
    return TableLayout(_share(node, ncols, landscape, size), 0 if size == base_pt else size,
                       True)


def _columns(node: Table, ncols: int) -> list[tuple[str, list[tuple[str, bool]]]]:
    """Return each column's header and its body texts, each with whether it is bold."""
    out = []
    for c in range(ncols):
        header = node.columns[c] if c < len(node.columns) else ""
        body = [(row[c].text, row[c].header or row[c].bold) for row in node.rows if c < len(row)]
        out.append((header, body))
    return out


def _floors(node: Table, ncols: int, size: float) -> list[int]:
    """Return each column's narrowest width: its longest word (header words bold)."""
    floors = []
    for header, body in _columns(node, ncols):
        words = [(w, True) for w in header.split()] + [
            (w, bold) for text, bold in body for w in text.split()]
        longest = max([text_twips(w, size, b) for w, b in words] or [0])
        floors.append(int(max(longest, text_twips("000", size)) + CELL_PADDING))
    return floors


def _wants(node: Table, ncols: int, size: float) -> list[int]:
    """Return the width each column would like: its longest cell on one line, or for long text
    enough to keep it to about ``MOST_LINES`` lines."""
    wants = []
    for header, body in _columns(node, ncols):
        lines = [text_twips(t, size, b) / (MOST_LINES if len(t) > 40 else 1) for t, b in body]
        wants.append(int(max(lines + [text_twips(header, size, True) / 2, 0]) + CELL_PADDING))
    return wants


def _share(node: Table, ncols: int, total: int, size: float) -> list[int]:
    """Return widths summing to ``total``: every column its floor, then the rest shared by
    what each column still wants (all columns alike when none wants more)."""
    floors = _floors(node, ncols, size)
    if sum(floors) >= total:
        return [int(f * total / sum(floors)) for f in floors]
    wants = [max(w, f) for w, f in zip(_wants(node, ncols, size), floors)]
    spare = total - sum(floors)
    need = [w - f for w, f in zip(wants, floors)]
    if sum(need) >= spare:
        return [int(f + spare * n / sum(need)) for f, n in zip(floors, need)]
    left = total - sum(wants)
    return [int(w + left * w / sum(wants)) for w in wants]

"""Table layout for the Word writer: column widths measured from the text, and which tables
go on a landscape page.

Word and LibreOffice break a word across lines when a fixed-width column is narrower than the
word, which printed headers such as "Compare|d with Scotland".  So every column is made at
least as wide as its longest word (headers in bold), measured with the character widths of
Arial (Helvetica's metrics, which Arial and Liberation Sans share; a character outside ASCII
counts as wide).  The room left over goes to the columns whose text would otherwise wrap most:
a reason for a variance gets the space, a column of four-digit numbers does not.

A table whose columns cannot all keep their longest word on a portrait page, or that has
``LANDSCAPE_COLUMNS`` columns or more (the six-year indicator tables, in text a point smaller
than the table style's, so that a row takes fewer lines), is written on a landscape page; if
even that is too narrow, its text is made smaller step by step (down to ``SMALLEST_PT``) until
the words fit.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

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
SHARE_STEPS = 60           # the spare room is given out in this many steps
WIDE_SMALLER = 1.0         # points smaller than the table style in the widest tables
MOST_LINES = 3             # a text column may take the room to keep its cells to this many lines
LINE_CHARS = 20            # ... and short texts to a line per this many characters
NAME_LINES = 2             # a row's name (its first, bold cell) may take two lines
NAME_CHARS = 25
WORD_SLASH = re.compile(r"(?<=[A-Za-z)])/(?=[A-Za-z(])")   # "Under/(over)spend", not "2023/24"


@dataclass
class TableLayout:
    """How the Word writer lays out one table: width of each column (twips), text size in
    points (0: the table style's) and whether the table needs a landscape page."""

    widths: list[int]
    size_pt: float
    landscape: bool


def text_twips(text: str, size_pt: float, bold: bool = False) -> float:
    """Return the width of ``text`` on one line, in twips, at ``size_pt`` points."""
    return _units(text, bold) * size_pt * 20 / 1000 * SAFETY


@lru_cache(maxsize=8192)
def _units(text: str, bold: bool) -> int:
    """Return the advance width of ``text`` in 1/1000 em (kept: tables repeat their texts)."""
    table = WIDTHS[bold]
    return sum(table[ord(c) - 32] if 32 <= ord(c) <= 126 else OTHER_CHAR for c in text)


def layout_table(node: Table, ncols: int, portrait: int, landscape: int,
                 base_pt: float) -> TableLayout:
    """Return the layout of ``node``: portrait at the style's size when its words fit, else
    landscape, at the largest size (in half points, down to ``SMALLEST_PT``) at which they fit.
    """
    if ncols < LANDSCAPE_COLUMNS and sum(_floors(node, ncols, base_pt)) <= portrait:
        return TableLayout(_share(node, ncols, portrait, base_pt), 0, False)
    size = base_pt - WIDE_SMALLER if ncols >= LANDSCAPE_COLUMNS else base_pt
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


def header_words(header: str) -> list[str]:
    """Return the pieces of a header that must stay whole: its words, each cut after a slash
    ("Under/", "(over)spend"), where the writer lets the line break (``breakable_header``)."""
    return [piece for word in header.split() for piece in WORD_SLASH.sub("/\n", word).split("\n")
            if piece]


def breakable_header(header: str) -> str:
    """Return a header with a zero-width space after each slash between words: a place Word
    and LibreOffice may end a line, so "Under/(over)spend" need not make its column wide (a
    year such as 2023/24 stays whole); not read aloud."""
    return WORD_SLASH.sub("/\u200b", header)


def _floors(node: Table, ncols: int, size: float) -> list[int]:
    """Return each column's narrowest width: its longest word (header words bold)."""
    floors = []
    for header, body in _columns(node, ncols):
        words = [(w, True) for w in header_words(header)] + [
            (w, bold) for text, bold in body for w in text.split()]
        longest = max([text_twips(w, size, b) for w, b in words] or [0])
        floors.append(math.ceil(max(longest, text_twips("000", size)) + CELL_PADDING))
    return floors


def _wants(node: Table, ncols: int, size: float) -> list[int]:
    """Return the width each column would like: a short cell on one line, a longer one on a
    line per ``LINE_CHARS`` characters, and a long text on ``MOST_LINES`` lines."""
    wants = []
    for header, body in _columns(node, ncols):
        lines = [text_twips(t, size, b) / _lines(t, b) for t, b in body]
        wants.append(int(max(lines + [text_twips(header, size, True) / 2, 0]) + CELL_PADDING))
    return wants


def _lines(text: str, name: bool) -> int:
    """Return how many lines a cell's text may take: a row name (bold) up to ``NAME_LINES``,
    other text a line per ``LINE_CHARS`` characters up to ``MOST_LINES``."""
    most, per = (NAME_LINES, NAME_CHARS) if name else (MOST_LINES, LINE_CHARS)
    return min(most, -(-len(text) // per) or 1)


def _share(node: Table, ncols: int, total: int, size: float) -> list[int]:
    """Return widths summing to ``total``: every column its floor, then, when every column can
    have what it wants (``_wants``), that and the rest shared alike; else the room goes where
    it saves the most lines (``_fewest_lines``)."""
    floors = _floors(node, ncols, size)
    if sum(floors) >= total:
        return [int(f * total / sum(floors)) for f in floors]
    wants = [max(w, f) for w, f in zip(_wants(node, ncols, size), floors)]
    spare = total - sum(floors)
    need = [w - f for w, f in zip(wants, floors)]
    if sum(need) >= spare:
        return _fewest_lines(_text_widths(node, ncols, size), floors, total)
    left = total - sum(wants)
    return [int(w + left * w / sum(wants)) for w in wants]


def _text_widths(node: Table, ncols: int, size: float) -> list[list[float]]:
    """Return the one-line width of every cell, row by row, the header row first."""
    columns = _columns(node, ncols)
    rows = [[text_twips(header, size, True) for header, _ in columns]]
    for r in range(len(node.rows)):
        rows.append([text_twips(body[r][0], size, body[r][1]) if r < len(body) else 0.0
                     for _, body in columns])
    return rows


def _fewest_lines(rows: list[list[float]], floors: list[int], total: int) -> list[int]:
    """Return widths from ``floors`` up to ``total``, each step of room given to the column
    where it most shortens the table: the sum over rows of the row's tallest cell, a cell
    taking (its one-line width / its column's width) lines, at least one."""
    widths = list(floors)
    step = max((total - sum(floors)) // SHARE_STEPS, 20)
    lines = [[max(1.0, t / max(w - CELL_PADDING, 1)) for t, w in zip(row, widths)]
             for row in rows]
    while total - sum(widths) >= step:
        tallest = [_two_tallest(row_lines) for row_lines in lines]
        gains = [_gain(rows, tallest, c, widths[c] + step) for c in range(len(widths))]
        best = max(range(len(widths)), key=lambda c: (gains[c], -widths[c]))
        if gains[best] <= 0:
            break
        widths[best] += step
        for row, row_lines in zip(rows, lines):
            row_lines[best] = max(1.0, row[best] / max(widths[best] - CELL_PADDING, 1))
    left = total - sum(widths)
    return [int(w + left * w / sum(widths)) for w in widths]


def _two_tallest(row_lines: list[float]) -> tuple[int, float, float]:
    """Return the column of a row's tallest cell, its lines and the next tallest's."""
    top = max(range(len(row_lines)), key=row_lines.__getitem__)
    second = max(row_lines[:top] + row_lines[top + 1:], default=1.0)
    return top, row_lines[top], second


def _gain(rows: list[list[float]], tallest: list[tuple[int, float, float]], c: int,
          width: int) -> float:
    """Return how many lines the table saves when column ``c`` is ``width`` wide."""
    saved = 0.0
    room = max(width - CELL_PADDING, 1)
    for row, (top, most, second) in zip(rows, tallest):
        if top != c:
            continue            # another cell is as tall or taller: the row keeps its height
        new = max(1.0, row[c] / room)
        saved += most - max(second, new)
    return saved

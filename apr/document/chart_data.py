"""The data behind the charts, moved to an appendix for the printed formats.

On a web page the table behind each chart sits beside it, folded away under "Data for this
chart".  On paper (Word, and the HTML printed to PDF) a table after every chart doubles the
length of the outcome sections, so ``move_chart_data`` returns a copy of the document in which
each chart's data table is in a closing appendix, "Data for the charts", one table per chart
captioned "Data for Figure N: <the chart's caption>", and each chart carries a line saying
where its data are, linked to the table.

Figures are numbered here as the writers number them: every Figure, in reading order (callouts
included), from 1.  The appendix is numbered one after the highest "Appendix N:" heading of the
document, or unnumbered when there is none.
"""
from __future__ import annotations

import copy
import re
from dataclasses import replace

from . import nodes as n

APPENDIX_ID = "appendix-chart-data"
APPENDIX_TITLE = "Data for the charts"
APPENDIX_NUMBER = re.compile(r"^Appendix (\d+)\b")


def move_chart_data(doc: n.Document) -> n.Document:
    """Return a copy of ``doc`` with every chart's data table in a closing appendix (above);
    ``doc`` itself is left unchanged. A document without chart data is returned as it is."""
    figures = [b for b in doc.walk() if isinstance(b, n.Figure)]
    if not any(f.data is not None for f in figures):
        return doc
    title = appendix_title(doc)
    number = {id(f): i for i, f in enumerate(figures, start=1)}
    moved: list[n.Table] = []

    def swap(block):
        if isinstance(block, n.Callout):
            return replace(block, blocks=[swap(b) for b in block.blocks])
        if not isinstance(block, n.Figure) or block.data is None:
            return block
        table = copy.copy(block.data)
        table.caption = f"Data for Figure {number[id(block)]}: {block.caption}"
        table.numbered = False
        moved.append(table)
        return replace(block, data=None, data_note=_pointer(table, number[id(block)], title))

    blocks = [swap(b) for b in doc.blocks]
    intro = n.Paragraph([n.Run("The figures behind each chart in this report, in the order the "
                               "charts appear.")])
    appendix = [n.PageBreak(), n.Heading(1, title, APPENDIX_ID), intro, *moved]
    return n.Document(doc.meta, blocks + appendix, doc.sources)


def appendix_title(doc: n.Document) -> str:
    """Return "Appendix N: Data for the charts", N one after the document's last appendix."""
    numbers = [int(m.group(1)) for h in doc.headings(1)
               if (m := APPENDIX_NUMBER.match(h.text))]
    return f"Appendix {max(numbers) + 1}: {APPENDIX_TITLE}" if numbers else APPENDIX_TITLE


def _pointer(table: n.Table, number: int, title: str) -> n.Paragraph:
    """Return the line under a chart saying where its data are, linked to the table."""
    where = title.split(":")[0] if ":" in title else f"the appendix {title}"
    return n.Paragraph([n.Run(f"The figures behind this chart are in {where}: "),
                        n.Run(f"Data for Figure {number}", link=f"#{table.id}"),
                        n.Run(".")], role="source")

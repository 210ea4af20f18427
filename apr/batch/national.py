"""The national comparison: each core indicator across every partnership, ranked.

Built as document nodes and written by apr's own HTML and Word writers, so it follows the
same house style and accessibility rules as the reports.
"""
from __future__ import annotations

from pathlib import Path

from ..catalogue import IntegrationIndicator, indicators
from ..config import ReportingYear
from ..document import nodes as n
from . import NATIONAL_DIR, BatchSettings, Outcome

Row = tuple[str, float | None]


def national_paths(folder: Path, year: ReportingYear) -> dict[str, Path]:
    """Return where the comparison goes: FOLDER/national/national-comparison-2023-24.<fmt>."""
    stem = folder / NATIONAL_DIR / f"national-comparison-{year.slug}"
    return {fmt: stem.with_suffix(f".{fmt}") for fmt in ("html", "docx")}


def write_comparison(folder: Path, year: int, outcomes: list[Outcome],
                     settings: BatchSettings) -> list[Path]:
    """Write the comparison as HTML and Word; return the paths written."""
    from ..pipeline import write_all
    from ..resources import styles_dir
    from ..writers.docx import render_docx
    from ..writers.html import render_html
    reporting_year = ReportingYear(year)
    doc = comparison_document(reporting_year, [o for o in outcomes if o.ok], settings)
    rendered = {"html": render_html(doc).encode("utf-8"),
                "docx": render_docx(doc, styles_dir() / "reference.docx")}
    return write_all(rendered, national_paths(folder, reporting_year))


def comparison_document(year: ReportingYear, outcomes: list[Outcome],
                        settings: BatchSettings) -> n.Document:
    """Return the comparison: one section and one ranked table per indicator with data."""
    meta = n.DocumentMeta(
        title=f"National comparison of integration indicators {year.label}",
        subtitle=f"{len(outcomes)} health and social care partnerships",
        author="apr", subject=f"Core suite of integration indicators, {year.label}",
        organisation="Health and social care partnerships in Scotland",
        date_label=year.label, status="final")
    blocks: list[n.Block] = [n.Contents(), n.Paragraph([n.Run(
        "Each table lists every partnership's latest figure for one core integration indicator, "
        "ranked so that 1 is the best (judged by whether a higher or lower figure is better), "
        "with Scotland's figure below.")], "lead")]
    for code, ind in indicators().items():
        rows = [(o.name, o.values[code][0]) for o in outcomes if code in o.values]
        if any(value is not None for _, value in rows):
            blocks += indicator_section(ind, rows, _scotland(outcomes, code), settings)
    return n.Document(meta, blocks)


def _scotland(outcomes: list[Outcome], code: str) -> float | None:
    return next((o.values[code][1] for o in outcomes
                 if code in o.values and o.values[code][1] is not None), None)


def ranks(ind: IntegrationIndicator, rows: list[Row]) -> dict[str, int]:
    """Return name -> rank (1 = best; equal values share a rank); none without a polarity."""
    if ind.higher_is_better is None:
        return {}
    values = sorted((v for _, v in rows if v is not None), reverse=ind.higher_is_better)
    return {name: values.index(v) + 1 for name, v in rows if v is not None}


def indicator_section(ind: IntegrationIndicator, rows: list[Row], scotland: float | None,
                      settings: BatchSettings) -> list[n.Block]:
    """Return the heading and ranked table of one indicator."""
    from ..formatting import DASH, indicator_value
    rank = ranks(ind, rows)
    ordered = sorted(rows, key=lambda r: (rank.get(r[0], 10**6), r[0]))
    groups = _group_of(settings)
    extra = 1 if groups else 0      # a peer group column only when batch.toml names groups
    cells = [[n.Cell(name, header=True), n.Cell(indicator_value(ind, value), "right"),
              n.Cell(str(rank[name]) if name in rank else DASH, "right"),
              n.Cell(groups.get(name, ""))][:3 + extra] for name, value in ordered]
    cells.append([n.Cell("Scotland", header=True, bold=True),
                  n.Cell(indicator_value(ind, scotland), "right", bold=True), n.Cell("", "right"),
                  n.Cell("")][:3 + extra])
    columns = ["Partnership", ind.unit_short or "Value", "Rank", "Peer group"][:3 + extra]
    table = n.Table(f"table-{ind.code.lower()}", f"{ind.code} {ind.title}", columns, cells,
                    source="Public Health Scotland, core suite of integration indicators "
                    "(as supplied to each partnership's report)", units=ind.unit,
                    align=["left", "right", "right", "left"][:3 + extra], total_row=True)
    return [n.Heading(1, f"{ind.code} {ind.short_title}", f"ni-{ind.code[3:]}"), table]


def _group_of(settings: BatchSettings) -> dict[str, str]:
    return {name: group for group, names in settings.peer_groups.items() for name in names}

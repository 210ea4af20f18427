"""``apr workbook`` (and ``apr init --workbook``): the project's data tables as one workbook."""
from __future__ import annotations

from pathlib import Path

import click


@click.command("workbook")
@click.option("--project", "project", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), show_default="the current folder",
              help="The partnership project folder (the one holding apr.toml).")
def workbook(project: Path) -> None:
    """Put the project's data tables into one Excel workbook, data/apr-data.xlsx.

    One sheet per table with the project's current figures, an instructions sheet, the
    header rows protected and drop-down lists for localities, service lines, bodies, reserve
    types, grades and yes or no. The CSV files it replaces are moved to data/previous-csv/,
    which apr does not read.
    """
    run_workbook(project)


def run_workbook(project: Path) -> None:
    """Write the workbook and say what was done (shared with apr init --workbook)."""
    from ..cli import _fail, _rel
    from ..findings import AprError
    from ..workbook import write_workbook
    try:
        result = write_workbook(project)
    except AprError as exc:
        _fail(exc, "nothing was changed")
    click.echo(f"wrote {_rel(result.path)} with sheets {', '.join(result.sheets) or 'none'}")
    if result.moved:
        click.echo(f"moved {len(result.moved)} CSV files it replaces to "
                   f"{_rel(result.moved[0].parent)} (apr no longer reads them)")
    for line in result.left:
        click.echo(f"  {line}")

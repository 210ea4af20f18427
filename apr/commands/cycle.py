"""``apr next-year`` (and ``apr init --from``): start next year's project from this year's."""
from __future__ import annotations

from pathlib import Path

import click

from . import checked_year


@click.command("next-year")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--project", "project", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), show_default="the current folder",
              help="This year's project folder (the one holding apr.toml).")
@click.option("--year", default=None, callback=checked_year,
              show_default="the year after the one apr.toml's publication date is for",
              help="The new reporting year, by the calendar year it starts in: 2024 for "
              "2024/25.")
def next_year(directory: Path, project: Path, year: int | None) -> None:
    """Make next year's project in DIRECTORY from this year's.

    Settings, localities, local indicators, templates, pictures and data are copied. Each
    narrative file in content/ becomes a "To be completed" marker, with last year's text kept
    in last-year/content/ to copy from. The finance table gets last year's service lines
    again for the new year (marked to be completed). apr lists the dates and settings to
    change; a final build stops until they are changed.
    """
    run_next_year(project, directory, year)


def run_next_year(project: Path, directory: Path, year: int | None) -> None:
    """Make the project and say what it did and what to do next (shared with apr init)."""
    from ..cli import _fail, _rel
    from ..findings import AprError
    from ..nextyear import make_next_year
    try:
        made = make_next_year(project, directory, year)
    except AprError as exc:
        _fail(exc, "no project was created")
    click.echo(f"created {_rel(directory)} for {made.year.label} with {len(made.files)} files")
    click.echo(f"  {len(made.narrative)} narrative files in content/ to rewrite (last year's "
               f"text is in {_rel(directory / 'last-year' / 'content')})")
    if made.finance_rows:
        click.echo(f"  {made.finance_rows} finance rows copied from last year for "
                   f"{made.year.label}: enter this year's budget, outturn and reasons")
    if made.to_change:
        click.echo("  settings to change in apr.toml:")
        for line in made.to_change:
            click.echo(f"    {line}")
    click.echo(f"next: apr build --project {_rel(directory)} --year {made.year.start}")

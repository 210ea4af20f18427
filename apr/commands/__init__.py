"""Command groups registered from apr/cli.py, one module each, and what commands share."""
from __future__ import annotations

import sys

import click

# Integration authorities took on their functions from April 2015 to April 2016, so the first
# annual performance reports cover 2015/16; the last is a bound against typing mistakes
# (--year 20233), not a forecast. The clock is never read: a build depends only on its inputs.
FIRST_YEAR, LAST_YEAR = 2015, 2100


def year_problem(text: str) -> tuple[int | None, str]:
    """Return (the year, "") for a --year value (2023, 2023/24 or 2023-24), or (None, why)."""
    from ..config import ReportingYear
    value = str(text).strip()
    parsed = ReportingYear.parse(value)
    if parsed is not None:
        year = parsed.start
    elif value.lstrip("+-").isdigit() and len(value) < 12:
        year = int(value)
    else:
        return None, (f"expected the reporting year by the calendar year it starts in, such as "
                      f"2023 for 2023/24, found '{value[:40]}'")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None, (f"expected a reporting year from {FIRST_YEAR} (2015/16, the first year of "
                      f"integration) to {LAST_YEAR}, found {value[:40]}; for 2023/24 write "
                      "--year 2023")
    return year, ""


def checked_year(ctx: click.Context, param: click.Parameter, value):
    """click callback for --year: the year as a number, or a located message and exit 1."""
    if value is None:
        return None
    from ..findings import ERROR, Finding, Location
    year, why = year_problem(value)
    if year is None:
        click.echo(str(Finding("cli.bad_year", ERROR, why, Location("--year"))), err=True)
        click.echo("apr: stopped with 1 error; nothing was written.", err=True)
        sys.exit(1)
    return year

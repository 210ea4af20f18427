"""The ``apr`` command: argument parsing only; the work is in pipeline.py."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .findings import AprError, Finding

YEAR_HELP = ("Reporting year, by the calendar year it starts in: 2023 means April 2023 to "
             "March 2024 (2023/24).")


def _show(findings: list[Finding]) -> None:
    for f in findings:
        click.echo(str(f), err=True)


def _fail(exc: AprError, what: str = "nothing was written") -> None:
    _show(exc.findings)
    errors = sum(1 for f in exc.findings if f.severity == "error")
    warnings = len(exc.findings) - errors
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    click.echo(f"apr: stopped with {' and '.join(parts)}; {what}.", err=True)
    sys.exit(1)


def _formats(value: str) -> tuple[str, ...]:
    from .pipeline import FORMATS
    chosen = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(f"'{value}': choose from {', '.join(FORMATS)}, separated by "
                                 "commas (for example docx,html)")
    return chosen


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="apr")
def main() -> None:
    """apr writes the Annual Performance Report of a health and social care partnership.

    It reads a partnership project (apr.toml, data tables, Markdown narrative), and writes a
    Word draft for the board and an accessible HTML version to publish.

    \b
    Start with:
      apr init my-partnership        create a project to fill in
      apr build --year 2023          build the 2023/24 report of the project here
    """


@main.command()
@click.option("--year", type=int, required=True, help=YEAR_HELP)
@click.option("--project", "project", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), show_default="the current folder",
              help="The partnership project folder (the one holding apr.toml).")
@click.option("--format", "formats", default="docx,html", show_default=True,
              help="Formats to write, separated by commas: docx, html.")
@click.option("--strict", is_flag=True, help="Treat warnings (such as missing narrative or a "
              "variance without a reason) as errors: use it for the final version.")
def build(year: int, project: Path, formats: str, strict: bool) -> None:
    """Build the report for one reporting year.

    Writes <output>/<partnership>-apr-2023-24.docx and .html (the output folder is set in
    apr.toml). If anything is wrong, apr lists every problem with its file, row and column
    and writes nothing, leaving the previous report as it was.
    """
    from .pipeline import build as run_build
    chosen = _formats(formats)
    try:
        result = run_build(project, year, chosen, strict=strict)
    except AprError as exc:
        _fail(exc, "nothing was written and the previous report is unchanged")
    _show(result.findings)
    for path in result.outputs:
        click.echo(f"wrote {_rel(path)}")
    if result.findings.warnings:
        click.echo(f"apr: {len(result.findings.warnings)} warning(s); the draft marks what is "
                   "still to be completed.", err=True)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", default="", help="The partnership's name, e.g. \"Anytown Health and "
              "Social Care Partnership\".")
def init(directory: Path, name: str) -> None:
    """Create a new partnership project in DIRECTORY to fill in.

    The project holds every input file with its headers and worked example rows, an apr.toml
    with comments, and a GUIDE.md on filling it in. It builds at once, into a draft full of
    "To be completed" markers.
    """
    from .scaffold import create_project
    try:
        written = create_project(directory, name)
    except AprError as exc:
        _fail(exc, "no project was created")
    click.echo(f"created {_rel(directory)} with {len(written)} files; next:")
    click.echo(f"  read {_rel(directory / 'GUIDE.md')}")
    click.echo(f"  apr build --project {_rel(directory)} --year 2023")


def _rel(path: Path) -> str:
    from .config import display_path
    return display_path(path)


if __name__ == "__main__":  # pragma: no cover
    main()

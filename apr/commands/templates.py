"""``apr templates``: list the templates and which copy wins, eject a default, print the context."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click

from ..config import display_path
from ..resources import templates_dir
from . import checked_year

PROJECT_OPTION = click.option(
    "--project", "project", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
    show_default="the current folder", help="The partnership project folder (the one holding "
    "apr.toml).")


@click.group("templates")
def templates() -> None:
    """See, copy and document the templates that write each section of the report.

    \b
    A template in your project's templates/ folder replaces apr's copy of the same name.
      apr templates list               every template, and which copy is used
      apr templates eject finance.md.j2   copy apr's finance section into templates/ to edit
      apr templates context            every name, function and filter a template can use
    """


def template_names(folder: Path) -> list[str]:
    """Return the names of the templates (*.j2) under FOLDER, sorted, with / separators."""
    if not folder.is_dir():
        return []
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.j2") if p.is_file())


def template_table(project: Path) -> list[tuple[str, str, Path]]:
    """Return (name, winner, path) for every template: winner is 'project' or 'default'."""
    own = project / "templates"
    names = sorted(set(template_names(templates_dir())) | set(template_names(own)))
    rows = []
    for name in names:
        mine = own / name
        if mine.is_file():
            rows.append((name, "project", mine))
        else:
            rows.append((name, "default", templates_dir() / name))
    return rows


@templates.command("list")
@PROJECT_OPTION
def list_templates(project: Path) -> None:
    """List every template and the copy apr uses: the project's own or apr's default.

    A project copy of a name apr does not have is listed as 'project (new)': include it
    from another template to use it.
    """
    defaults = set(template_names(templates_dir()))
    rows = template_table(project)
    width = max(len(name) for name, _, _ in rows)
    for name, winner, path in rows:
        label = "project" if name in defaults else "project (new)"
        label = label if winner == "project" else "default"
        click.echo(f"{name:<{width}}  {label:<13}  {display_path(path)}")
    overridden = sum(1 for _, winner, _ in rows if winner == "project")
    click.echo(f"{len(rows)} templates; {overridden} from {display_path(project / 'templates')}, "
               "the rest apr's defaults. Edit one with `apr templates eject NAME`.")


@templates.command()
@click.argument("name")
@PROJECT_OPTION
@click.option("--force", is_flag=True, help="Overwrite the project's copy if there is one.")
def eject(name: str, project: Path, force: bool) -> None:
    """Copy apr's template NAME into the project's templates/ folder to edit it.

    From then on apr uses the project's copy. Delete the copy to go back to apr's default.
    """
    name = name.removeprefix("default:").replace("\\", "/")
    known = set(template_names(templates_dir()))
    if name not in known and f"{name}.md.j2" in known:
        name = f"{name}.md.j2"
    if name not in known:   # only apr's own templates: never ../x or an absolute path
        _no_such_template(name)
    source = templates_dir() / name
    target = project / "templates" / name
    if target.exists() and not force:
        click.echo(f"apr: {display_path(target)} already exists; edit it, or add --force to "
                   "replace it with apr's default (your changes would be lost).", err=True)
        sys.exit(1)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    click.echo(f"copied {name} to {display_path(target)}; edit it there and run apr build again")


def _no_such_template(name: str) -> None:
    import difflib
    known = template_names(templates_dir())
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    click.echo(f"apr: apr has no template '{name}'{hint}; `apr templates list` shows them all.",
               err=True)
    sys.exit(1)


@templates.command()
@PROJECT_OPTION
@click.option("--year", default=None, callback=checked_year,
              help="Also list the tables and charts apr builds from the project's data for "
              "this reporting year (2023 is 2023/24).")
@click.option("--markdown", is_flag=True, help="Print the reference as Markdown (how "
              "docs/template-context.md is made).")
def context(project: Path, year: int | None, markdown: bool) -> None:
    """Print every variable, function and filter a template can use, with its help.

    With --year, also the names of the tables and charts that table("NAME") and
    figure("NAME") can insert.
    """
    click.echo(context_markdown() if markdown else context_text())
    if year is not None:
        click.echo("\n" + insertable_text(project, year))


def insertable_text(project: Path, year: int) -> str:
    """Return the table and chart names the project's data gives for YEAR, for table()/figure()."""
    from ..analysis import analyse
    from ..config import ReportingYear, load_config
    from ..document.figures import plan_figures
    from ..document.tables import build_tables
    from ..findings import AprError
    from ..sources import read_sources
    try:
        config = load_config(project)
        inputs, _ = read_sources(config, ReportingYear(year))
    except AprError as exc:
        for finding in exc.findings:
            click.echo(str(finding), err=True)
        sys.exit(1)
    analysis = analyse(inputs)
    tables = sorted(build_tables(analysis, config))
    figures = sorted(plan_figures(analysis, config))
    return "\n".join(["Tables: {{ table(\"NAME\") }}", "------", *tables, "",
                      "Charts: {{ figure(\"NAME\") }}", "------", *figures])


def function_label(name: str) -> str:
    """Return a context function with its arguments as a template calls it:
    pct(value, decimals=1)."""
    import inspect

    from ..document.functions import ContextFunctions
    sig = inspect.signature(getattr(ContextFunctions, name))
    params = [str(p.replace(annotation=inspect.Parameter.empty))
              for p in sig.parameters.values() if p.name != "self"]
    return f"{name}({', '.join(params)})".replace("'", '"')


def context_text() -> str:
    """Return the context reference: variables by area, functions (with arguments), filters."""
    import textwrap

    from ..document.context import FILTERS, FUNCTIONS, areas

    def entry(label: str, text: str) -> list[str]:
        return [label, textwrap.fill(text, 100, initial_indent="    ", subsequent_indent="    ")]

    lines = ["Variables", "---------"]
    for title, names in areas():
        lines += ["", *textwrap.wrap(title, 100), ""]
        for name, text in names:
            lines += entry(name, text)
    lines += ["", "Functions", "---------"]
    for name, text in FUNCTIONS.items():
        lines += entry(function_label(name), text)
    lines += ["", "Filters", "-------"]
    for name, text in FILTERS.items():
        lines += entry(name, text)
    lines += ["", "Jinja's own filters (join, length, default, round, upper...) also work; see "
              "docs/templates.md.", "Add --year 2023 to list the tables and charts a template "
              "can insert."]
    return "\n".join(lines)


def context_markdown() -> str:
    """Return the context reference as Markdown: docs/template-context.md."""
    from ..document.context import FILTERS, FUNCTIONS, areas
    lines = [
        "# The template context", "",
        "Every name a template can use, generated from apr/document/context.py (the variables, one",
        ("dataclass per area of the report) and apr/document/functions.py (the functions and "
         "filters)."),
        "Do not edit by hand: run `apr templates context --markdown > docs/template-context.md`",
        ("(a test fails when this file is out of date). How to use them: "
         "[templates.md](templates.md)."),
        "", "## Variables"]
    for title, names in areas():
        lines += ["", f"### {title.removesuffix('.')}", "", "| Name | What it is |", "|---|---|"]
        lines += [f"| `{name}` | {_cell(text)} |" for name, text in names]
    lines += ["", "## Functions", "", "| Call | What it does |", "|---|---|"]
    lines += [f"| `{function_label(name)}` | {_cell(text)} |" for name, text in FUNCTIONS.items()]
    lines += ["", "## Filters", "", "| Filter | What it does |", "|---|---|"]
    lines += [f"| `{name}` | {_cell(text)} |" for name, text in FILTERS.items()]
    return "\n".join(lines)


def _cell(text: str) -> str:
    """Return TEXT safe inside a Markdown table cell."""
    return text.replace("|", "\\|")

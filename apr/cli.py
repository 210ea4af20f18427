"""The ``apr`` command: argument parsing only; the work is in pipeline.py."""
from __future__ import annotations

import atexit
import gc
import importlib
import json
import sys
from pathlib import Path

import click

from .commands import checked_year
from .findings import AprError, Finding, finding_lines, grouped, summary_line
from .formatting import long_date

YEAR_HELP = ("Reporting year, by the calendar year it starts in: 2023 means April 2023 to "
             "March 2024 (2023/24).")


MANY = 8   # more findings than this: say which to deal with first


def _show(findings: list[Finding]) -> None:
    """Print every finding, grouped by file, each first line under 200 characters."""
    for f in grouped(findings):
        for line in finding_lines(f):
            click.echo(line, err=True)


def _first_thing(findings: list[Finding]) -> str:
    """Return what to do first: the first error, else the first thing to complete."""
    if len(findings) <= MANY:
        return ""
    first = next((f for f in grouped(findings) if f.severity == "error"), None) or \
        grouped(findings)[0]
    return finding_lines(first, head=f"apr: start with {first.location}: ")[0]


def _summary(findings: list[Finding], final: bool) -> str:
    from .pipeline import to_complete
    return summary_line(findings, len(to_complete(findings)), final)


def _fail(exc: AprError, what: str = "nothing was written") -> None:
    _show(exc.findings)
    first = _first_thing(exc.findings)
    if first:
        click.echo(first, err=True)
    click.echo(f"apr: stopped with {_summary(exc.findings, final=False)}; {what}.", err=True)
    sys.exit(1)


def _formats(value: str) -> tuple[str, ...]:
    from .pipeline import FORMATS
    chosen = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(f"'{value}': choose from {', '.join(FORMATS)}, separated by "
                                 "commas (for example docx,html)")
    return chosen


class LazyGroup(click.Group):
    """A command group whose listed commands are imported only when used (click's recipe).

    ``apr serve`` needs http.server and its relatives (about 40 ms of imports); a build should
    not pay for them. ``apr --help`` still lists every command: listing loads each one.
    """

    def __init__(self, *args, lazy_commands: dict[str, str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = lazy_commands or {}   # name -> "module:attribute"

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy_commands])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.lazy_commands:
            return super().get_command(ctx, cmd_name)
        module, _, name = self.lazy_commands[cmd_name].partition(":")
        return getattr(importlib.import_module(module, __package__), name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]},
             lazy_commands={"serve": ".commands.serve:serve",     # command modules, one each
                            "templates": ".commands.templates:templates",
                            "next-year": ".commands.cycle:next_year",
                            "workbook": ".commands.workbook:workbook",
                            "absorb": ".commands.absorb:absorb"})
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
    # As it exits, Python runs its garbage collector over every object still alive (about
    # 70 ms after a build) before freeing them; the operating system frees the memory anyway,
    # so whatever is left is frozen (hidden from the collector) at exit. Registering this twice,
    # as tests that invoke several commands do, is harmless.
    atexit.register(gc.freeze)


@main.command()
@click.option("--year", required=True, help=YEAR_HELP, callback=checked_year)
@click.option("--project", "project", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), show_default="the current folder",
              help="The partnership project folder (the one holding apr.toml).")
@click.option("--format", "formats", default="docx,html", show_default=True,
              help="Formats to write, separated by commas: docx, html, pdf (a tagged PDF; "
              "printed by Chromium, Chrome or Edge; APR_BROWSER names one).")
@click.option("--strict", is_flag=True, help="Treat warnings (such as missing narrative or a "
              "variance without a reason) as errors: use it for the final version.")
@click.option("--summary", is_flag=True, help="Write the short public summary (2 to 4 pages: "
              "headline indicators, finance, localities) instead of the full report, as "
              "<partnership>-apr-summary-2023-24.docx and .html.")
@click.option("--board-paper", is_flag=True, help="Also write the cover paper that takes the "
              "report to the board, as <partnership>-board-paper-2023-24.docx, from "
              "[board_paper] in apr.toml and the template board_paper.md.j2.")
@click.option("--all", "build_all", is_flag=True, help="Build every partnership project in the "
              "--project folder (each subfolder holding an apr.toml) in parallel, then write "
              "national/national-comparison-2023-24.html and .docx there. Failures are listed "
              "at the end; the others are still built.")
@click.option("--jobs", type=click.IntRange(min=1), default=None, show_default="one per core",
              help="With --all: how many reports to build at once.")
def build(year: int, project: Path, formats: str, strict: bool, summary: bool,
          board_paper: bool, build_all: bool, jobs: int | None) -> None:
    """Build the report for one reporting year.

    Writes <output>/<partnership>-apr-2023-24.docx and .html (the output folder is set in
    apr.toml). If anything is wrong, apr lists every problem with its file, row and column
    and writes nothing, leaving the previous report as it was.
    """
    chosen = _formats(formats)
    if build_all:
        from .batch import Options
        sys.exit(_build_all(project, year, chosen, jobs, Options(strict, summary, board_paper)))
    _stop_at_ctrl_c()
    try:
        from .pipeline import build as run_build
        result = run_build(project, year, chosen, strict=strict, summary=summary,
                           board_paper=board_paper)
        _default_ctrl_c()         # written: no longer "stopped before writing"
    except AprError as exc:
        _fail(exc, "nothing was written and the previous report is unchanged")
    except KeyboardInterrupt:   # before the write step (which reports its own interruption)
        _interrupted()
    _show(result.findings)
    for path in result.outputs:
        click.echo(f"wrote {_rel(path)}")
    if result.findings.warnings:
        click.echo(f"apr: a draft with {_summary(result.findings, final=False)}; the draft "
                   "marks each in the text. Build with --strict, or set status = \"final\" in "
                   "apr.toml, to make sure none is left.", err=True)


def _stop_at_ctrl_c() -> None:
    """Make Ctrl+C stop the build at once, from the signal handler, instead of raising
    KeyboardInterrupt wherever the main thread happens to be: raised inside the drawing pool's
    locks, that exception can leave the pool's shutdown waiting for ever. The write step still
    holds the signal and reports it itself (apr/output.py takes over handlers marked
    ``holdable``)."""
    import os
    import signal
    import threading
    if threading.current_thread() is not threading.main_thread():
        return
    me = os.getpid()

    def stop(signum, frame):  # noqa: ARG001 - a signal handler's signature
        if os.getpid() != me:     # a forked drawing process: the build itself says it
            os._exit(1)
        _interrupted()
    stop.holdable = True      # type: ignore[attr-defined]
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, stop)


def _default_ctrl_c() -> None:
    import signal
    if getattr(signal.getsignal(signal.SIGINT), "holdable", False):
        try:
            signal.signal(signal.SIGINT, signal.default_int_handler)
        except ValueError:        # not the main thread
            pass


def _interrupted() -> None:
    """Ctrl+C before the write step: one line and exit 1 at once. Nothing is half-written (the
    write step holds signals; see apr/output.py), so nothing needs cleaning up, and leaving
    without Python's shutdown keeps a half-stopped drawing pool from turning the exit status
    into 'killed by SIGINT'."""
    import os
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _stop_drawing_processes()
    click.echo("apr: stopped (Ctrl+C) before writing; the previous report is unchanged.",
               err=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(1)


def _stop_drawing_processes() -> None:
    """Kill the chart-drawing processes: left waiting on their work queue (whose other end
    their siblings hold), they would live on after apr and keep its output open, so a program
    reading apr's output would wait for ever."""
    if "multiprocessing" not in sys.modules:
        return
    import multiprocessing
    import os
    import signal
    for process in multiprocessing.active_children():
        try:
            process.kill()
        except (OSError, ValueError, AttributeError):
            continue
    # the resource tracker would then warn about the pool's semaphores under apr's message;
    # on Linux they are already unlinked, so there is nothing for it to clean (apr/internals.py)
    tracker = getattr(sys.modules.get("multiprocessing.resource_tracker"), "_resource_tracker",
                      None)
    pid = getattr(tracker, "_pid", None)
    if pid:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def _build_all(folder: Path, year: int, formats: tuple[str, ...], jobs: int | None,
               options) -> int:
    """Build every project in ``folder`` with a progress bar; return the exit status."""
    from .batch import find_projects, read_settings, run_batch
    from .batch.national import write_comparison
    count = len(find_projects(folder))
    if not count:
        click.echo(f"apr: no partnership projects in {_rel(folder)}: expected subfolders "
                   "holding an apr.toml (make a synthetic set with "
                   "python benchmarks/make_national.py)", err=True)
        return 1
    with click.progressbar(length=count, label=f"Building {count} reports", file=sys.stderr,
                           show_pos=True) as bar:
        outcomes = run_batch(folder, year, formats, jobs, progress=lambda o: bar.update(1),
                             options=options)
    failed = [o for o in outcomes if not o.ok]
    for path in write_comparison(folder, year, outcomes, read_settings(folder)):
        click.echo(f"wrote {_rel(path)}")
    click.echo(f"built {count - len(failed)} of {count} reports", err=True)
    for o in failed:
        click.echo(f"apr: {_rel(o.project)} failed:\n" + o.error.strip(), err=True)
    return 1 if failed else 0


@main.command()
@click.option("--year", required=True, help=YEAR_HELP, callback=checked_year)
@click.option("--project", "project", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), show_default="the current folder",
              help="The partnership project folder (the one holding apr.toml).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people, json for scripts.")
def check(year: int, project: Path, output_format: str) -> None:
    """Check the report against what the regulations require.

    Prints each requirement of section 42 of the 2014 Act, SSI 2014/326 and the statutory
    guidance with its status (met, missing, needs reading, not applicable) and where in the
    report it is met, and every "To be completed" marker and example row still in the report.
    Exits with status 1 when anything is missing or left to complete. Writes no files.
    """
    from .pipeline import check as run_check
    try:
        result = run_check(project, year)
    except AprError as exc:
        if output_format == "json":
            click.echo(json.dumps({"ok": False, "findings": [f.as_dict() for f in exc.findings]},
                                  indent=2))
        _fail(exc, "the report could not be built, so it was not checked")
    if output_format == "json":
        click.echo(json.dumps(check_json(result), indent=2, ensure_ascii=False))
    else:
        _show(result.findings)
        _print_check(result)
    if not result.ok:
        sys.exit(1)


def check_json(result) -> dict:
    """Return the check's result as plain data for scripts."""
    return {
        "ok": result.ok,
        "to_complete": [f.as_dict() for f in result.to_complete],
        "year": result.year.label,
        "deadline": result.deadline.isoformat(),
        "recipients": list(result.recipients),
        "requirements": [r.as_dict() for r in result.requirements],
        "findings": [f.as_dict() for f in result.findings],
    }


def _print_check(result) -> None:
    click.echo(f"Annual performance report {result.year.label}: publish by "
               f"{long_date(result.deadline)}; give a copy to {' and '.join(result.recipients)}.")
    for r in result.requirements:
        click.echo(f"{r.status.upper():>15}  {r.id}: {r.requirement}")
        if r.where:
            click.echo(f"{'':>17}where: {r.where}")
        if r.detail:
            click.echo(f"{'':>17}{r.detail}")
    counts = {s: sum(1 for r in result.requirements if r.status == s)
              for s in ("met", "missing", "needs reading", "not applicable")}
    left = len(result.to_complete)
    click.echo(", ".join(f"{v} {k}" for k, v in counts.items()) +
               f"; {left} thing{'s' if left != 1 else ''} still to complete in the report"
               f"{' (listed above)' if left else ''}")


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", default="", help="The partnership's name, e.g. \"Anytown Health and "
              "Social Care Partnership\".")
@click.option("--from", "last_year", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Start from last year's project in this folder instead "
              "(the same as apr next-year DIRECTORY --project LAST_YEAR).")
@click.option("--year", default=None, callback=checked_year, help="With --from: the new "
              "reporting year (2024 for 2024/25); by default the year after last year's.")
@click.option("--workbook", "as_workbook", is_flag=True, help="Keep the data tables in one "
              "Excel workbook, data/apr-data.xlsx (see apr workbook), instead of CSV files.")
def init(directory: Path, name: str, last_year: Path | None, year: int | None,
         as_workbook: bool) -> None:
    """Create a new partnership project in DIRECTORY to fill in.

    The project holds every input file with its headers and worked example rows, an apr.toml
    with comments, and a GUIDE.md on filling it in. It builds at once, into a draft full of
    "To be completed" markers. With --from LAST_YEAR, the new project is next year's, made
    from last year's project (see apr next-year).
    """
    if last_year is not None:
        from .commands.cycle import run_next_year
        run_next_year(last_year, directory, year)
        if as_workbook:
            from .commands.workbook import run_workbook
            run_workbook(directory)
        return
    from .scaffold import create_project
    try:
        written = create_project(directory, name)
    except AprError as exc:
        _fail(exc, "no project was created")
    if as_workbook:
        from .commands.workbook import run_workbook
        run_workbook(directory)
    click.echo(f"created {_rel(directory)} with {len(written)} files; next:")
    click.echo(f"  read {_rel(directory / 'GUIDE.md')}")
    click.echo(f"  apr build --project {_rel(directory)} --year 2023")


def _rel(path: Path) -> str:
    from .config import display_path
    return display_path(path)


if __name__ == "__main__":  # pragma: no cover
    main()

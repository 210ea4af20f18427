"""``apr absorb REVIEWED.docx``: edits made in Word to a draft, back into content/*.md."""
from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command("absorb")
@click.argument("docx", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--project", "project", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), show_default="the current folder",
              help="The partnership project folder (the one holding apr.toml).")
@click.option("--accept-changes", is_flag=True,
              help="Carry tracked changes still pending in the draft as if accepted "
                   "(without it they are listed, not carried).")
@click.option("--yes", is_flag=True, help="Write the changes without asking.")
def absorb(docx: Path, project: Path, accept_changes: bool, yes: bool) -> None:
    """Carry the edits made in Word to a draft back into the narrative files.

    Shows the changes to content/*.md as a diff and asks before writing (--yes writes
    without asking; without a terminal to ask, nothing is written unless --yes is given).
    Lists the comments, the tracked changes still pending and any edit to generated text
    (figures, tables, generated sentences) with what to change instead.
    """
    from ..absorb import diff, review_draft, write_changes
    from ..cli import _fail, _show
    from ..findings import AprError
    if not (project / "apr.toml").is_file():
        _no_project(project)
    try:
        review = review_draft(docx, project, accept_changes)
    except AprError as exc:
        _fail(exc)
    _show_review(review)
    if review.findings.errors:
        _fail(AprError(review.findings), "nothing was written")
    _show(review.findings)
    if not review.changes:
        click.echo("absorb: no narrative text changed in the draft; nothing to write.")
        return
    click.echo(diff(review), nl=False)
    if not yes and not _confirmed(len(review.changes)):
        return
    try:
        written = write_changes(review)
    except AprError as exc:
        _fail(exc)
    from ..cli import _rel
    for path in written:
        click.echo(f"wrote {_rel(path)}")


def _show_review(review) -> None:
    for title, lines in (("comments", review.comments),
                         ("tracked changes still pending", review.pending)):
        if lines:
            click.echo(f"{title} ({len(lines)}):")
            for line in lines:
                click.echo(f"  {line}")


def _confirmed(count: int) -> bool:
    files = "1 file" if count == 1 else f"{count} files"
    if not sys.stdin.isatty():
        click.echo(f"absorb: nothing written: there is no terminal to ask whether to change "
                   f"{files}; run again with --yes to write them.", err=True)
        sys.exit(1)
    if click.confirm(f"Write these changes to {files}?", default=False):
        return True
    click.echo("absorb: nothing written.")
    return False


def _no_project(project: Path) -> None:
    from ..cli import _fail
    from ..config import display_path
    from ..findings import AprError, Findings
    problems = Findings()
    problems.error("config.not_found", "there is no apr.toml here, so this is not an apr "
                   "project; run absorb in the project folder the draft was built from, or "
                   "give it with --project DIR", display_path(project / "apr.toml"))
    _fail(AprError(problems))

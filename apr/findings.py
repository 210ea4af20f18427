"""Findings: every problem apr reports, as data, shown in one format.

``data/finance.csv:14:3: error: amount must be a number, found 'abc' [finance.not_a_number]``
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NoReturn

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file and, where known, a row (1-based, as a spreadsheet shows it)
    and a column name; or a template and line; or apr.toml, the line and the dotted setting
    (``column``), shown as ``apr.toml:14: setting 'report.board_date'``."""

    file: str = ""
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        text = self.file or "the project"
        if self.row is not None:
            text += f":{self.row}"
        if self.column:
            kind = "setting" if self.file.replace("\\", "/").rsplit("/", 1)[-1] == "apr.toml" \
                else "column"
            text += f": {kind} '{self.column}'"
        return text


@dataclass(frozen=True)
class Finding:
    """One problem: stable dotted code, severity, location and a message that says what was
    expected, what was found and what to do."""

    code: str
    severity: str
    message: str
    location: Location = field(default_factory=Location)

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.message} [{self.code}]"

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "file": self.location.file,
            "row": self.location.row,
            "column": self.location.column,
        }


class Findings(list):
    """A list of findings with helpers to add and query them."""

    def error(self, code: str, message: str, file: str = "", row: int | None = None,
              column: str | None = None) -> None:
        self.append(Finding(code, ERROR, message, Location(file, row, column)))

    def warning(self, code: str, message: str, file: str = "", row: int | None = None,
                column: str | None = None) -> None:
        self.append(Finding(code, WARNING, message, Location(file, row, column)))

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self if f.severity == WARNING]

    def stop_if_errors(self, strict: bool = False) -> None:
        """Raise AprError with every finding so far when one is an error (or, if ``strict``,
        a warning); the pipeline calls it between stages, and only the pipeline."""
        if self.errors or (strict and self.warnings):
            raise AprError(self)

    def stop_with_errors(self) -> NoReturn:
        """Raise AprError with the errors alone: a stage could not make its result (a template
        that does not render, a browser that failed), which the user must fix first."""
        raise AprError(self.errors)


LINE_LIMIT = 199     # a finding's first line, location and code included
DETAIL_WIDTH = 96    # the detail lines under it


def finding_lines(finding: Finding, head: str = "") -> list[str]:
    """Return a finding as printed: a first line under 200 characters (where, severity, what,
    code), and the rest of a long message on indented lines below it; ``head`` replaces the
    usual "where: severity: " at the start of the first line."""
    head = head or f"{finding.location}: {finding.severity}: "
    code = f" [{finding.code}]"
    first, _, detail = finding.message.partition("\n")
    room = LINE_LIMIT - len(head) - len(code)
    rest = ""
    if len(first) > room:
        # cut after a clause ("; ", ". "), else a comma, else a word, keeping at least half the
        # room on the first line so that it says what the problem is
        cut = -1
        for mark in ("; ", ". ", ", ", " "):
            cut = first.rfind(mark, room // 2, room)
            if cut > 0:
                break
        cut = cut if cut > 0 else room
        first, rest = first[:cut + 1].rstrip(), first[cut + 1:].strip()
    import textwrap
    lines = [head + first + code]
    for part in (rest, detail):
        lines += textwrap.wrap(part, DETAIL_WIDTH, initial_indent="    ",
                               subsequent_indent="    ") if part.strip() else []
    return lines


def grouped(findings: list[Finding]) -> list[Finding]:
    """Return the findings grouped by file, files in the order they are first named (the order
    of the report for its placeholders), each file's findings by row or line."""
    order: dict[str, int] = {}
    for f in findings:
        order.setdefault(f.location.file, len(order))
    # within a file, rows and lines in order; findings without one first (sorted() is stable)
    return sorted(findings, key=lambda f: (order[f.location.file], f.location.row or 0))


def summary_line(findings: list[Finding], to_complete: int, final: bool) -> str:
    """Return "3 errors, 5 things to complete before this report is final" and the like."""
    errors = sum(1 for f in findings if f.severity == ERROR)
    warnings = sum(1 for f in findings if f.severity == WARNING) - to_complete
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    if to_complete:
        parts.append(f"{to_complete} thing{'s' if to_complete != 1 else ''} to complete"
                     f"{'' if final else ' before this report is final'}")
    return ", ".join(parts)


class AprError(Exception):
    """A run stopped by problems the user can fix; carries every finding collected so far."""

    def __init__(self, findings: list[Finding]):
        super().__init__("\n".join(str(f) for f in findings))
        self.findings = list(findings)

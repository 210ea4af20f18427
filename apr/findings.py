"""Findings: every problem apr reports, as data, shown in one format.

``sample_inputs/data/finance.csv:14:3: error: amount must be a number, found 'abc' [finance.not_a_number]``
"""
from __future__ import annotations

from dataclasses import dataclass, field

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
        text = self.file or "<project>"
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


class AprError(Exception):
    """A run stopped by problems the user can fix; carries every finding collected so far."""

    def __init__(self, findings: list[Finding]):
        super().__init__("\n".join(str(f) for f in findings))
        self.findings = list(findings)

"""Figures cited from the data in narrative: ``[[NI-2 latest]]``, ``[[finance budget]]``.

A narrative file (content/*.md) may name a figure in double square brackets instead of typing
it; apr puts in the figure from the data, written as the report writes every figure
(apr/formatting.py). The names are the table in docs/narrative-figures.md, made by
``Vocabulary``. An unknown name is an error at the file and line, with the nearest name; a
name whose figure the data do not have becomes a "To be completed" marker naming the data file.

Double square brackets are neither Markdown (a link is ``[text](address)``) nor Jinja
(narrative files are Markdown inserted as they are, never run as templates), so ``[[`` cannot
be read as anything else.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from .. import formatting as fmt
from ..analysis.finance import variance_words
from ..findings import Findings, Location
from .placeholders import MARKER

CITATION = re.compile(r"\[\[([^\[\]\n]*)\]\]")

INDICATOR_FIGURES = {"latest": "latest figure", "previous": "previous figure",
                     "scotland": "Scotland figure for the latest period"}
FINANCE_FIGURES = {"budget": "budget (the annual financial statement)",
                   "final budget": "final budget (the total paid to or set aside)",
                   "total spend": "total spend", "variance": "variance against the budget",
                   "final variance": "variance against the final budget"}
SAVINGS_FIGURES = {"planned": "savings planned", "achieved": "savings achieved",
                   "recurring": "recurring savings achieved"}
RESERVES_FIGURES = {"opening": "reserves at the start of the year",
                    "closing": "reserves at the end of the year"}
LOCALITY_FIGURES = {"population": "population", "spend": "spend"}


@dataclass
class Cited:
    """A figure a narrative can cite: as the report writes it (None when the data lack it),
    what it is in words, and the data table it comes from."""

    text: str | None
    what: str
    table: str


def key(name: str) -> str:
    """Return a citation name as apr compares it: lower case, single spaces."""
    return " ".join(name.lower().split())


class Vocabulary:
    """Every name a narrative can cite, with its figure for this report."""

    def __init__(self, analysis, config):
        self.unit, self.decimals = config.amounts, config.money_decimals
        self.names: dict[str, str] = {}          # key -> the name as documented
        self.figures: dict[str, Cited] = {}
        self._indicators(analysis.indicators)
        self._finance(analysis.finance)
        self._localities(analysis.localities)

    def add(self, name: str, text: str | None, what: str, table: str) -> None:
        self.names[key(name)] = name
        self.figures[key(name)] = Cited(text, what, table)

    def money(self, value) -> str | None:
        return None if value is None else fmt.money_words(value, self.unit, self.decimals)

    def _indicators(self, results) -> None:
        for r in results:
            latest, previous = r.latest, r.previous
            scotland = latest.value.scotland if latest and latest.value else None
            values = {"latest": latest.number if latest else None,
                      "previous": previous.number if previous else None,
                      "scotland": scotland if isinstance(scotland, float) else None}
            for which, words in INDICATOR_FIGURES.items():
                text = None if values[which] is None else \
                    fmt.indicator_value(r.indicator, values[which])
                self.add(f"{r.code} {which}", text, f"the {words} of {r.code}", "indicators")

    def _finance(self, finance) -> None:
        shown = finance.current.shown if finance.current else None
        amounts = {"budget": shown and shown.budget, "final budget": shown and shown.funding,
                   "total spend": shown and shown.outturn}
        for which, value in amounts.items():
            self.add(f"finance {which}", self.money(value), f"the {FINANCE_FIGURES[which]}",
                     "finance")
        for which, value in (("variance", shown and shown.variance),
                             ("final variance", shown and shown.final_variance)):
            text = None if shown is None else variance_words(value, self.unit, self.decimals)
            self.add(f"finance {which}", text, f"the {FINANCE_FIGURES[which]}", "finance")
        savings, reserves = finance.savings, finance.reserves
        for which, words in SAVINGS_FIGURES.items():
            self.add(f"savings {which}", self.money(getattr(savings, which, None)),
                     f"the {words}", "savings")
        for which, words in RESERVES_FIGURES.items():
            self.add(f"reserves {which}", self.money(getattr(reserves, which, None)),
                     f"the {words}", "reserves")

    def _localities(self, localities) -> None:
        for loc in localities:
            population = None if loc.population is None else fmt.number(loc.population)
            self.add(f"locality {loc.name} population", population,
                     f"the population of {loc.name}", "localities")
            self.add(f"locality {loc.name} spend", self.money(loc.spend),
                     f"the spend in {loc.name}", "localities")

    def suggestion(self, name: str) -> str:
        """Return the documented name nearest to NAME, or ""."""
        close = difflib.get_close_matches(key(name), list(self.names), n=1, cutoff=0.6)
        return self.names[close[0]] if close else ""


def data_file(inputs, table: str) -> str:
    """Return the data file (or workbook sheet) a table was read from, as messages show it;
    data/TABLE.csv in the project when it has none."""
    from ..config import display_path
    from ..paths import table_stem
    from ..sources.tables import normalise_column
    for shown in inputs.files:
        if normalise_column(table_stem(shown)) == table:
            return shown
    return display_path(inputs.config.project_dir / "data" / f"{table}.csv")


def in_project(shown: str, project_dir) -> str:
    """Return a data file as the report names it: data/finance.csv, inside the project."""
    from pathlib import Path
    try:
        return Path(shown).resolve().relative_to(Path(project_dir).resolve()).as_posix()
    except (ValueError, OSError):
        return shown


def cite(text: str, file: str, vocabulary: Vocabulary, inputs, findings: Findings,
         pending: list[tuple[str, Location]]) -> str:
    """Return narrative TEXT with each ``[[name]]`` replaced by its figure. An unknown name is
    an error at FILE and its line; a figure the data lack becomes "To be completed: ..." text,
    added to PENDING with the data file, so that the report shows a marker there."""
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        def figure(m: re.Match, line_number: int = number) -> str:
            return _figure(m.group(1), file, line_number, vocabulary, inputs, findings, pending)
        lines[number - 1] = CITATION.sub(figure, line)
    return "\n".join(lines)


def _figure(name: str, file: str, line: int, vocabulary: Vocabulary, inputs,
            findings: Findings, pending: list[tuple[str, Location]]) -> str:
    cited = vocabulary.figures.get(key(name))
    if cited is None:
        findings.error("narrative.unknown_figure", unknown_message(name, vocabulary), file, line)
        return name.strip()
    if cited.text is not None:
        return cited.text
    shown = data_file(inputs, cited.table)
    todo = f"{MARKER}: {cited.what}, from {in_project(shown, inputs.config.project_dir)}"
    pending.append((todo, Location(shown)))
    return todo


def unknown_message(name: str, vocabulary: Vocabulary) -> str:
    """Say that [[NAME]] is not a figure apr knows, with the nearest name."""
    close = vocabulary.suggestion(name)
    hint = f" (did you mean [[{close}]]?)" if close else ""
    return (f"there is no figure called [[{name.strip()}]]{hint}; the names are listed in "
            "docs/narrative-figures.md")

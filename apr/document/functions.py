"""The functions templates call: ``table()``, ``figure()``, ``narrative()``, ``todo()``, the
number and word formatters, each documented by its docstring's first paragraph.

Formatting itself is apr/formatting.py and apr/wording.py; narrative insertion is
apr/document/narrative.py. The functions here bind them to one build's settings and record
what the templates asked for (the narrative files used, the placeholders made).
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from .. import formatting as fmt
from .. import wording
from ..analysis.finance import variance_words
from ..config import ReportConfig, ReportingYear, and_words, display_path
from ..findings import Findings, Location
from ..internals import JINJA_TEMPLATE_GLOBAL
from ..model import Inputs
from . import nodes as n
from .citations import Vocabulary
from .narrative import NarrativeChecks, insert_narrative, unknown_name
from .templating import MarkdownText, TemplateProblem


@dataclass
class ContextFunctions:
    """The functions templates call; each records what it was asked for.

    ``figure_names`` are the charts this build can draw; ``possible_figures`` every chart
    apr can draw with some data, so that ``figure()`` of a chart the data do not give inserts
    nothing while a misspelt name is an error.
    """

    config: ReportConfig
    inputs: Inputs
    findings: Findings
    table_names: list[str]
    figure_names: list[str]
    possible_figures: list[str] = field(default_factory=list)
    used_narrative: set[str] = field(default_factory=set)
    placeholders: list[n.Placeholder] = field(default_factory=list)
    vocabulary: Vocabulary | None = None   # the figures narrative can cite (build_context)
    cited_pending: list[tuple[str, Location]] = field(default_factory=list)

    def placeholder(self, text: str, where: Location, code: str) -> str:
        """Register a placeholder and return the markup line that stands for it."""
        self.placeholders.append(n.Placeholder(text, where, code))
        return MarkdownText(f"\n<<todo #{len(self.placeholders) - 1}>>\n")

    def table(self, name: str) -> str:
        """Insert a table apr built from the data, by name: {{ table("finance.categories") }}."""
        if name not in self.table_names:
            raise TemplateProblem("template.unknown_table",
                                  unknown_name("table", name, self.table_names))
        return MarkdownText(f"\n<<table {name}>>\n")

    def figure(self, name: str) -> str:
        """Insert a chart by name: {{ figure("chart.NI-12") }}; nothing if it has no data."""
        if name in self.figure_names:
            return MarkdownText(f"\n<<figure {name}>>\n")
        if name in self.possible_figures:
            return ""
        names = sorted(set(self.figure_names) | set(self.possible_figures))
        raise TemplateProblem("template.unknown_figure", unknown_name("figure", name, names))

    def narrative(self, name: str, level: int = 2, missing: str = "") -> str:
        """Insert content/NAME.md, its headings demoted to start at LEVEL; a To be completed
        marker and a warning when the file is missing or empty."""
        self.used_narrative.add(name)
        item = self.inputs.narrative.get(name)
        if item is None or not item.text.strip():
            file = display_path(self.config.project_dir / "content" / f"{name}.md")
            return self.placeholder(missing or "the narrative of this section",
                                    Location(file), code="narrative.missing")
        checks = NarrativeChecks(self.inputs, self.findings,
                                 {"table": self.table_names, "figure": self.figure_names},
                                 self.vocabulary, self.cited_pending)
        # the <<source>> lines tell the parser which file and line each block comes from
        # (apr absorb carries edits made in Word back to the file)
        return MarkdownText(f"\n<<source {name}>>{insert_narrative(item, level, checks)}"
                            "<<source>>\n")

    def has_narrative(self, name: str) -> bool:
        """True when content/NAME.md exists and is not empty."""
        item = self.inputs.narrative.get(name)
        return bool(item and item.text.strip())

    def has_data(self, name: str) -> bool:
        """True when the data table NAME (e.g. "inspections") was given, as a CSV file or a
        workbook sheet, even with only its header row: has_data("inspections")."""
        from ..paths import table_stem
        from ..sources.tables import normalise_column
        return any(normalise_column(table_stem(file)) == name for file in self.inputs.files)

    def todo(self, text: str, file: str = "", setting: str = "") -> str:
        """Insert a visible 'To be completed' marker saying TEXT is missing, and a warning;
        name where to supply it with FILE (data/finance.csv) or SETTING (best_value.auditor),
        else the warning names the template and line."""
        if setting:
            where = Location(self.config.config_file, None, setting)
        elif file:
            where = Location(display_path(self.config.project_dir / file))
        else:
            where = template_location()
        return self.placeholder(text, where, code="placeholder.template")

    def money(self, value: Any, brackets: bool = True) -> str:
        """Format an amount in the project's unit for a table: 12,345 or (1,200) for negatives."""
        return fmt.money(value, self.config.amounts, brackets, self.config.money_decimals)

    def money_words(self, value: Any) -> str:
        """Format an amount in pounds for a sentence: £1.2m, £350k ([finance] decimals)."""
        return fmt.money_words(value, self.config.amounts, self.config.money_decimals)

    def variance_words(self, value: Any) -> str:
        """Describe budget minus spend: 'an underspend of £1.2m' or 'an overspend of £350k'."""
        return variance_words(value, self.config.amounts, self.config.money_decimals)

    def pct(self, value: Any, decimals: int = 1) -> str:
        """Format a percentage: pct(12.345) is '12.3%'."""
        return fmt.percent(value, decimals)

    def number(self, value: Any, decimals: int = 0) -> str:
        """Format a number with thousands separators: number(151300) is '151,300'."""
        return fmt.number(value, decimals)

    def ordinal(self, n: int) -> str:
        """Return 1st, 2nd, 3rd, 4th ... for ranks."""
        return fmt.ordinal(n)

    def date(self, value: Any) -> str:
        """Format a date as '31 July 2024'."""
        return fmt.long_date(value)

    def value(self, result: Any, which: str = "latest") -> str:
        """Format an indicator result's latest (or previous) value with its unit."""
        cell = getattr(result, which)
        return fmt.DASH if cell is None else fmt.indicator_value(result.indicator, cell.number)

    def plural(self, n: int, word: str = "", plural: str = "") -> str:
        """Return '1 decision', '3 decisions' or 'no decisions' (or the PLURAL given); without
        WORD, '3' or 'none'."""
        return wording.count(n, word, plural)

    def share(self, part: int, whole: int, word: str, plural: str = "", verb: str = "") -> str:
        """Return PART of WHOLE as words: '5 of the 6 graded services', 'all 6 graded
        services', 'the only graded service', 'none of the 6 ...'; VERB 'was|were' adds the
        verb that agrees."""
        return wording.share(part, whole, word, plural, verb)

    def movement(self, before: str, after: str, old: Any = None, new: Any = None) -> str:
        """Describe a change from the figures as shown: 'rose from 31.5% to 28.1%' (with the
        numbers OLD and NEW), 'went from ...' (without), 'was unchanged at 28.1%'."""
        return wording.movement(before, after, old, new)

    def period(self, start: Any) -> str:
        """Return the label of the reporting year starting in START: period(2023) is '2023/24'."""
        return ReportingYear(int(getattr(start, "start", start))).label

    def compare(self, a: Any, b: Any, higher_is_better: bool | None = True,
                unit: str = "") -> str:
        """Compare A with B as words: 'higher (better) than', '2.1 percentage points lower
        (worse) than', 'the same as'; UNIT '%' gives percentage points, '' no amount."""
        return wording.compare(a, b, higher_is_better, unit)

    def and_words(self, items: Any) -> str:
        """Return a list in words: 'A', 'A and B', 'A, B and C' (recipients | and_words)."""
        return and_words([str(i) for i in items])


FUNCTION_NAMES = ("table", "figure", "narrative", "has_narrative", "has_data", "todo", "money",
                  "money_words", "variance_words", "pct", "number", "ordinal", "date", "value",
                  "plural", "share", "movement", "period", "compare", "and_words")
# Functions that also work as filters: {{ finance.current.budget | money_words }}.
FILTER_NAMES = ("money", "money_words", "variance_words", "pct", "number", "ordinal", "date",
                "period", "and_words")


def function_help(name: str) -> str:
    """Return the help of the context function NAME: its docstring's first paragraph."""
    doc = getattr(ContextFunctions, name).__doc__ or ""
    return " ".join(doc.strip().split("\n\n")[0].split())


FUNCTIONS: dict[str, str] = {name: function_help(name) for name in FUNCTION_NAMES}
FILTERS: dict[str, str] = {name: f"{{{{ value | {name} }}}}: {FUNCTIONS[name]}"
                           for name in FILTER_NAMES}


def functions(fns: ContextFunctions) -> dict[str, Any]:
    """Return the context functions bound to this build, by name, for the template context."""
    return {name: getattr(fns, name) for name in FUNCTION_NAMES}


def filters(fns: ContextFunctions) -> dict[str, Any]:
    """Return the filters of FILTER_NAMES bound to this build's settings, for env.filters."""
    return {name: getattr(fns, name) for name in FILTER_NAMES}


def template_location() -> Location:
    """Return the template file and line that is calling a context function right now."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        template = frame.f_globals.get(JINJA_TEMPLATE_GLOBAL)   # apr/internals.py
        if template is not None and template.filename:
            line = template.get_corresponding_lineno(frame.f_lineno)
            return Location(display_path(Path(template.filename)), line)
        frame = frame.f_back
    return Location()

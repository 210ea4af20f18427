"""Figures typed in the narrative that contradict the data: ``narrative.figure_mismatch``.

People type figures into content/*.md ("The IJB's budget for 2023/24 was £309.8 million").
This check reads each sentence and, where it can tell for certain which figure of the data a
typed number stands for, warns when the two disagree by more than the typed figure's rounding:

* the budget, the final budget and the total spend ("budget ... was £X", "spent £X");
* the savings planned and achieved ("a savings programme of £X", "savings delivered £X");
* the reserves at the start and end of the year ("started the year with reserves of £X",
  "reserves stood at £X");
* an indicator's figure, in a sentence that names one indicator (its code, NI-12, or its
  short title): a percentage for a percentage indicator, else a number;
* a locality's population, in a sentence that names one locality ("about 61,200 residents").

It keeps quiet whenever it could be wrong: a sentence that names another year than the
reporting year, a figure after "more than", "almost" and the like, a figure less than half or
more than half as large again as the data's (another figure, not a mistyped one), figures
cited with ``[[...]]``, tables, code and apr's own instructions. What it matches and how to
silence a false match is in docs/narrative-figures.md.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .. import formatting as fmt
from ..findings import Findings

NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
MONEY = rf"£\s?(?:{NUMBER})(?:\s?(?:million|billion|thousand|bn|m|k)\b)?"
MULTIPLIERS = {"million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "thousand": 1e3, "k": 1e3}
YEAR = re.compile(r"(?<![\d,.£])((?:19|20)\d\d(?:/\d\d)?)(?![\d,%])")
NOT_EXACT = re.compile(r"\b(?:more than|over|almost|nearly|under|less than|fewer than|at least|"
                       r"up to|above|below|by|per|from|aged|outcome|section|page|priority)\s*$",
                       re.IGNORECASE)
BAND = (0.5, 1.5)   # a typed figure outside this share of the data's is another figure

FINANCE_PATTERNS = {
    "budget": rf"(?<!final )(?<!/\d\d )\bbudget(?: for (?:the year|\d{{4}}/\d\d))?,? "
              rf"(?:was|is|of|stood at|totalled|amounted to|came to) (?P<money>{MONEY})",
    "final budget": rf"\bfinal budget(?: for (?:the year|\d{{4}}/\d\d))?,? "
                    rf"(?:was|is|of|to|stood at|totalled|amounted to|came to) (?P<money>{MONEY})",
    "total spend": rf"(?:\bspent|\btotal spend(?:ing)? (?:was|of|totalled|came to)|\boutturn "
                   rf"(?:was|of)) (?:a total of )?(?P<money>{MONEY})"
                   rf"(?! on (?!health and social care))",
    "savings planned": rf"\bsavings(?: and transformation)? programme of (?P<money>{MONEY})",
    "savings achieved": rf"(?:\bsavings(?: programme)? (?:delivered|achieved|made|totalled) "
                        rf"(?P<money>{MONEY})|\b(?:delivered|achieved|made|realised) "
                        rf"(?P<money2>{MONEY}) (?:of|in) savings\b)",
    "reserves": rf"(?<!general )(?<!earmarked )(?<!fenced )\breserves (?P<verb>of|stood at|were|"
                rf"totalled|amounted to|came to|fell to|rose to) (?P<money>{MONEY})",
}
OPENING = re.compile(r"\bstart(?:ed)? (?:of )?the year|\bopening\b|\b1 april\b", re.IGNORECASE)
CLOSING = re.compile(r"\b31 march\b|\bend of the year\b|\bended the year\b|\bclosing\b",
                     re.IGNORECASE)
LOCALITY_PATTERNS = (
    rf"(?P<n>{NUMBER}) (?:residents|inhabitants|people live|people living)\b",
    rf"\bpopulation (?:of|is|was|stands at|stood at) (?:about |around |some )?(?P<n>{NUMBER})",
)


@dataclass
class Typed:
    """A figure as typed: its text, its value (pounds for money) and its rounding step."""

    text: str
    value: float
    step: float


@dataclass
class Fact:
    """A figure of the data a typed one may stand for."""

    what: str            # "the budget"
    values: list[float]  # what agrees: the figure (pounds for money) and its other forms
    shown: str           # as the report writes it
    source: str          # "the finance table"
    cite: str            # "[[finance budget]]"
    slack: float = 0.0   # how far the data may be from the true figure: a total of rounded
    #                      lines in £m is within [finance] rounding_tolerance of the accounts


def parse_money(text: str) -> Typed:
    """Return "£309.8 million" as 309,800,000 pounds, to within £100,000."""
    m = re.match(rf"£\s?({NUMBER})\s?([a-z]*)", text)
    figure = parse_number(m.group(1), trailing_zeros=False)
    scale = MULTIPLIERS.get(m.group(2), 1.0)
    return Typed(text, figure.value * scale, figure.step * scale)


def parse_number(text: str, trailing_zeros: bool = True) -> Typed:
    """Return "61,200" as 61200 to within 100 (a whole number of 1,000 or more ending in zeros
    is taken as rounded to them), "91.2" as 91.2 to within 0.1."""
    digits = text.replace(",", "")
    value = float(digits)
    if "." in digits:
        return Typed(text, value, 10.0 ** -len(digits.split(".")[1]))
    zeros = len(digits) - len(digits.rstrip("0")) if trailing_zeros and value >= 1000 else 0
    return Typed(text, value, 10.0 ** zeros)


def contradicts(typed: Typed, fact: Fact) -> bool:
    """True when TYPED agrees with none of FACT's values within its rounding, though it is
    close enough to the first to be meant as that figure."""
    if not fact.values or not fact.values[0] or fact.values[0] < 0:
        return False
    share = typed.value / fact.values[0]
    if not BAND[0] <= share <= BAND[1]:
        return False
    return all(abs(typed.value - v) >= typed.step + fact.slack - 1e-9 for v in fact.values)


def check_narrative_figures(inputs, analysis, findings: Findings) -> None:
    """Warn, at the file and line, about each typed figure that contradicts the data."""
    checker = Checker(inputs, analysis)
    for item in sorted(inputs.narrative.values(), key=lambda i: i.file):
        for line, sentence in sentences(item.text):
            for typed, fact in checker.mismatches(sentence):
                findings.warning("narrative.figure_mismatch", message(typed, fact),
                                 item.file, line)


def message(typed: Typed, fact: Fact) -> str:
    """Say which figure disagrees with which, and what to do."""
    return (f"{fact.what} is written as {typed.text}; {fact.source} gives {fact.shown}. "
            f"Correct the figure, or write {fact.cite} to take it from the data")


CITED = re.compile(r"\[\[[^\[\]\n]*\]\]")
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
SKIP_LINE = re.compile(r"^\s*(?:<<|:::|\||```|~~~|!\[)")


def sentences(text: str):
    """Yield (line number, sentence) for the prose of a narrative file: no code, tables,
    instructions or cited figures, emphasis marks removed."""
    fenced = False
    for number, line in enumerate(text.split("\n"), start=1):
        if re.match(r"^\s*(```|~~~)", line):
            fenced = not fenced
            continue
        if fenced or SKIP_LINE.match(line):
            continue
        line = LINK.sub(r"\1", CITED.sub(" (cited) ", line)).replace("*", "").replace("_", " ")
        for sentence in re.split(r"(?<=[.!?])\s+", line):
            if sentence.strip():
                yield number, sentence.strip()


class Checker:
    """The facts of the data a sentence's figures are compared with."""

    def __init__(self, inputs, analysis):
        config = inputs.config
        self.unit, self.decimals = config.amounts, config.money_decimals
        self.slack = self.pounds(config.rounding_tolerance or 0.0)
        year = analysis.year
        self.years = {year.label, str(year.start), str(year.start + 1)}
        self.finance = self._finance_facts(analysis.finance)
        self.indicators = [r for r in analysis.indicators
                           if r.latest and r.latest.number is not None]
        self.localities = [loc for loc in analysis.localities if loc.population]

    def pounds(self, value: float) -> float:
        return value * (1e6 if self.unit == "£m" else 1e3)

    def money_fact(self, what: str, value, source: str, cite: str) -> Fact | None:
        if value is None:
            return None
        return Fact(what, [self.pounds(value)], fmt.money_words(value, self.unit, self.decimals),
                    source, cite, self.slack)

    def _finance_facts(self, finance) -> dict[str, Fact | None]:
        shown = finance.current.shown if finance.current else None
        savings, reserves = finance.savings, finance.reserves
        table = "the finance table"
        return {
            "budget": self.money_fact("the budget", shown and shown.budget, table,
                                      "[[finance budget]]"),
            "final budget": self.money_fact("the final budget", shown and shown.funding, table,
                                            "[[finance final budget]]"),
            "total spend": self.money_fact("the total spend", shown and shown.outturn, table,
                                           "[[finance total spend]]"),
            "savings planned": self.money_fact("the total of savings planned",
                                               savings and savings.planned,
                                               "the savings table", "[[savings planned]]"),
            "savings achieved": self.money_fact("the total of savings achieved",
                                                savings and savings.achieved,
                                                "the savings table", "[[savings achieved]]"),
            "reserves opening": self.money_fact("the total of reserves at the start of the year",
                                                reserves and reserves.opening,
                                                "the reserves table", "[[reserves opening]]"),
            "reserves closing": self.money_fact("the total of reserves at the end of the year",
                                                reserves and reserves.closing,
                                                "the reserves table", "[[reserves closing]]"),
        }

    def other_year(self, sentence: str, allowed: set[str]) -> bool:
        """True when SENTENCE names a year other than ALLOWED: it is about another figure."""
        return any(y not in allowed for y in YEAR.findall(sentence))

    def mismatches(self, sentence: str) -> list[tuple[Typed, Fact]]:
        found = self.money_mismatches(sentence) if not self.other_year(sentence, self.years) \
            else []
        return found + self.indicator_mismatches(sentence) + self.locality_mismatches(sentence)

    def money_mismatches(self, sentence: str) -> list[tuple[Typed, Fact]]:
        found = []
        for measure, pattern in FINANCE_PATTERNS.items():
            for m in re.finditer(pattern, sentence, re.IGNORECASE):
                fact = self.finance.get(self._measure(measure, m, sentence))
                typed = parse_money(m.group("money") if m.group("money") else m.group("money2"))
                if fact and contradicts(typed, fact):
                    found.append((typed, fact))
        return found

    def _measure(self, measure: str, m: re.Match, sentence: str) -> str:
        """Return which reserves figure a match is about ("" when it cannot tell)."""
        if measure != "reserves":
            return measure
        if m.group("verb") in ("stood at", "fell to", "rose to") or CLOSING.search(sentence):
            return "reserves closing" if not OPENING.search(sentence) else ""
        return "reserves opening" if OPENING.search(sentence) else ""

    def indicator_mismatches(self, sentence: str) -> list[tuple[Typed, Fact]]:
        named = [r for r in self.indicators if names(sentence, r)]
        if len(named) != 1:
            return []
        result = named[0]
        allowed = self.years | {result.latest.period}
        if self.other_year(sentence, allowed):
            return []
        fact = indicator_fact(result)
        return [(typed, fact) for typed in figures(sentence, result)
                if contradicts(typed, fact)]

    def locality_mismatches(self, sentence: str) -> list[tuple[Typed, Fact]]:
        named = [loc for loc in self.localities if re.search(rf"\b{re.escape(loc.name)}\b",
                                                             sentence)]
        named = [loc for loc in named if not any(loc.name in other.name and loc is not other
                                                 for other in named)]
        if len(named) != 1 or self.other_year(sentence, self.years):
            return []
        loc = named[0]
        fact = Fact(f"the population of {loc.name}", [loc.population],
                    fmt.number(loc.population), "the localities table",
                    f"[[locality {loc.name} population]]")
        found = []
        for pattern in LOCALITY_PATTERNS:
            for m in re.finditer(pattern, sentence, re.IGNORECASE):
                typed = parse_number(m.group("n"))
                if contradicts(typed, fact):
                    found.append((typed, fact))
        return found


def names(sentence: str, result) -> bool:
    """True when SENTENCE names an indicator, by its code or its short title."""
    m = re.search(rf"(?<![\w-]){re.escape(result.code)}(?![\w-])", sentence)
    title = result.indicator.short_title
    if m is None and title:
        m = re.search(rf"(?<!\w){re.escape(title)}(?!\w)", sentence, re.IGNORECASE)
    return m is not None


def indicator_fact(result) -> Fact:
    """Return the latest figure of an indicator, agreeing with any of its published figures."""
    values = [result.latest.number]
    for cell in result.cells:
        v = cell.value
        if v is not None:
            values += [x for x in (cell.number, v.scotland, v.lower, v.upper)
                       if isinstance(x, float)]
    values += [f.value for f in result.localities if isinstance(f.value, float)]
    shown = fmt.indicator_value(result.indicator, result.latest.number)
    return Fact(f"the latest figure of {result.code}", values,
                f"{shown} for {result.latest.period}", "the indicator table",
                f"[[{result.code} latest]]")


def figures(text: str, result) -> list[Typed]:
    """Return the figures in TEXT written in the indicator's unit: percentages for a
    percentage indicator, else numbers that are not years, amounts or percentages."""
    percent = result.indicator.unit_short == "%"
    pattern = rf"(?<![\w.,/£-])({NUMBER})(\s?%)?(?![\w/])"
    found = []
    for m in re.finditer(pattern, text):
        if bool(m.group(2)) != percent or NOT_EXACT.search(text[:m.start()]):
            continue
        if not percent and YEAR.fullmatch(m.group(1)):
            continue
        typed = parse_number(m.group(1), trailing_zeros=not percent)
        found.append(Typed(m.group(0).strip(), typed.value, typed.step))
    return found

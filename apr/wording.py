"""Words for counts, shares and changes, so that generated sentences read as a person would
write them: "no significant decisions" rather than "0 significant decisions", "all 6 graded
services" rather than "6 of the 6", "the only graded service" rather than "1 of the 1", and
"was unchanged at 38.6%" rather than "went from 38.6% to 38.6%".

Numbers themselves are formatted elsewhere (money, percentages); these functions take the
formatted text where a change is described. See docs/templates.md, "Writing sentences".
"""
from __future__ import annotations

from . import formatting as fmt


def noun(n: int, word: str, plural: str = "") -> str:
    """Return WORD for 1 and its PLURAL (WORD + 's' unless given) for any other number."""
    return word if n == 1 else (plural or word + "s")


def count(n: int, word: str = "", plural: str = "") -> str:
    """Return '3 decisions', '1 decision' or 'no decisions'; without WORD, '3' or 'none'."""
    n = int(n)
    if not word:
        return str(n) if n else "none"
    return f"{n if n else 'no'} {noun(n, word, plural)}"


def share(part: int, whole: int, word: str, plural: str = "", verb: str = "") -> str:
    """Return PART of WHOLE things as words: '5 of the 6 graded services', 'all 6 graded
    services', 'the only graded service', 'none of the 6 graded services' or 'no graded
    service'; with VERB ('was|were') the verb that agrees follows."""
    part, whole = int(part), int(whole)
    many = plural or word + "s"
    if whole == 1:
        text, one = (f"the only {word}" if part else f"no {word}"), True
    elif part == whole:
        text, one = f"all {whole} {many}", False
    elif part == 0:
        text, one = f"none of the {whole} {many}", True
    else:
        text, one = f"{part} of the {whole} {many}", part == 1
    if verb:
        singular, _, several = verb.partition("|")
        text += " " + (singular if one else several or singular)
    return text


def movement(before: str, after: str, old: float | None = None, new: float | None = None) -> str:
    """Return a change as words from the figures as shown: 'rose from 31.5% to 33.0%', 'fell
    from ...', 'went from ...' (without the numbers OLD and NEW) or 'was unchanged at 31.5%'
    when the two read the same."""
    if before == after:
        return f"was unchanged at {after}"
    if old is not None and new is not None and old != new:
        return f"{'rose' if new > old else 'fell'} from {before} to {after}"
    return f"went from {before} to {after}"


def join_words(items: list[str]) -> str:
    """Return 'a', 'a and b' or 'a, b and c'."""
    items = list(items)
    return " and ".join([", ".join(items[:-1]), items[-1]]) if len(items) > 1 else \
        "".join(items)


def capitalise(text: str) -> str:
    """Return TEXT with its first letter made a capital (the rest unchanged)."""
    return text[:1].upper() + text[1:]


def lower_first(text: str) -> str:
    """Return TEXT with its first letter made small, unless it opens an abbreviation (GP)."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def compare(a: float | None, b: float | None, higher_is_better: bool | None = True,
            unit: str = "") -> str:
    """Return A against B as words: 'higher (better) than', '2.1 percentage points lower
    (worse) than', 'the same as', 'not comparable with'; UNIT '%' gives percentage points."""
    if a is None or b is None:
        return "not comparable with"
    diff = fmt.round_half_up(float(a) - float(b), 1)
    if diff == 0:
        return "the same as"
    word = "higher" if diff > 0 else "lower"
    if higher_is_better is not None:
        word += " (better)" if (diff > 0) == bool(higher_is_better) else " (worse)"
    amount = ""
    if unit:
        label = "percentage points" if unit == "%" else unit
        amount = fmt.number(abs(diff), 1).removesuffix(".0") + f" {label} "
    return f"{amount}{word} than"

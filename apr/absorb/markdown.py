"""Carrying an edited paragraph's text back into its Markdown, keeping its inline markup.

The approach: the paragraph's Markdown source is aligned, character by character, with the
text apr showed in Word when it built the draft (``difflib``; line breaks read as the spaces
Word shows, ``[[...]]`` figures as text that matches nothing). Each edit between that text
and the text in Word now (words typed, deleted or replaced) is made at the same place in the
source, so ``**bold**``, ``*italic*``, ``[links](...)`` and cited figures around it stay as
they were; text typed right after a bold word becomes part of it, as in Word. The result is
then checked: parsed again, it must show exactly the text in Word now. When it does not
(an edit across the edge of a link or of bold text, a figure changed), the paragraph is
written from Word's runs instead, bold, italic and links as Markdown, and absorb says so.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..document.citations import CITATION
from .reader import Span

PREFIX = re.compile(r"^(\s*(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+)?)")
HEADING_ID = re.compile(r"\s*\{\s*#[A-Za-z][\w-]*\s*\}\s*$")
ESCAPE = re.compile(r"([\\`*_\[\]<>])")


@dataclass
class Carried:
    """The new Markdown of a paragraph, and a note when its inline markup was not kept."""

    source: str
    note: str = ""
    figures: list[str] | None = None   # cited figures whose shown value was edited


REWRITTEN = ("its bold, italic and links could not be matched to the edits, so the paragraph "
             "was written again from Word's text and formatting; check it")
RESTYLED = ("its bold, italic or links were changed in Word, so the paragraph was written "
            "again from Word's text and formatting; check it")


def carry(source: str, old: str, new: str, spans: list[Span]) -> Carried:
    """Return SOURCE (the Markdown of a paragraph that showed OLD) changed to show NEW with
    the formatting of Word's SPANS; unchanged when Word shows what SOURCE shows."""
    values = cited_values(source, old)
    if old == new:
        if same_format(source, values, spans):
            return Carried(source)
        return Carried(from_spans(source, spans, values), RESTYLED)
    patched, touched = patch(source, old, new)
    if touched:
        return Carried(source, figures=touched)
    if patched is not None and shows(patched, values) == clean(new) \
            and same_format(patched, values, spans):
        return Carried(patched)
    return Carried(from_spans(source, spans, values), REWRITTEN)


def _masked(source: str) -> str:
    """Return SOURCE with line breaks as spaces and each ``[[...]]`` as characters that
    match nothing (same length, so positions stay the same)."""
    text = source.replace("\n", " ")
    return CITATION.sub(lambda m: "\0" * len(m.group(0)), text)


def _mapping(source: str, old: str) -> dict[int, int]:
    """Return {position in OLD: position in SOURCE} for every character the two share."""
    found: dict[int, int] = {}
    matcher = SequenceMatcher(None, old, _masked(source), autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        for k in range(size):
            found[a + k] = b + k
    return found


def cited_values(source: str, old: str) -> dict[str, str]:
    """Return {citation as typed: the figure OLD showed for it}."""
    masked = _masked(source)
    values = {}
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, masked, autojunk=False).get_opcodes():
        if tag == "replace" and masked[j1:j2].strip("\0") == "" and j2 > j1:
            values[source[j1:j2]] = old[i1:i2]
    return values


def patch(source: str, old: str, new: str) -> tuple[str | None, list[str]]:
    """Return (SOURCE with OLD's edits into NEW made in place, or None where an edit has no
    place in the source; the cited figures an edit fell on)."""
    where = _mapping(source, old)
    result = source
    ops = word_edits(old, new)
    for _tag, i1, i2, j1, j2 in reversed(ops):
        span = _source_span(where, i1, i2, len(old))
        if span is None:
            return None, _figures_at(source, old, where, i1, i2)
        start, end = span
        result = result[:start] + ESCAPE.sub(r"\\\1", new[j1:j2]) + result[end:]
    return result, []


TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


def word_edits(old: str, new: str) -> list[tuple[str, int, int, int, int]]:
    """Return the edits from OLD to NEW, whole words at a time, as character positions."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    at_a, at_b = _offsets(a), _offsets(b)
    return [(tag, at_a[i1], at_a[i2], at_b[j1], at_b[j2])
            for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
            if tag != "equal"]


def _offsets(tokens: list[str]) -> list[int]:
    out = [0]
    for token in tokens:
        out.append(out[-1] + len(token))
    return out


def _source_span(where: dict[int, int], i1: int, i2: int, size: int) -> tuple[int, int] | None:
    if i1 < i2:
        if any(k not in where for k in range(i1, i2)):
            return None
        return where[i1], where[i2 - 1] + 1
    if i1 > 0 and i1 - 1 in where:
        return where[i1 - 1] + 1, where[i1 - 1] + 1
    if i1 < size and i1 in where:
        return where[i1], where[i1]
    return None


def _figures_at(source: str, old: str, where: dict[int, int], i1: int, i2: int) -> list[str]:
    """Return the citations whose figure lies in OLD[i1:i2] (or next to an insertion)."""
    values = cited_values(source, old)
    hit = []
    for cited, value in values.items():
        at = old.find(value)
        if at >= 0 and at <= max(i2, i1 + 1) and i1 <= at + len(value):
            hit.append(cited)
    return hit


def clean(text: str) -> str:
    return " ".join(text.split()).removeprefix("– ")


def _parsed(source: str, values: dict[str, str]):
    """Return the one block the Markdown SOURCE parses to (figures as VALUES give them)."""
    from ..document.markup import MarkupParser
    text = CITATION.sub(lambda m: values.get(m.group(0), m.group(0)), source)
    blocks = MarkupParser(lambda kind, key: None)._markdown(text, 0)
    return blocks[0] if len(blocks) == 1 else None


def _runs(block) -> list | None:
    if block is None or not hasattr(block, "runs") and not hasattr(block, "items"):
        return None      # a heading: Word shows it without inline formatting
    return [r for item in block.items for r in item] if hasattr(block, "items") else block.runs


def shows(source: str, values: dict[str, str]) -> str:
    """Return the text the Markdown SOURCE shows once parsed, figures as VALUES give them."""
    block = _parsed(source, values)
    if block is None:
        return "\0"
    runs = _runs(block)
    return clean(block.text if runs is None else "".join(r.text for r in runs))


def same_format(source: str, values: dict[str, str], spans: list[Span]) -> bool:
    """True when SOURCE, parsed, has the bold, italic and links Word's SPANS show."""
    block = _parsed(source, values)
    runs = _runs(block)
    if runs is None:
        return block is not None
    return _signature(runs) == _signature(spans)


def _signature(pieces) -> str:
    """Return text with its formatting as one comparable string (links compared by kind of
    target: Word names an anchor by its bookmark, not the heading's id)."""
    merged: list[Span] = []
    for p in pieces:
        link = None if not p.link else "#" if p.link.startswith("#") else p.link
        span = Span(p.text, p.bold, p.italic, link)
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].link) == \
                (span.bold, span.italic, span.link):
            merged[-1].text += span.text
        else:
            merged.append(span)
    return clean("".join(_inline(s, escape=False) for s in merged))


def from_spans(source: str, spans: list[Span], values: dict[str, str] | None = None) -> str:
    """Return the paragraph written from Word's spans, keeping the source's heading or list
    marker, heading anchor and the ``[[...]]`` figures whose value Word still shows."""
    prefix = PREFIX.match(source).group(1)
    first = source.split("\n", 1)[0]
    anchor = HEADING_ID.search(first) if prefix.lstrip().startswith("#") else None
    body = "".join(_inline(s) for s in spans).strip()
    for cited, value in (values or {}).items():
        shown = ESCAPE.sub(r"\\\1", value)
        if value and shown in body:
            body = body.replace(shown, cited, 1)
    return prefix + body + (anchor.group(0) if anchor else "")


def _inline(span: Span, escape: bool = True) -> str:
    text = ESCAPE.sub(r"\\\1", span.text) if escape else span.text
    core = text.strip()
    if not core:
        return text
    lead, trail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    if span.bold and span.italic:
        core = f"***{core}***"
    elif span.bold:
        core = f"**{core}**"
    elif span.italic:
        core = f"*{core}*"
    if span.link:
        core = f"[{core}]({span.link})"
    return lead + core + trail

"""The sections of the report: the catalogue in ``sections.toml``.

Each section's anchor, title, template, narrative file and the requirements it helps to meet.
The compliance check and the tests read the sections from here; the templates write the same
anchors (tests/test_sections.py holds the three together).
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

WILDCARD = "*"


@dataclass(frozen=True)
class ReportSection:
    """One section of the report, as sections.toml describes it."""

    id: str
    title: str
    template: str
    narrative: str
    requirements: tuple[str, ...]

    @property
    def per_item(self) -> bool:
        """True for a section a template repeats per item (outcome-*, locality-*)."""
        return self.id.endswith(WILDCARD)

    def matches(self, anchor: str) -> bool:
        """True when ``anchor`` is this section: the same id, or one item of a per-item id."""
        if self.per_item:
            prefix = self.id.removesuffix(WILDCARD)
            return anchor.startswith(prefix) and len(anchor) > len(prefix)
        return anchor == self.id

    def narrative_for(self, anchor: str) -> str | None:
        """Return the narrative key (content/KEY.md) of the section with this anchor, if any."""
        if not self.narrative:
            return None
        item = anchor.removeprefix(self.id.removesuffix(WILDCARD)) if self.per_item else ""
        return self.narrative.replace(WILDCARD, item)


@cache
def sections() -> tuple[ReportSection, ...]:
    """Return every section of the report, in the order the report shows them."""
    text = files(__package__).joinpath("sections.toml").read_text(encoding="utf-8")
    return tuple(ReportSection(s["id"], s["title"], s["template"], s["narrative"],
                               tuple(s["requirements"]))
                 for s in tomllib.loads(text)["section"])


def section(anchor: str) -> ReportSection | None:
    """Return the section a heading's anchor belongs to (an exact id before a per-item one)."""
    exact = [s for s in sections() if s.id == anchor]
    return exact[0] if exact else next((s for s in sections() if s.matches(anchor)), None)


def sections_meeting(requirement_id: str) -> tuple[str, ...]:
    """Return the ids of the sections that help to meet a requirement, in report order."""
    return tuple(s.id for s in sections() if requirement_id in s.requirements)


def narrative_key(anchor: str) -> str | None:
    """Return the content/ narrative that holds the section's own assessment, if any."""
    found = section(anchor)
    return found.narrative_for(anchor) if found else None

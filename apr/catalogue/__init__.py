"""The domain catalogue: national outcomes, delivery principles, core indicators and partnerships.

The knowledge lives in the TOML files next to this module, each with its sources; this module only
reads them into frozen dataclasses. Every loader is cached: the catalogue is read once per process.
"""
from __future__ import annotations

import copy
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

__all__ = [
    "NationalOutcome",
    "Principle",
    "IntegrationIndicator",
    "Partnership",
    "outcomes",
    "outcome",
    "principles",
    "indicators",
    "indicator",
    "normalise_indicator_code",
    "partnerships",
    "scotland",
    "find_partnership",
    "catalogue_sources",
    "is_survey_year",
]

SOURCE_KINDS = ("survey", "operational", "none")
PERIOD_BASES = ("survey", "financial", "calendar", "calendar_standin")
STATUSES = ("reported", "not_reported", "frozen")


@dataclass(frozen=True)
class NationalOutcome:
    """One of the nine National Health and Wellbeing Outcomes (SSI 2014/343)."""

    number: int
    title: str
    short_title: str


@dataclass(frozen=True)
class Principle:
    """An integration delivery principle of s31 of the 2014 Act (number 0 is the main purpose)."""

    number: int
    text: str
    short_title: str
    clause: str = ""

    @property
    def is_main_purpose(self) -> bool:
        """True for s31(a), the main purpose that the twelve principles serve."""
        return self.number == 0


@dataclass(frozen=True)
class IntegrationIndicator:
    """One indicator of the core suite (NI-1..NI-23) with its unit, polarity and period rules."""

    code: str
    number: int
    title: str
    short_title: str
    source: str
    source_kind: str
    unit: str
    unit_short: str
    denominator: str
    higher_is_better: bool | None
    period_basis: str
    status: str
    status_note: str
    frozen_at: str | None
    breaks: tuple[str, ...]
    break_note: str
    outcomes: tuple[int, ...]
    decimals: int
    definition: str
    # the range every partnership's and Scotland's value falls in (docs/indicators.md,
    # "Plausible values"): outside it is an error; None for no limit
    plausible: tuple[float, float] | None = None
    # a change from one year to the next that needs checking: in percentage points
    # (jump_points) or as a factor, the larger figure over the smaller (jump_factor)
    jump_points: float | None = None
    jump_factor: float | None = None
    # how many of the latest periods Public Health Scotland has usually not yet published when
    # the reports are written (its July release, weeks before the 31 July deadline): such a
    # missing period is "not yet published", not missing; ``lag_note`` says why, with its source
    lag: int = 0
    lag_note: str = ""
    # the name in tables: short, with the unit when the figures do not show it (docs/indicators.md)
    table_title: str = ""

    @property
    def table_name(self) -> str:
        """Return the code and short name shown in a table row ("NI-12 Emergency admissions
        per 100,000 adults"); the full title and definition are in the definitions appendix."""
        return f"{self.code} {self.table_title or self.short_title}"

    @property
    def is_percentage(self) -> bool:
        """True when the value is a percentage (unit "%")."""
        return self.unit_short.strip() == "%"

    @property
    def reportable(self) -> bool:
        """True unless no national data exist (a frozen indicator still has values to show)."""
        return self.status != "not_reported"

    @property
    def is_survey(self) -> bool:
        """True for the biennial Health and Care Experience Survey indicators (NI-1..NI-9)."""
        return self.source_kind == "survey"

    @property
    def main_outcome(self) -> int:
        """The number of the outcome this indicator is reported under by default."""
        return self.outcomes[0]

    @property
    def data_label(self) -> str:
        """The label Public Health Scotland's files use, e.g. "NI12"."""
        return f"NI{self.number}"


@dataclass(frozen=True)
class Partnership:
    """A health and social care partnership (or the Scotland comparator, model "country")."""

    code: str
    name: str
    variants: tuple[str, ...]
    old_codes: tuple[str, ...]
    model: str
    health_board: str
    health_board_code: str = ""
    # the constituent councils where there is more than one (Clackmannanshire and Stirling)
    councils: tuple[str, ...] = ()

    @property
    def is_scotland(self) -> bool:
        """True for the Scotland comparator entry rather than a partnership."""
        return self.model == "country"

    @property
    def is_lead_agency(self) -> bool:
        """True where a Health Board or council is the integration authority (Highland)."""
        return self.model == "lead_agency"


@cache
def _load(name: str) -> dict[str, Any]:
    """Return the parsed TOML file `name` from this package."""
    text = files("apr.catalogue").joinpath(name).read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def _outcomes() -> tuple[NationalOutcome, ...]:
    """Return the nine national outcomes in number order, read once."""
    rows = _load("outcomes.toml")["outcome"]
    items = [NationalOutcome(r["number"], r["title"], r["short_title"]) for r in rows]
    return tuple(sorted(items, key=lambda o: o.number))


def outcomes() -> list[NationalOutcome]:
    """Return the nine national outcomes in number order (a new list; the data are cached)."""
    return list(_outcomes())


def outcome(number: int) -> NationalOutcome:
    """Return national outcome `number` (1-9); KeyError names the valid range otherwise."""
    for item in _outcomes():
        if item.number == number:
            return item
    raise KeyError(f"no national outcome {number!r}: outcomes are numbered 1 to 9")


@cache
def _principles() -> tuple[Principle, ...]:
    """Return the s31 principles in number order, read once."""
    rows = _load("principles.toml")["principle"]
    items = [Principle(r["number"], r["text"], r["short_title"], r.get("clause", "")) for r in rows]
    return tuple(sorted(items, key=lambda p: p.number))


def principles() -> list[Principle]:
    """Return the s31 principles: the main purpose (number 0) then principles 1-12."""
    return list(_principles())


def _indicator(row: dict[str, Any]) -> IntegrationIndicator:
    """Return the indicator described by one [[indicator]] table, checking its enumerations."""
    item = IntegrationIndicator(
        code=row["code"],
        number=row["number"],
        title=row["title"],
        short_title=row["short_title"],
        source=row["source"],
        source_kind=row["source_kind"],
        unit=row["unit"],
        unit_short=row["unit_short"],
        denominator=row["denominator"],
        higher_is_better=row.get("higher_is_better"),
        period_basis=row["period_basis"],
        status=row["status"],
        status_note=row["status_note"],
        frozen_at=row.get("frozen_at"),
        breaks=tuple(row.get("breaks", ())),
        break_note=row.get("break_note", ""),
        outcomes=tuple(row["outcomes"]),
        decimals=row["decimals"],
        definition=row["definition"],
        plausible=tuple(row["plausible"]) if "plausible" in row else None,
        jump_points=row.get("jump_points"),
        jump_factor=row.get("jump_factor"),
        lag=row.get("lag", 0),
        lag_note=row.get("lag_note", ""),
        table_title=row.get("table_title", ""),
    )
    if not isinstance(item.lag, int) or not 0 <= item.lag <= 3:
        raise ValueError(f"indicators.toml: {item.code}: lag must be a whole number of years, "
                         "0 to 3")
    if item.plausible is not None and (len(item.plausible) != 2
                                       or not item.plausible[0] < item.plausible[1]):
        raise ValueError(f"indicators.toml: {item.code}: plausible must be [min, max]")
    for field, allowed in (
        ("source_kind", SOURCE_KINDS),
        ("period_basis", PERIOD_BASES),
        ("status", STATUSES),
    ):
        if getattr(item, field) not in allowed:
            raise ValueError(
                f"indicators.toml: {item.code}: {field} must be one of {', '.join(allowed)}, "
                f"found {getattr(item, field)!r}"
            )
    return item


@cache
def _indicators() -> tuple[IntegrationIndicator, ...]:
    """Return the core suite in number order, read and checked once."""
    rows = _load("indicators.toml")["indicator"]
    return tuple(sorted((_indicator(r) for r in rows), key=lambda i: i.number))


def indicators() -> dict[str, IntegrationIndicator]:
    """Return the core suite keyed by code ("NI-1".."NI-23"), in number order (a new dict)."""
    return {i.code: i for i in _indicators()}


def is_survey_year(start: int) -> bool:
    """True when the Health and Care Experience Survey ran in the year starting ``start``."""
    survey = _load("indicators.toml")["survey"]
    starts = [int(y[:4]) for y in survey["years"]]
    if start <= max(starts):
        return start in starts
    return (start - max(starts)) % survey["cycle"] == 0


def indicator(text: str) -> IntegrationIndicator:
    """Return the indicator for any accepted spelling ("NI12", "Indicator 12"), else KeyError."""
    code = normalise_indicator_code(text)
    if code is None:
        raise KeyError(f"{text!r} is not a core suite indicator: expected NI-1 to NI-23")
    return indicators()[code]


_CODE = re.compile(
    r"^\s*(?:(?:core\s+|national\s+|integration\s+)*indicator|ni)?\s*[-_.:#]?\s*0*(\d{1,2})\s*$",
    re.IGNORECASE,
)


def normalise_indicator_code(text: str) -> str | None:
    """Return the canonical code ("NI-12") for "NI12", "NI 12", "ni-12", "Indicator 12" or "12".

    Returns None for anything else, including numbers outside 1-23.
    """
    match = _CODE.match(str(text))
    if not match:
        return None
    number = int(match.group(1))
    return f"NI-{number}" if 1 <= number <= 23 else None


def _partnership(row: dict[str, Any]) -> Partnership:
    """Return the partnership described by one TOML table."""
    return Partnership(
        code=row["code"],
        name=row["name"],
        variants=tuple(row.get("variants", ())),
        old_codes=tuple(row.get("old_codes", ())),
        model=row["model"],
        health_board=row.get("health_board", ""),
        health_board_code=row.get("health_board_code", ""),
        councils=tuple(row.get("councils", ())),
    )


@cache
def _partnerships() -> tuple[Partnership, ...]:
    """Return the 31 partnerships in name order, read once."""
    rows = _load("partnerships.toml")["partnership"]
    return tuple(sorted((_partnership(r) for r in rows), key=lambda p: p.name))


def partnerships() -> list[Partnership]:
    """Return the 31 partnerships in name order (Scotland is not one: see scotland())."""
    return list(_partnerships())


@cache
def scotland() -> Partnership:
    """Return the Scotland comparator entry (code S92000003)."""
    return _partnership(_load("partnerships.toml")["scotland"])


# Words that name the body rather than the place: "Orkney IJB", "Fife HSCP", "Moray Council".
_SUFFIXES = (
    "health and social care partnership",
    "integration joint board",
    "hscp",
    "ijb",
    "council",
    "partnership",
)


def _name_key(text: str) -> str:
    """Return `text` reduced for matching: lower case, "&" as "and", no punctuation or suffix."""
    key = re.sub(r"[^0-9a-z]+", " ", text.lower().replace("&", " and ")).strip()
    key = re.sub(r"\s+", " ", key)
    for suffix in _SUFFIXES:
        if key.endswith(" " + suffix):
            key = key[: -len(suffix) - 1]
    return key.removeprefix("the ")


@cache
def _partnership_index() -> dict[str, Partnership]:
    """Return a lookup from code, old code and every name key to its partnership."""
    index: dict[str, Partnership] = {}
    for item in (*_partnerships(), scotland()):
        for key in (item.code, *item.old_codes, item.name, *item.variants):
            index[_name_key(key)] = item
    return index


def find_partnership(text: str) -> Partnership | None:
    """Return the partnership (or Scotland) named or coded by `text`, or None if unrecognised."""
    return _partnership_index().get(_name_key(str(text)))


def catalogue_sources() -> dict[str, dict[str, Any]]:
    """Return the source citations of each catalogue file, keyed by catalogue name (a new dict)."""
    names = ("outcomes", "principles", "indicators", "partnerships")
    return {name: copy.deepcopy(_load(f"{name}.toml").get("source", {})) for name in names}

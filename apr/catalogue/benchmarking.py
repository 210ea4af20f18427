"""The benchmarking catalogue: the Improvement Service's family groups, the Local Government
Benchmarking Framework's adult social care measures, and what delegated children's services and
justice social work report against (family_groups.toml, lgbf.toml, delegated.toml)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from . import _load


@dataclass(frozen=True)
class FamilyGroup:
    """One LGBF family group for people services: eight council areas."""

    number: int
    basis: str
    councils: tuple[str, ...]


@dataclass(frozen=True)
class LgbfMeasure:
    """An LGBF adult social care measure: code (SW1), title, unit, polarity and source."""

    code: str
    title: str
    unit: str
    unit_short: str
    higher_is_better: bool | None
    decimals: int
    source: str
    status: str


@cache
def family_groups() -> tuple[FamilyGroup, ...]:
    """Return the four family groups, group 1 first."""
    return tuple(FamilyGroup(g["number"], g["basis"], tuple(g["councils"]))
                 for g in _load("family_groups.toml")["group"])


@cache
def lgbf_measures() -> dict[str, LgbfMeasure]:
    """Return the LGBF adult social care measures by code, in catalogue order."""
    return {m["code"]: LgbfMeasure(m["code"], m["title"], m["unit"], m["unit_short"],
                                   m.get("higher_is_better"), m["decimals"], m["source"],
                                   m["status"])
            for m in _load("lgbf.toml")["measure"]}


def lgbf_measure(code: str) -> LgbfMeasure | None:
    """Return the measure with code ``code`` ("SW1", "sw 1", "SW-4b"), or None."""
    key = re.sub(r"[\s\-_]", "", code).upper()
    return next((m for c, m in lgbf_measures().items() if c.upper() == key), None)


def council_key(name: str) -> str:
    """Return a council name reduced for matching: lower case, '&' as 'and', no 'council',
    'city of' or punctuation: 'City of Edinburgh Council' and 'Edinburgh' both give 'edinburgh'."""
    text = name.lower().replace("&", " and ")
    text = re.sub(r"\b(council|city of|the)\b", " ", text)
    text = re.sub(r"\bcity\b", " ", text)
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", text).split())


def find_council(name: str) -> str | None:
    """Return the catalogue's spelling of council area ``name``, or None if it is not one."""
    key = council_key(name)
    for group in family_groups():
        for council in group.councils:
            if council_key(council) == key:
                return council
    return None


def group_of(council: str) -> FamilyGroup | None:
    """Return the family group of council area ``council`` (any common spelling), or None."""
    found = find_council(council)
    return next((g for g in family_groups() if found in g.councils), None)


@cache
def delegated_framework(service: str) -> dict:
    """Return the default title, framework and outcomes of 'children' or 'justice'."""
    return dict(_load("delegated.toml")[service])


def benchmarking_sources() -> dict[str, dict]:
    """Return the source citations of the three catalogue files."""
    return {name: dict(_load(f"{name}.toml").get("source", {}))
            for name in ("family_groups", "lgbf", "delegated")}

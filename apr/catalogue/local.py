"""Local indicators: a partnership's own measures, declared in ``apr.toml`` [[local_indicators]].

They become ``IntegrationIndicator`` objects with the same metadata as the core suite, so the
tables, charts and sentences treat them alike. Codes are the partnership's own ("L-1").
"""
from __future__ import annotations

import re
from typing import Any

from ..findings import Findings
from . import PERIOD_BASES, IntegrationIndicator, normalise_indicator_code

LOCAL_NUMBER_BASE = 100     # local indicators sort after NI-23
_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9]*-?[A-Za-z0-9]+$")


def read_local_indicators(items: list[dict[str, Any]], file: str,
                          findings: Findings) -> list[IntegrationIndicator]:
    """Return the local indicators of ``[[local_indicators]]`` (each table already checked
    against the settings schema by apr/config.py, which reports a value that is not a list of
    tables as config.wrong_type), a finding for each bad entry."""
    result: list[IntegrationIndicator] = []
    for n, item in enumerate(items, start=1):
        made = _local(n, item, file, findings, {i.code for i in result})
        if made is not None:
            result.append(made)
    return result


def _problem(findings: Findings, file: str, n: int, text: str) -> None:
    findings.error("config.local_indicator", f"local indicator {n} in [[local_indicators]]: "
                   f"{text}", file, column="local_indicators")


def _local(n: int, item: Any, file: str, findings: Findings,
           taken: set[str]) -> IntegrationIndicator | None:
    """Return one local indicator, or None after recording what is wrong with it."""
    if not isinstance(item, dict):
        _problem(findings, file, n, f"expected a table of settings, found {item!r}")
        return None
    code = str(item.get("code", "")).strip()
    if not _CODE.match(code) or normalise_indicator_code(code) is not None or code in taken:
        _problem(findings, file, n, f"expected a new code such as \"L-1\" that is not a core "
                 f"indicator code or used twice, found {code!r}")
        return None
    missing = [k for k in ("title", "unit") if not str(item.get(k, "")).strip()]
    if missing:
        _problem(findings, file, n, f"{code} needs {' and '.join(missing)}, e.g. title = "
                 "\"People waiting for care at home\"")
        return None
    basis = str(item.get("period_basis", "financial"))
    outcomes = item.get("outcomes", [])
    if basis not in PERIOD_BASES or not isinstance(outcomes, list) or not outcomes or \
            any(not isinstance(o, int) or not 1 <= o <= 9 for o in outcomes):
        _problem(findings, file, n, f"{code}: expected period_basis one of "
                 f"{', '.join(PERIOD_BASES)} and outcomes a list of numbers 1 to 9, found "
                 f"period_basis = {basis!r}, outcomes = {outcomes!r}")
        return None
    higher = item.get("higher_is_better")
    checks = _checks(code, item, n, file, findings)
    if checks is None:
        return None
    return IntegrationIndicator(
        code=code, number=LOCAL_NUMBER_BASE + n, title=str(item["title"]),
        short_title=str(item.get("short_title", item["title"])),
        source=str(item.get("source", "Partnership's own data")), source_kind="local",
        unit=str(item["unit"]), unit_short=str(item.get("unit_short", item["unit"])),
        denominator=str(item.get("denominator", "")),
        higher_is_better=higher if isinstance(higher, bool) else None, period_basis=basis,
        status="reported", status_note="Local indicator", frozen_at=None, breaks=tuple(
            str(b) for b in item.get("breaks", [])), break_note=str(item.get("break_note", "")),
        outcomes=tuple(outcomes), decimals=int(item.get("decimals", 1)),
        definition=str(item.get("definition", "")), **checks)


def _checks(code: str, item: dict, n: int, file: str, findings: Findings) -> dict | None:
    """Return the local indicator's plausible range and jump threshold (docs/indicators.md).

    A percentage (unit_short "%") is checked against 0 to 100 unless it says otherwise."""
    unit_short = str(item.get("unit_short", item.get("unit", ""))).strip()
    plausible = item.get("plausible", [0, 100] if unit_short == "%" else None)
    result = {"plausible": None, "jump_points": None, "jump_factor": None}
    if plausible is not None:
        if not (isinstance(plausible, list) and len(plausible) == 2
                and all(isinstance(x, (int, float)) and not isinstance(x, bool)
                        for x in plausible) and plausible[0] < plausible[1]):
            _problem(findings, file, n, f"{code}: expected plausible = [lowest, highest], e.g. "
                     f"[0, 100], found {plausible!r}")
            return None
        result["plausible"] = (float(plausible[0]), float(plausible[1]))
    for key in ("jump_points", "jump_factor"):
        if key in item:
            value = item[key]
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0 \
                    or (key == "jump_factor" and value <= 1):
                _problem(findings, file, n, f"{code}: expected {key} a number above "
                         f"{1 if key == 'jump_factor' else 0}, found {value!r}")
                return None
            result[key] = float(value)
    return result

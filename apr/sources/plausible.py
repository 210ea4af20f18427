"""Indicator values that cannot be right: outside the catalogue's range, or jumping too far.

Every core indicator has a plausible range in ``apr/catalogue/indicators.toml`` (``plausible =
[min, max]``) covering every partnership and Scotland, and a year-on-year change that needs
checking (``jump_points`` for percentages, ``jump_factor`` for rates). A value outside the
range is an error (``indicators.implausible``); a change beyond the threshold is a warning
naming both years and both values (``indicators.jump``). See docs/indicators.md.
"""
from __future__ import annotations

from ..catalogue import IntegrationIndicator
from ..findings import Findings
from ..model import IndicatorValue


def _number(value) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) \
        else None


def _shown(value: float) -> str:
    return f"{value:,.1f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:,.0f}"


def check_ranges(values: list[IndicatorValue], known: dict[str, IntegrationIndicator],
                 findings: Findings, value_column: str = "value",
                 scotland_column: str | None = "scotland") -> None:
    """Add an error for each value (and Scotland value) outside its indicator's range."""
    for v in values:
        indicator = known.get(v.code)
        if indicator is None or indicator.plausible is None:
            continue
        whose = "" if v.partnership is None else f" for {v.partnership.lstrip('?')}"
        if v.locality:
            whose = f" for {v.locality}"
        checks = [(v.value, value_column, whose)]
        if scotland_column and v.partnership is None:
            checks.append((v.scotland, scotland_column, " for Scotland"))
        for value, column, place in checks:
            number = _number(value)
            if number is None:
                continue
            low, high = indicator.plausible
            if low <= number <= high:
                continue
            findings.error("indicators.implausible",
                           f"{v.code} {v.period}{place}: expected {_expected(indicator)}, "
                           f"found {_found(number)}; "
                           f"{_advice(indicator, number)}", v.source.file if v.source else "",
                           v.source.row if v.source else None, column)


def _found(number: float) -> str:
    return _shown(number) if abs(number) >= 1 else f"{number:g}"


def _expected(indicator: IntegrationIndicator) -> str:
    """Return the range as a message states it: "a percentage from 50 to 100", "3,000 to
    30,000 per 100,000"."""
    low, high = (_shown(x) for x in indicator.plausible)
    if indicator.is_percentage:
        return f"a percentage from {low} to {high}"
    return f"{low} to {high} {indicator.unit_short}".rstrip()


def _advice(indicator: IntegrationIndicator, number: float) -> str:
    low, _ = indicator.plausible
    if indicator.is_percentage and 0 < number < 1 <= low:
        return (f"a proportion? type it as a percentage, {_shown(number * 100)}, or format the "
                "Excel cell as %")
    return f"check the unit ({indicator.unit}) and the digits"


def check_jumps(values: list[IndicatorValue], known: dict[str, IntegrationIndicator],
                findings: Findings, column: str = "value") -> None:
    """Add a warning for each change from one year to the next beyond the catalogue's threshold.

    Only the partnership's own figures (not localities) are compared, year with year of the
    same kind (calendar with calendar), the survey indicators survey with survey; never across
    a series break (catalogue ``breaks`` or qualifier ``b``), nor from or to a value outside the
    range (already an error)."""
    series: dict[tuple[str, bool], list[IndicatorValue]] = {}
    for v in values:
        number = _number(v.value)
        if v.locality is None and v.partnership is None and number is not None \
                and _inside(known.get(v.code), number):    # an implausible value is an error
            series.setdefault((v.code, v.calendar), []).append(v)
    for (code, _), items in series.items():
        indicator = known.get(code)
        if indicator is None or (indicator.jump_points is None and indicator.jump_factor is None):
            continue
        step = 2 if indicator.period_basis == "survey" else 1
        items.sort(key=lambda v: v.start)
        for before, after in zip(items, items[1:]):
            if after.start - before.start > step or after.period in indicator.breaks \
                    or "b" in after.qualifiers:
                continue
            limit = _beyond(indicator, float(before.value), float(after.value))
            if limit:
                findings.warning(
                    "indicators.jump",
                    f"{code} changed from {_shown(float(before.value))} in {before.period} to "
                    f"{_shown(float(after.value))} in {after.period}, more than the {limit} "
                    "expected from one year to the next; check both figures (unit, digits)",
                    after.source.file if after.source else "",
                    after.source.row if after.source else None, column)


def _inside(indicator: IntegrationIndicator | None, number: float) -> bool:
    if indicator is None or indicator.plausible is None:
        return True
    return indicator.plausible[0] <= number <= indicator.plausible[1]


def _beyond(indicator: IntegrationIndicator, before: float, after: float) -> str | None:
    """Return the threshold passed ("20 percentage points", "1.4-fold change"), or None."""
    if indicator.jump_points is not None and abs(after - before) > indicator.jump_points:
        return f"{indicator.jump_points:g} percentage points"
    if (indicator.jump_factor is not None and before > 0 and after > 0
            and max(before, after) / min(before, after) > indicator.jump_factor):
        return f"{indicator.jump_factor:g}-fold change"
    return None

"""The indicators table: apr's own layout, turned into IndicatorValue objects."""
from __future__ import annotations

from ..findings import Findings
from ..model import IndicatorValue
from .values import SUPPRESSED

QUALIFIER_CODES = {"c", "e", "p", "r", "b", "f", "u", "z", "d"}


def build_indicator_values(rows: list[dict], findings: Findings) -> list[IndicatorValue]:
    """Return one IndicatorValue per typed row, reporting unknown codes and duplicates."""
    from ..catalogue import indicators, normalise_indicator_code
    catalogue = indicators()
    result: list[IndicatorValue] = []
    seen: dict[tuple, int] = {}
    for row in rows:
        src = row["_source"]
        code = normalise_indicator_code(row["indicator"])
        if code is None or code not in catalogue:
            findings.error("indicators.unknown_code",
                           f"expected an indicator code NI-1 to NI-23, found "
                           f"'{row['indicator']}'", src.file, src.row, "indicator")
            continue
        start, calendar = row["period"]
        qualifiers = "".join(ch for ch in str(row.get("qualifier") or "").lower()
                             if ch in QUALIFIER_CODES)
        bad = [ch for ch in str(row.get("qualifier") or "").lower()
               if ch.isalpha() and ch not in QUALIFIER_CODES]
        if bad:
            findings.warning("indicators.unknown_qualifier",
                             f"qualifier '{bad[0]}' is not a Public Health Scotland code (c, e, "
                             "p, r, b); it was ignored", src.file, src.row, "qualifier")
        value = row.get("value")
        if "c" in qualifiers:
            value = SUPPRESSED
        if value is None:
            findings.warning("indicators.no_value",
                             f"{code} {row['period']} has no value; the report shows it as not "
                             "available", src.file, src.row, "value")
        key = (code, start, calendar, row.get("locality") or "")
        if key in seen:
            findings.error("indicators.duplicate",
                           f"{code} for {row.get('locality') or 'the partnership'} in this period "
                           f"is also on row {seen[key]}; keep one row", src.file, src.row,
                           "period")
            continue
        seen[key] = src.row
        result.append(IndicatorValue(code, start, calendar, value, row.get("scotland"),
                                     row.get("numerator"), row.get("denominator"), qualifiers,
                                     src, row.get("locality") or None))
    return result

"""Cell value parsing shared by every table reader: numbers, amounts, dates and periods.

Each parser returns ``(value, problem)``: ``problem`` is None when the cell is fine, or a short
phrase saying what was found, for the reader to turn into a finding with file, row and column.
"""
from __future__ import annotations

import datetime as dt
import math
import re

SUPPRESSED_MARKS = {"c", "*", "**", "[c]"}
MISSING_MARKS = {"", "n/a", "na", "-", "–", ":", "..", "nan", "none", "null", "x", "z"}
EXCEL_EPOCH = dt.date(1899, 12, 30)


class Suppressed:
    """A value withheld for disclosure control ("c" in Public Health Scotland files)."""

    def __repr__(self) -> str:
        return "c"

    def __eq__(self, other) -> bool:
        return isinstance(other, Suppressed)

    def __hash__(self) -> int:
        return hash("suppressed")


SUPPRESSED = Suppressed()


def cell_text(raw) -> str:
    """Return the cell as trimmed text ('' for empty or NaN)."""
    if raw is None:
        return ""
    if isinstance(raw, float) and math.isnan(raw):
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


class Problem(str):
    """What a parser found wrong, with the finding code it deserves (when not the reader's own).

    A plain ``str`` everywhere a problem phrase is expected; ``code`` names a more specific
    finding such as ``data.decimal_comma``.
    """

    code: str | None = None

    def __new__(cls, text: str, code: str | None = None):
        item = super().__new__(cls, text)
        item.code = code
        return item


class Percent(float):
    """A number from an Excel cell formatted as a percentage, on the percentage scale.

    Excel stores 89.3% as 0.893; the sheet reader gives ``Percent(89.3)``, so it reads as the
    user saw it. A money column refuses it (``data.percent_in_money``)."""

    def __repr__(self) -> str:
        return f"{float(self):g}%"

    def __str__(self) -> str:
        return float.__repr__(self)


class Currency(float):
    """A number from an Excel cell formatted as money, with the currency sign of its format."""

    symbol: str = "£"

    def __new__(cls, value: float, symbol: str):
        item = super().__new__(cls, value)
        item.symbol = symbol
        return item

    def __str__(self) -> str:
        return float.__repr__(self)


def percent_of(stored: float) -> Percent:
    """Return the percentage a %-formatted cell shows: 0.893 -> 89.3 (without float noise)."""
    return Percent(round(stored * 100, 9))


_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
_FOREIGN_CURRENCY = ("€", "$", "EUR", "USD")


def parse_number(raw, allow_suppressed: bool = True, money: bool = False,
                 pounds: bool | None = None):
    """Return (float | None | SUPPRESSED, problem) for a numeric cell.

    Accepts thousands separators ("1,234"), a trailing % (not in money), a leading £ (only in
    money: ``money=True``), brackets for negatives and a leading minus or Unicode minus. A
    decimal comma ("309,8", "1.234,5"), another currency, a % in money or a £ in a column that
    is not money is a problem with its own code, never a silently different number.
    """
    if isinstance(raw, bool):
        return None, f"'{raw}' (true/false, not a number)"
    if isinstance(raw, Percent) and money:
        return None, Problem(f"{float(raw):g}% (a cell formatted as a percentage)",
                             code="data.percent_in_money")
    pounds = money if pounds is None else pounds
    if isinstance(raw, Currency) and (raw.symbol != "£" or not pounds):
        where = "not pounds" if raw.symbol != "£" else "in a column that is not money"
        return None, Problem(f"{float(raw):g} (a cell formatted as {raw.symbol}, {where})",
                             code="data.wrong_currency")
    if isinstance(raw, (int, float)) and not (isinstance(raw, float) and math.isnan(raw)):
        if isinstance(raw, float) and math.isinf(raw):
            return None, f"'{raw}'"
        return float(raw), None
    text = cell_text(raw)
    low = text.lower()
    if low in MISSING_MARKS:
        return None, None
    if low in SUPPRESSED_MARKS:
        return (SUPPRESSED, None) if allow_suppressed else (None, f"'{text}' (suppressed mark)")
    if text.startswith("="):
        return None, f"a formula '{text[:40]}' (save the sheet's values, not formulas)"
    foreign = next((c for c in _FOREIGN_CURRENCY if c in text.upper()), None)
    if foreign or ("£" in text and not pounds):
        if pounds:
            return None, Problem(f"'{text[:40]}' (a {foreign} sign: amounts are in pounds, "
                                 "in the unit of [report] amounts)", code="data.wrong_currency")
        return None, Problem(f"'{text[:40]}' (a {foreign or '£'} sign in a column that is not "
                             "money)", code="data.wrong_currency")
    if "%" in text and money:
        return None, Problem(f"'{text[:40]}' (a % sign in a money column)",
                             code="data.percent_in_money")
    cleaned = text.replace("\u2212", "-").replace("£", "").replace("%", "")
    cleaned = cleaned.replace("\u00a0", "").replace(" ", "")
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    if negative:
        cleaned = cleaned[1:-1]
    if "," in cleaned:
        if not _THOUSANDS.match(cleaned.lstrip("-+")):
            point = cleaned.replace(".", "").replace(",", ".")
            return None, Problem(f"'{text[:40]}' (a decimal comma: write {point} with a point, "
                                 "or 1,234 with a comma only between thousands)",
                                 code="data.decimal_comma")
        cleaned = cleaned.replace(",", "")
    try:
        value = float(cleaned)
    except ValueError:
        return None, f"'{text[:60]}'"
    if math.isnan(value) or math.isinf(value):
        return None, f"'{text[:60]}'"
    return (-value if negative else value), None


def parse_int(raw):
    """Return (int | None, problem) for a whole-number cell such as a count or a grade."""
    value, problem = parse_number(raw, allow_suppressed=False)
    if problem or value is None:
        return None, problem
    if not float(value).is_integer():
        return None, f"'{cell_text(raw)}' (not a whole number)"
    return int(value), None


def parse_date(raw):
    """Return (date | None, problem) from a date cell, ISO text, dd/mm/yyyy or an Excel serial."""
    if isinstance(raw, dt.datetime):
        return raw.date(), None
    if isinstance(raw, dt.date):
        return raw, None
    if hasattr(raw, "to_pydatetime"):
        try:
            return raw.to_pydatetime().date(), None
        except (ValueError, AttributeError):
            return None, f"'{raw}'"
    text = cell_text(raw)
    if not text:
        return None, None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y",
                    "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(text, pattern).date(), None
        except ValueError:
            pass
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        serial = int(float(text))
        if 20000 <= serial <= 80000:
            return EXCEL_EPOCH + dt.timedelta(days=serial), None
    return None, f"'{text[:40]}'"


_FY = re.compile(r"^(\d{4})\s*[/-]\s*(\d{2}|\d{4})$")
_CY = re.compile(r"^(\d{4})$")


def parse_period(raw):
    """Return ((start_year, is_calendar) | None, problem) for "2023/24" or "2023".

    A financial (or survey) year "2023/24" gives (2023, False); a calendar year "2023" gives
    (2023, True).
    """
    text = cell_text(raw)
    if not text:
        return None, "an empty cell"
    m = _FY.match(text)
    if m:
        start, end = int(m.group(1)), int(m.group(2))
        if end % 100 == (start + 1) % 100 and 1990 <= start <= 2100:
            return (start, False), None
        return None, f"'{text}' (the second year must follow the first, e.g. 2023/24)"
    m = _CY.match(text)
    if m and 1990 <= int(text) <= 2100:
        return (int(text), True), None
    return None, f"'{text[:40]}'"


def period_label(start: int, calendar: bool) -> str:
    """Return "2023" for a calendar year or "2023/24" for a financial year."""
    return str(start) if calendar else f"{start}/{(start + 1) % 100:02d}"

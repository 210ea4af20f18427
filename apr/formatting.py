"""How the report writes numbers, money, percentages, changes, dates and year ranges: the one
place that decides, so that the text, the tables, the chart data and the alt text agree.

Every figure is rounded here, half away from zero as accounts round (Python's ``round`` and
``format`` round a half to even and trip over binary fractions: 272.65 becomes 272.6). The rules
and why are in docs/numbers.md.
"""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

DASH = "–"              # the en dash: no figure, or a range in a table
MINUS = "−"             # not used in tables: negatives there are in brackets
NOISE_DECIMALS = 9      # sums of amounts carry binary noise below this (see round_half_up)
MONEY_DECIMALS = 1      # default decimal places of £m amounts ([finance] decimals)
SUPPRESSED_MARK = "c"   # a figure withheld to protect confidentiality


def round_half_up(value: float, digits: int = 0) -> float:
    """Return ``value`` rounded half away from zero, as accounts round (Python rounds to even)."""
    quantum = Decimal(1).scaleb(-digits)
    # first drop the floating-point noise of a sum (0.1 + 0.2 + 0.15 is 0.45000000000000007,
    # 1.1 + 1.15 + 1.1 is 3.3499999999999996), so that a half is rounded as the accounts round it
    number = Decimal(repr(float(value)))
    if abs(value) < 1e12:
        number = number.quantize(Decimal(1).scaleb(-NOISE_DECIMALS))
    return float(number.quantize(quantum, rounding=ROUND_HALF_UP))


def number(value: float | None, decimals: int = 0, brackets: bool = False) -> str:
    """Return a number with thousands separators, rounded half up: "1,234", "12.3"; a dash for
    no value; with ``brackets`` a negative is "(1,234)", else "-1,234"."""
    if value is None:
        return DASH
    size = round_half_up(abs(value), decimals)
    text = f"{size:,.{max(decimals, 0)}f}"
    if value < 0 and size:
        return f"({text})" if brackets else f"-{text}"
    return text


def percent(value: float | None, decimals: int = 1, brackets: bool = False) -> str:
    """Return a percentage: "12.3%"; "(0.2%)" for a negative share of a finance figure."""
    if value is None:
        return DASH
    text = number(value, decimals, brackets)
    return f"{text[:-1]}%)" if text.endswith(")") else f"{text}%"


def share(part: float, whole: float, decimals: int = 1, brackets: bool = True) -> str:
    """Return ``part`` as a percentage of ``whole`` ("(0.2%)" when negative); a dash for 0."""
    return percent(part / whole * 100, decimals, brackets) if whole else DASH


def points(value: float, decimals: int = 1) -> str:
    """Return the size of a change in percentage points: "0.6 percentage points"."""
    size = number(abs(value), decimals)
    return f"{size} percentage point{'' if size == '1' else 's'}"


def relative_change(new: float, old: float, decimals: int = 1) -> str:
    """Return the size of a change as a percentage of the old value: "9.2%"; "" without one."""
    return percent(abs(new - old) / abs(old) * 100, decimals) if old else ""


# ------------------------------------------------------------------ indicator values

def indicator_value(indicator, value, decimals: int | None = None) -> str:
    """Return an indicator's value as the report shows it, to the catalogue's decimal places:
    "91.2%", "10,912", "c" when suppressed, a dash when there is none."""
    from .sources.values import SUPPRESSED
    if value is SUPPRESSED:
        return SUPPRESSED_MARK
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return DASH
    text = number(value, indicator.decimals if decimals is None else decimals)
    if indicator.unit_short == "%":
        return text + "%"
    if indicator.unit_short == "£":
        return text.replace("-", "-£") if text.startswith("-") else "£" + text
    return text


def interval(indicator, limits: tuple[float, float] | None) -> str:
    """Return a 95% confidence interval to the value's own decimal places: "89.8% to 92.6%"."""
    if limits is None:
        return ""
    return f"{indicator_value(indicator, limits[0])} to {indicator_value(indicator, limits[1])}"


# ------------------------------------------------------------------------------ money

def money_digits(unit: str, decimals: int | None = None) -> int:
    """Return the decimal places of amounts in a table: none in £000, ``decimals`` (the
    ``[finance] decimals`` setting, 1 unless set) in £m."""
    if unit != "£m":
        return 0
    return MONEY_DECIMALS if decimals is None else decimals


def money(value: float | None, unit: str = "£000", brackets: bool = True,
          decimals: int | None = None) -> str:
    """Return an amount in the table's unit, negatives in brackets: "12,345", "(1,200)"."""
    return number(value, money_digits(unit, decimals), brackets)


def millions(value: float, unit: str = "£000") -> float:
    """Return an amount given in ``unit`` in £ million."""
    return value / 1000 if unit == "£000" else value


def money_words(value: float, unit: str = "£000", decimals: int | None = None) -> str:
    """Return an amount for a sentence, in pounds: "£65.9m", "£350k", "£900".

    Every amount of £1m or more has the same decimal places (``[finance] decimals``, 1 unless
    set; with 0, "£66m"), so that £65.9m never stands beside £47.19m; smaller amounts are in
    whole thousands, or pounds below £1,000."""
    digits = MONEY_DECIMALS if decimals is None else decimals
    pounds = value * (1_000_000 if unit == "£m" else 1_000)
    size = abs(pounds)
    sign = "-" if pounds < 0 else ""
    if round_half_up(size / 1_000) >= 1_000:
        return f"{sign}£{number(size / 1_000_000, digits)}m"
    if size >= 1_000:
        return f"{sign}£{number(size / 1_000)}k"
    return f"{sign}£{number(size)}"


def setting_amount(value: float, unit: str = "£000") -> str:
    """Return an amount set in apr.toml (a tolerance, a threshold) exactly as set, with at least
    the unit's decimal places: "250", "1" in £000; "0.25", "0.1", "1.0" in £m. Unlike
    ``money`` it never rounds, so a threshold of 0.25 is not stated as 0.3."""
    digits = money_digits(unit)
    places = max(digits, -Decimal(repr(float(value))).normalize().as_tuple().exponent)
    return f"{float(value):,.{places}f}"


def setting_number(value: float) -> str:
    """Return a number as a message shows it: 10,000,000 rather than 1e+07."""
    return f"{int(value):,}" if float(value).is_integer() and abs(value) < 1e15 else f"{value:g}"


# ------------------------------------------------------------------ dates and years

def long_date(value: dt.date | None) -> str:
    """Return a date as GOV.UK writes it: "31 July 2024"; a dash for none."""
    return DASH if value is None else f"{value.day} {value:%B %Y}"


def year_range(first: str, last: str) -> str:
    """Return a range of periods: "2018/19 to 2023/24", or just "2023/24" when they are equal."""
    return first if first == last else f"{first} to {last}"


def short_year(label: str) -> str:
    """Return a financial year's short form for a chart axis: "23/24" for "2023/24"; a
    calendar year or any other label is unchanged."""
    head, _, tail = label.partition("/")
    if len(head) == 4 and head.isdigit() and tail.isdigit() and len(tail) == 2:
        return f"{head[2:]}/{tail}"
    return label


# ------------------------------------------------------------------------ chart ticks

def tick(value: float, step: float) -> str:
    """Return a value-axis tick label: thousands separators, and only the decimal places the
    step between ticks needs ("0", "2,000", "0.5"); never "-0"."""
    digits = 0
    while digits < 3 and abs(step * 10 ** digits - round(step * 10 ** digits)) > 1e-6:
        digits += 1
    return number(value, digits)


def ordinal(n: int) -> str:
    """Return a rank as 1st, 2nd, 3rd, 4th ... 11th, 12th, 13th, 21st."""
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"

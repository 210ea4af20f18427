"""Money in UK public-sector style: the unit, brackets for negatives, half-up rounding."""
from __future__ import annotations

import pytest

from apr.analysis.finance import adds_up, variance_words
from apr.formatting import money, money_words, round_half_up


@pytest.mark.parametrize("value, unit, text", [
    (12345, "£000", "12,345"), (-1200, "£000", "(1,200)"), (0.5, "£000", "1"),
    (2.5, "£000", "3"), (-0.4, "£000", "0"), (None, "£000", "–"),
    (309.8, "£m", "309.8"), (2.45, "£m", "2.5"), (-0.55, "£m", "(0.6)"), (-0.04, "£m", "0.0"),
])
def test_money(value, unit, text):
    assert money(value, unit) == text


def test_money_without_brackets():
    assert money(-1200, "£000", brackets=False) == "-1,200"


@pytest.mark.parametrize("value, unit, text", [
    (309800, "£000", "£309.8m"), (8950, "£000", "£9.0m"), (310350, "£000", "£310.4m"),
    (550, "£000", "£550k"), (0.9, "£000", "£900"), (8.95, "£m", "£9.0m"), (0.55, "£m", "£550k"),
    (123456, "£000", "£123.5m"),
])
def test_money_words(value, unit, text):
    assert money_words(value, unit) == text


def test_variance_words():
    assert variance_words(-550) == "an overspend of £550k"
    assert variance_words(2720) == "an underspend of £2.7m"
    assert variance_words(0.2) == "a balanced position"
    assert variance_words(0.01, "£m") == "a balanced position"


def test_round_half_up_is_not_bankers_rounding():
    assert round_half_up(0.5) == 1 and round_half_up(2.5) == 3 and round_half_up(-2.5) == -3
    assert round_half_up(8.95, 1) == 9.0


def test_adds_up_after_rounding():
    assert not adds_up([1.4, 1.4], 2.8)        # shown 1 + 1 = 2, but the total shows 3
    assert not adds_up([1.2, 2.3], 3.5)        # 1 + 2 = 3, but the total shows 4
    assert adds_up([1.6, 2.3], 3.9)            # 2 + 2 = 4 and the total shows 4
    assert not adds_up([1.24, 2.31], 3.55, "£m")   # 1.2 + 2.3 = 3.5, but the total shows 3.6
    assert adds_up([1.26, 2.31], 3.57, "£m")   # 1.3 + 2.3 = 3.6 and the total shows 3.6


"""Numbers, money, percentages and dates in each of our users' locales (CLDR via Babel)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from openkam.core import formatting

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("language", "big", "two_digits", "share", "growth"),
    [
        ("en", "1,234,568", "1,234.50", "85.3%", "+12.0%"),
        ("th", "1,234,568", "1,234.50", "85.3%", "+12.0%"),
        ("vi", "1.234.568", "1.234,50", "85,3%", "+12,0%"),
        ("sr-latn", "1.234.568", "1.234,50", "85,3%", "+12,0%"),
        ("fil", "1,234,568", "1,234.50", "85.3%", "+12.0%"),
    ],
)
def test_numbers_and_percentages(language, big, two_digits, share, growth):
    with translation.override(language):
        assert formatting.number(1234567.891) == big
        assert formatting.number(1234.5, 2) == two_digits
        assert formatting.percent(0.853) == share
        assert formatting.percent(0.12, signed=True) == growth
        assert formatting.percent(-0.12, signed=True).startswith("-")


@pytest.mark.parametrize(
    ("language", "currency", "expected"),
    [
        ("th", "THB", "฿1,234.50"),
        ("vi", "VND", f"1.234.568{NBSP}₫"),  # the đồng is written without decimals
        ("sr-latn", "RSD", f"1.234{NBSP}RSD"),  # CLDR: the dinar without decimals
        ("fil", "PHP", "₱1,234.50"),
        ("en", "EUR", "€1,234.50"),
        ("en", "USD", "$1,234.50"),
        ("vi", "USD", f"1.234,50{NBSP}US$"),
    ],
)
def test_money_has_its_symbol_placement_and_decimals(language, currency, expected):
    amount = 1234567.8 if currency == "VND" else 1234.5
    with translation.override(language):
        assert formatting.money(amount, currency) == expected


def test_currency_digits():
    assert formatting.currency_digits("VND") == 0
    assert formatting.currency_digits("THB") == 2
    assert formatting.currency_digits("PHP") == 2


@pytest.mark.parametrize(
    ("language", "expected_day", "expected_month"),
    [
        ("en", "Dec 6, 2025", "Dec 2025"),
        ("th", "6 ธ.ค. 2025", "ธ.ค. 2025"),
        ("vi", "6 thg 12, 2025", "thg 12 2025"),
        ("sr-latn", "6. 12. 2025.", "dec 2025."),
        ("fil", "Dis 6, 2025", "Dis 2025"),
    ],
)
def test_dates_and_months(language, expected_day, expected_month):
    with translation.override(language):
        assert formatting.day(dt.date(2025, 12, 6)) == expected_day
        assert formatting.month(dt.date(2025, 12, 1)) == expected_month


def test_buddhist_era_changes_the_year_only_while_chosen():
    with translation.override("th"):
        with formatting.use_buddhist_era(True):
            assert formatting.day(dt.date(2025, 12, 6)) == "6 ธ.ค. 2568"
            assert formatting.day(dt.date(1997, 9, 30)) == "30 ก.ย. 2540"
            assert formatting.month(dt.date(2025, 12, 1)) == "ธ.ค. 2568"
            assert formatting.month(dt.date(2025, 12, 1), short_year=True) == "ธ.ค. 68"
            assert formatting.buddhist_era()
        assert formatting.day(dt.date(2025, 12, 6)) == "6 ธ.ค. 2025"
        assert not formatting.buddhist_era()


def test_the_week_starts_as_the_locale_says():
    expected = {"en": 0, "th": 6, "vi": 0, "sr-latn": 0, "fil": 6}  # 0 Monday, 6 Sunday
    for language, first in expected.items():
        with translation.override(language):
            assert formatting.first_week_day() == first, language


def test_compact_numbers_for_chart_axes():
    with translation.override("en"):
        assert formatting.compact(48200) == "48.2K"
    with translation.override("vi"):
        assert formatting.compact(48200) == f"48,2{NBSP}N"


def test_missing_values_show_a_dash():
    assert formatting.number(None) == formatting.percent(None) == "—"
    assert formatting.money(None, "THB") == formatting.day(None) == "—"

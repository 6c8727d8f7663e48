"""Numbers, money, percentages and dates in the reader's locale, through Babel.

The active Django language picks the Babel locale (with the territory our users work in, which
decides the first day of the week); `use_buddhist_era` switches dates to the Thai solar
calendar's years for the current request or task. Formatting is display only: what is stored
and exported as data stays ISO and plain numbers.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterator
from contextvars import ContextVar
from decimal import Decimal
from functools import lru_cache

from babel import Locale, dates, numbers
from django.utils import timezone, translation

# Django language code → the Babel locale of the market that speaks it.
BABEL_LOCALES = {
    "en": "en",
    "th": "th_TH",
    "vi": "vi_VN",
    "sr-latn": "sr_Latn_RS",
    "fil": "fil_PH",
}
BUDDHIST_ERA_OFFSET = 543  # 2025 CE is 2568 BE

_buddhist_era: ContextVar[bool] = ContextVar("buddhist_era", default=False)

Number = int | float | Decimal


def babel_locale(language: str | None = None) -> Locale:
    """The Babel locale for a Django language code (the active one by default)."""
    return _locale_for(language or translation.get_language() or "en")


@lru_cache(maxsize=16)
def _locale_for(code: str) -> Locale:
    return Locale.parse(BABEL_LOCALES.get(code.lower(), code.replace("-", "_")))


def _current() -> Locale:
    return babel_locale(translation.get_language())


@contextlib.contextmanager
def use_buddhist_era(enabled: bool) -> Iterator[None]:
    """Format dates with Buddhist-era years inside the block."""
    token = _buddhist_era.set(enabled)
    try:
        yield
    finally:
        _buddhist_era.reset(token)


def buddhist_era() -> bool:
    return _buddhist_era.get()


def number(value: Number | None, digits: int = 0) -> str:
    """1234567.891 → '1,234,568' (en), '1.234.568' (vi, sr); `digits` after the point."""
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return numbers.format_decimal(value, format=pattern, locale=_current())


def percent(value: Number | None, digits: int = 1, *, signed: bool = False) -> str:
    """A share (0.853) as a percentage in the locale's way: '85.3%', '85,3 %'."""
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    if signed:
        pattern = "+" + pattern + ";-" + pattern
    return numbers.format_percent(value, format=pattern, locale=_current())


def money(value: Number | None, currency: str) -> str:
    """An amount with its currency's symbol, placement and usual decimals: ฿1,234.50,
    1.234.568 ₫ (the đồng has no minor unit), 1.234,50 RSD."""
    if value is None:
        return "—"
    return numbers.format_currency(value, currency, locale=_current())


def currency_digits(currency: str) -> int:
    """How many decimals the currency is written with (VND 0, THB 2)."""
    return numbers.get_currency_precision(currency)


def _with_era_years(pattern: str, year: int) -> str:
    """The date pattern with its year fields replaced by the Buddhist-era year, as a quoted
    literal (Babel formats the Gregorian calendar only)."""
    era_year = year + BUDDHIST_ERA_OFFSET
    parts = re.split(r"('(?:[^']|'')*')", pattern)  # keep quoted literals as they are

    def replace(match: re.Match) -> str:
        width = len(match.group(0))
        text = str(era_year % 100).zfill(2) if width == 2 else str(era_year)
        return f"'{text}'"

    return "".join(part if part.startswith("'") else re.sub(r"y+", replace, part) for part in parts)


def day(value: dt.date | dt.datetime | None, style: str = "medium") -> str:
    """A date: 'Dec 6, 2026', '6 ธ.ค. 2569' (Buddhist era), '6 thg 12, 2026'."""
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    locale = _current()
    pattern = dates.get_date_format(style, locale=locale).pattern
    if buddhist_era():
        pattern = _with_era_years(pattern, value.year)
    return dates.format_date(value, format=pattern, locale=locale)


def moment(value: dt.datetime | None, style: str = "medium") -> str:
    """A date and time of day, in the current time zone."""
    if value is None:
        return "—"
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    locale = _current()
    time = dates.format_time(value, format="short", locale=locale)
    return dates.get_datetime_format(style, locale=locale).format(time, day(value, style))


def month(value: dt.date, *, with_year: bool = True, short_year: bool = False) -> str:
    """A month as chart axes and period names show it: 'Dec 2026', 'ธ.ค. 2569' (Buddhist
    era), 'Dec 26' (`short_year`), 'Dec' (without the year)."""
    locale = _current()
    if not with_year:
        return dates.format_date(value, format="LLL", locale=locale)
    skeleton = locale.datetime_skeletons.get("yMMM")
    pattern = skeleton.pattern if skeleton is not None else "MMM y"
    if short_year:
        pattern = re.sub(r"y+", "yy", pattern)
    if buddhist_era():
        pattern = _with_era_years(pattern, value.year)
    return dates.format_date(value, format=pattern, locale=locale)


def compact(value: Number) -> str:
    """A number short enough for a chart axis: 1.2M (en), 1,2 Tr (vi), 24K."""
    return numbers.format_compact_decimal(value, fraction_digits=1, locale=_current())


def first_week_day() -> int:
    """0 for Monday … 6 for Sunday, as the locale's territory counts the week."""
    return _current().first_week_day

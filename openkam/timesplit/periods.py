"""Weeks, months and quarters: the buckets a time split is counted in.

A week starts on Monday (ISO 8601). A weekly time entry belongs to the month and the quarter
that hold its Thursday, as ISO weeks belong to the year of their Thursday: a week from
Monday 29 September to Sunday 5 October counts in October.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Period(StrEnum):
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"


PERIOD_CHOICES = [
    (Period.WEEK.value, _("Week")),
    (Period.MONTH.value, _("Month")),
    (Period.QUARTER.value, _("Quarter")),
]
# How many periods a range shows when no start is given, and the most it may hold.
DEFAULT_PERIODS = {Period.WEEK: 12, Period.MONTH: 6, Period.QUARTER: 4}
MAX_PERIODS = {Period.WEEK: 160, Period.MONTH: 60, Period.QUARTER: 20}
# The days a range may start and end on (outside: surely a typing error).
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2999, 12, 31)


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def thursday(week: dt.date) -> dt.date:
    """The day a week (given by its Monday) is counted on in months and quarters."""
    return week + dt.timedelta(days=3)


def period_start(period: str, day: dt.date) -> dt.date:
    if period == Period.WEEK:
        return monday(day)
    if period == Period.MONTH:
        return day.replace(day=1)
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def next_start(period: str, start: dt.date) -> dt.date:
    if period == Period.WEEK:
        return start + dt.timedelta(days=7)
    return _add_months(start, 1 if period == Period.MONTH else 3)


def period_end(period: str, day: dt.date) -> dt.date:
    return next_start(period, period_start(period, day)) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Bucket:
    """One week, month or quarter: its first and last day."""

    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Range:
    """Whole periods from `start` to `end` (both included)."""

    period: str
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def buckets(self) -> list[Bucket]:
        out, start = [], self.start
        while start <= self.end:
            following = next_start(self.period, start)
            out.append(Bucket(start, following - dt.timedelta(days=1)))
            start = following
        return out

    def bucket_of(self, day: dt.date) -> dt.date:
        return period_start(self.period, day)


def whole_periods(period: str, start: dt.date | None, end: dt.date) -> Range:
    """The range of whole periods from the one holding `start` to the one holding `end`
    (default start: a few periods before `end`). Raises ValueError when the range is empty,
    longer than the period allows or outside the years 1900 to 2999."""
    period = Period(period)
    for day in (start, end):
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise ValueError("out of range")
    last = period_end(period, end)
    if start is None:
        first = period_start(period, end)
        for _i in range(DEFAULT_PERIODS[period] - 1):
            first = period_start(period, first - dt.timedelta(days=1))
    else:
        first = period_start(period, start)
    if first > last:
        raise ValueError("start after end")
    span = Range(period, first, last)
    if len(span.buckets()) > MAX_PERIODS[period]:
        raise ValueError("too long")
    return span

"""Periods anchored at the as-of date.

Period 0 is the period that ends on the as-of date, period 1 the one before it, and so on:
`(as_of − (k+1)·L, as_of − k·L]` for a length of L months. Every period is therefore
complete, and the latest one is "the last 12 months" (or month, or quarter). When the as-of
date is the last day of a month, periods are calendar months, quarters ending that month, or
years ending that month — a director who analyses as of 31 December sees calendar years.
"""

from __future__ import annotations

import calendar
import datetime as dt

import ibis
import ibis.expr.types as ir

from .config import PERIOD_MONTHS


def is_month_end(day: dt.date) -> bool:
    return day.day == calendar.monthrange(day.year, day.month)[1]


def months_back(date: ir.DateValue, as_of: dt.date) -> ir.IntegerValue:
    """Whole months between `date` and the as-of date, counted the way the periods are cut:
    0 for the month ending on the as-of date."""
    months = (as_of.year * 12 + as_of.month) - (date.year() * 12 + date.month())
    if is_month_end(as_of):
        return months
    return months - ibis.ifelse(date.day() > as_of.day, 1, 0)


def period_index(date: ir.DateValue, as_of: dt.date, period: str) -> ir.IntegerValue:
    months = months_back(date, as_of)
    length = PERIOD_MONTHS[period]
    # integer floor division, identical on every engine for non-negative months
    return ((months - months % length) / length).cast("int64") if length > 1 else months


def shift_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months, keeping month ends at month ends."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    last = calendar.monthrange(year, month + 1)[1]
    new_day = last if is_month_end(day) else min(day.day, last)
    return dt.date(year, month + 1, new_day)


def period_bounds(as_of: dt.date, period: str, index: int) -> tuple[dt.date, dt.date]:
    """First and last day (inclusive) of period `index` before `as_of`."""
    length = PERIOD_MONTHS[period]
    end = shift_months(as_of, -index * length)
    start = shift_months(as_of, -(index + 1) * length) + dt.timedelta(days=1)
    return start, end


def year_ago_index(period: str) -> int:
    """The index of the same period a year before period 0."""
    return 12 // PERIOD_MONTHS[period]


FULL, PARTIAL, NONE = "full", "partial", "none"


def coverage(bounds: tuple[dt.date, dt.date], history_start: dt.date | None) -> str:
    """How much of a period the sales history covers: `full`, `partial` (the history starts
    inside it) or `none` (it ends before the history starts, or there is no history). A
    comparison with a period that is not fully covered compares with days that were never
    imported, not with days without sales."""
    start, end = bounds
    if history_start is None or history_start > end:
        return NONE
    return FULL if history_start <= start else PARTIAL

"""Working hours: the clock a customer's request runs on.

A working day is Monday to Friday, from the opening to the closing time of
`KAM_WORKING_HOURS` (default ``"09:00-18:00"``, nine hours a day), in the server's time zone
(`TIME_ZONE`) whoever reads the figure. Saturdays and Sundays do not count; public holidays
are not known and count as working days. Time outside the window does not count: a request
received on Friday at 17:00 and answered on Monday at 10:00 took two working hours.

Three functions, exact to the microsecond:

- `working_hours_between(start, end)`: the working hours from `start` to `end` (0 if `end`
  is not after `start`);
- `add_working_hours(start, hours)`: the moment `hours` working hours after `start` (the
  deadline of a request received at `start`);
- `overdue_cutoff(moment, hours)`: the received-at time before which a request still
  unanswered at `moment` has waited *more than* `hours` working hours, so that a database
  filter ``received_at < cutoff`` finds exactly the requests for which
  ``working_hours_between(received_at, moment) > hours``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

_WINDOW = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
_TINY = dt.timedelta(microseconds=1)
_DAYS_A_WEEK, _WORKING_DAYS_A_WEEK = 7, 5


@dataclass(frozen=True)
class Window:
    """The working day: from `opens` to `closes`, Monday to Friday."""

    opens: dt.time
    closes: dt.time

    @property
    def day(self) -> dt.timedelta:
        """The length of a working day."""
        base = dt.date(2000, 1, 3)
        return dt.datetime.combine(base, self.closes) - dt.datetime.combine(base, self.opens)

    @property
    def hours(self) -> float:
        return self.day.total_seconds() / 3600


@functools.lru_cache(maxsize=8)
def parse_window(text: str) -> Window:
    """``"09:00-18:00"`` → Window; ImproperlyConfigured for anything else (the closing time
    must be after the opening time, on the same day)."""
    match = _WINDOW.match(text or "")
    if match:
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 < 24 and h2 <= 24 and m1 < 60 and m2 < 60 and (h2, m2) <= (24, 0):
            opens = dt.time(h1, m1)
            closes = dt.time.max if (h2, m2) == (24, 0) else dt.time(h2, m2)
            if closes > opens:
                return Window(opens, closes)
    raise ImproperlyConfigured(
        f"KAM_WORKING_HOURS={text!r} is not a working day: use HH:MM-HH:MM, e.g. 09:00-18:00 "
        "(README.md, Configuration)."
    )


def window() -> Window:
    return parse_window(settings.KAM_WORKING_HOURS)


def response_target() -> float:
    """The target for a first answer, in working hours (`KAM_RESPONSE_HOURS`)."""
    return float(settings.KAM_RESPONSE_HOURS)


def _tz():
    return timezone.get_default_timezone()


def _local(moment: dt.datetime) -> dt.datetime:
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, _tz())
    return timezone.localtime(moment, _tz())


def _bounds(day: dt.date, w: Window) -> tuple[dt.datetime, dt.datetime]:
    tz = _tz()
    return (
        timezone.make_aware(dt.datetime.combine(day, w.opens), tz),
        timezone.make_aware(dt.datetime.combine(day, w.closes), tz),
    )


def _is_working_day(day: dt.date) -> bool:
    return day.weekday() < _WORKING_DAYS_A_WEEK


def _weekdays(first: dt.date, last: dt.date) -> int:
    """Monday-to-Friday days from `first` to `last`, both included."""
    if first > last:
        return 0
    weeks, rest = divmod((last - first).days + 1, _DAYS_A_WEEK)
    start = first.weekday()
    return weeks * _WORKING_DAYS_A_WEEK + sum(
        1 for i in range(rest) if (start + i) % _DAYS_A_WEEK < _WORKING_DAYS_A_WEEK
    )


def _overlap(day: dt.date, start: dt.datetime, end: dt.datetime, w: Window) -> dt.timedelta:
    if not _is_working_day(day):
        return dt.timedelta(0)
    opens, closes = _bounds(day, w)
    low, high = max(start, opens), min(end, closes)
    return max(high - low, dt.timedelta(0))


def working_time_between(
    start: dt.datetime, end: dt.datetime, w: Window | None = None
) -> dt.timedelta:
    w = w or window()
    if end <= start:
        return dt.timedelta(0)
    start, end = _local(start), _local(end)
    first, last = start.date(), end.date()
    if first == last:
        return _overlap(first, start, end, w)
    middle = _weekdays(first + dt.timedelta(days=1), last - dt.timedelta(days=1))
    return _overlap(first, start, end, w) + _overlap(last, start, end, w) + middle * w.day


def working_hours_between(start: dt.datetime, end: dt.datetime, w: Window | None = None) -> float:
    return working_time_between(start, end, w).total_seconds() / 3600


def _week(w: Window) -> dt.timedelta:
    return _WORKING_DAYS_A_WEEK * w.day


def add_working_hours(start: dt.datetime, hours: float, w: Window | None = None) -> dt.datetime:
    """The moment `hours` working hours after `start`. Outside the working day, the clock
    starts at the next opening; a deadline that falls exactly on a closing time stays there
    (Friday 18:00, not Monday 09:00)."""
    w = w or window()
    remaining = dt.timedelta(hours=hours)
    if remaining <= dt.timedelta(0):
        return start
    current = _local(start)
    day = current.date()
    first = True
    while True:
        if _is_working_day(day):
            opens, closes = _bounds(day, w)
            low = max(current, opens)
            if low < closes:
                segment = closes - low
                if remaining <= segment:
                    return low + remaining
                remaining -= segment
        day += dt.timedelta(days=1)
        if first:  # every 7 days hold 5 working days: skip whole weeks at once
            first = False
            weeks = (remaining - _TINY) // _week(w)
            day += dt.timedelta(days=_DAYS_A_WEEK * weeks)
            remaining -= weeks * _week(w)


def overdue_cutoff(moment: dt.datetime, hours: float, w: Window | None = None) -> dt.datetime:
    """The received-at time before which a request unanswered at `moment` has waited more than
    `hours` working hours (see the module's docstring)."""
    w = w or window()
    remaining = dt.timedelta(hours=max(hours, 0))
    end = _local(moment)
    day = end.date()
    first = True
    while True:
        if _is_working_day(day):
            opens, closes = _bounds(day, w)
            high = min(end, closes)
            if high > opens:
                if remaining == dt.timedelta(0):
                    return high
                segment = high - opens
                if remaining < segment:
                    return high - remaining
                remaining -= segment
        day -= dt.timedelta(days=1)
        if first and remaining > dt.timedelta(0):
            first = False
            weeks = (remaining - _TINY) // _week(w)
            day -= dt.timedelta(days=_DAYS_A_WEEK * weeks)
            remaining -= weeks * _week(w)


def end_of_day(day: dt.date) -> dt.datetime:
    """The first moment after `day` in the server's time zone."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min), _tz())


def start_of_day(day: dt.date) -> dt.datetime:
    """The first moment of `day` in the server's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), _tz())


def moment_of(as_of: dt.date, now: dt.datetime | None = None) -> dt.datetime:
    """What "as of `as_of`" means for a clock: the end of that day, or now if that is later
    (today, or a date in the future)."""
    now = now or timezone.now()
    return min(end_of_day(as_of), now)


def local_day(moment: dt.datetime) -> dt.date:
    """The day of `moment` in the server's time zone."""
    return _local(moment).date()

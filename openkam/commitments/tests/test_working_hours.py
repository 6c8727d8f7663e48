"""Working hours: Monday to Friday inside KAM_WORKING_HOURS, in the server's time zone —
checked against hand-worked cases and, on a grid, against counting minute by minute."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from openkam.commitments import working_hours as wh

# 2026-03-02 is a Monday.
MON, TUE, FRI, SAT, SUN = (dt.date(2026, 3, d) for d in (2, 3, 6, 7, 8))


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        (at(MON, 10), at(MON, 12, 30), 2.5),  # inside one day
        (at(MON, 7), at(MON, 10), 1),  # before opening: the clock starts at 09:00
        (at(MON, 17), at(MON, 23), 1),  # after closing: stops at 18:00
        (at(MON, 19), at(TUE, 8), 0),  # a whole night
        (at(MON, 9), at(MON, 18), 9),  # a working day
        (at(FRI, 17), at(FRI + dt.timedelta(days=3), 10), 2),  # over the weekend
        (at(SAT, 10), at(SUN, 16), 0),  # the weekend does not count
        (at(SAT, 10), at(MON + dt.timedelta(days=7), 9, 30), 0.5),
        (at(MON, 9), at(MON + dt.timedelta(days=7), 9), 45),  # a week is five days
        (at(MON, 12), at(MON, 12), 0),  # no time
        (at(TUE, 12), at(MON, 12), 0),  # the end before the start
        (at(MON, 9), at(MON + dt.timedelta(days=364), 9), 52 * 45),  # a year of weeks
    ],
)
def test_hand_worked_cases(start, end, hours):
    assert wh.working_hours_between(start, end) == pytest.approx(hours)


def _by_the_minute(start: dt.datetime, end: dt.datetime, w: wh.Window) -> float:
    minutes, t = 0, start
    step = dt.timedelta(minutes=1)
    while t < end:
        local = timezone.localtime(t, timezone.get_default_timezone())
        if local.weekday() < 5 and w.opens <= local.time() < w.closes:
            minutes += 1
        t += step
    return minutes / 60


_GRID = [
    at(day, hour, minute)
    for day in (FRI, SAT, MON)
    for hour, minute in ((8, 0), (9, 0), (13, 30), (18, 0), (22, 15))
]


def test_the_arithmetic_agrees_with_counting_minutes():
    w = wh.window()
    for start, end in itertools.combinations([*_GRID, at(MON + dt.timedelta(days=8), 11)], 2):
        assert wh.working_hours_between(start, end, w) == pytest.approx(
            _by_the_minute(start, end, w)
        ), (start, end)


@pytest.mark.parametrize("hours", [0.5, 3, 9, 24, 45, 46, 90, 200])
def test_adding_hours_and_the_overdue_cutoff_are_consistent(hours):
    probes = [
        at(FRI - dt.timedelta(days=d), h, m)
        for d in range(0, 12)
        for h, m in ((8, 30), (9, 0), (12, 15), (17, 59), (18, 0), (20, 0))
    ]
    for start in probes:
        deadline = wh.add_working_hours(start, hours)
        assert wh.working_hours_between(start, deadline) == pytest.approx(hours), start
    moments = [at(TUE, 9), at(TUE, 12), at(MON, 8), at(SUN, 12), at(MON, 18)]
    for moment in moments:
        cutoff = wh.overdue_cutoff(moment, hours)
        for received in probes:
            if received >= moment:
                continue
            waited_too_long = wh.working_hours_between(received, moment) > hours + 1e-9
            assert (received < cutoff) == waited_too_long, (moment, received, cutoff)


def test_a_deadline_on_a_closing_time_stays_there():
    assert wh.add_working_hours(at(FRI, 9), 9) == at(FRI, 18)  # not Monday 09:00
    assert wh.add_working_hours(at(SAT, 9), 1) == at(MON + dt.timedelta(days=7), 10)
    assert wh.add_working_hours(at(MON, 9), 0) == at(MON, 9)
    assert wh.add_working_hours(at(MON, 9), 24) == at(TUE + dt.timedelta(days=1), 15)


def test_the_working_day_comes_from_the_settings_and_time_zone(settings):
    settings.KAM_WORKING_HOURS = "08:00-12:00"
    assert wh.window().hours == 4
    assert wh.working_hours_between(at(MON, 7), at(MON, 20)) == 4
    settings.TIME_ZONE = "Asia/Bangkok"  # UTC+7: 02:00-05:00 UTC is 09:00-12:00 there
    utc = dt.UTC
    start = dt.datetime(2026, 3, 2, 2, 0, tzinfo=utc)
    assert wh.working_hours_between(start, dt.datetime(2026, 3, 2, 12, 0, tzinfo=utc)) == 3
    assert wh.local_day(dt.datetime(2026, 3, 1, 20, 0, tzinfo=utc)) == MON


@pytest.mark.parametrize("text", ["", "9-18", "18:00-09:00", "09:00-09:00", "25:00-26:00", "x"])
def test_a_bad_working_day_is_a_configuration_error(text):
    with pytest.raises(ImproperlyConfigured):
        wh.parse_window(text)


def test_a_day_to_midnight_is_allowed():
    assert wh.parse_window("00:00-24:00").hours == pytest.approx(24, abs=1e-6)


def test_as_of_a_date_means_its_end_or_now():
    now = at(TUE, 11)
    assert wh.moment_of(MON, now=now) == at(TUE, 0)
    assert wh.moment_of(TUE, now=now) == now
    assert wh.start_of_day(TUE) == at(TUE, 0)

"""Helpers: activities attended by our people, and time entries, made directly."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from openkam.activities.models import Activity, ActivityKind
from openkam.timesplit.models import TimeEntry

# A Monday in the past, so that every week used here has begun.
MONDAY = dt.date(2026, 3, 2)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def activity(account, day: dt.date, minutes: int, purpose: str, *, people=(), author=None):
    made = Activity.objects.create(
        account=account,
        kind=ActivityKind.objects.get(code="meeting"),
        occurred_at=at(day),
        duration_minutes=minutes,
        purpose=purpose,
        subject="Meeting",
        author=author,
    )
    made.our_people.set(people)
    return made


def entry(user, week: dt.date, hours, purpose: str = "key_account", account=None, note=""):
    return TimeEntry.objects.create(
        user=user, week=week, hours=Decimal(str(hours)), purpose=purpose, account=account, note=note
    )


@pytest.fixture
def monday() -> dt.date:
    return MONDAY

"""When the weekly digest is due, and queueing it once per week.

The week's moment is `KAM_DIGEST_WEEKDAY` at `KAM_DIGEST_TIME` in the local time zone
(`TIME_ZONE`), Monday 07:00 by default. `kam serve` runs `kam digest schedule`, which checks
every minute; so can cron (`kam digest schedule --once`). The moment is recorded as the run's
unique `slot`: however often the scheduler restarts, or if two run at once, the week's digest
is queued once. A scheduler that was down at the moment catches up within `CATCH_UP`; later
than that, the week is recorded as missed rather than sent days late.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import DigestRun, RunStatus, RunTrigger

logger = logging.getLogger(__name__)

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
CATCH_UP = dt.timedelta(hours=12)
OFF = ("off", "none", "never", "")


def weekly_moment() -> tuple[int, dt.time] | None:
    """(weekday, Monday = 0; local time) of the digest, from the settings; None: switched off."""
    day = str(settings.KAM_DIGEST_WEEKDAY).strip().lower()
    if day in OFF:
        return None
    if day.isdigit() and 1 <= int(day) <= 7:  # ISO: 1 = Monday … 7 = Sunday
        weekday = int(day) - 1
    else:
        matches = [i for i, name in enumerate(WEEKDAYS) if name.startswith(day[:3])]
        if len(day) < 3 or len(matches) != 1:
            raise ImproperlyConfigured(
                f"KAM_DIGEST_WEEKDAY={settings.KAM_DIGEST_WEEKDAY!r}: use a day of the week "
                "(monday … sunday, or 1 … 7 with 1 = Monday) or off."
            )
        weekday = matches[0]
    try:
        moment = dt.time.fromisoformat(str(settings.KAM_DIGEST_TIME).strip())
    except ValueError as error:
        raise ImproperlyConfigured(
            f"KAM_DIGEST_TIME={settings.KAM_DIGEST_TIME!r}: use HH:MM, e.g. 07:00."
        ) from error
    return weekday, moment.replace(second=0, microsecond=0, tzinfo=None)


def current_slot(now: dt.datetime | None = None) -> dt.datetime | None:
    """The latest weekly moment at or before `now` (aware, local time); None: switched off."""
    found = weekly_moment()
    if found is None:
        return None
    weekday, moment = found
    local = timezone.localtime(now or timezone.now())
    day = local.date() - dt.timedelta(days=(local.weekday() - weekday) % 7)
    slot = timezone.make_aware(dt.datetime.combine(day, moment))
    if slot > local:
        slot = timezone.make_aware(dt.datetime.combine(day - dt.timedelta(days=7), moment))
    return slot


def next_slot(now: dt.datetime | None = None) -> dt.datetime | None:
    slot = current_slot(now)
    if slot is None:
        return None
    following = timezone.localtime(slot).date() + dt.timedelta(days=7)
    return timezone.make_aware(dt.datetime.combine(following, timezone.localtime(slot).time()))


def queue_due(now: dt.datetime | None = None) -> DigestRun | None:
    """Queue the week's digest if it is due and not yet queued; the run queued, or None."""
    now = now or timezone.now()
    slot = current_slot(now)
    if slot is None or DigestRun.objects.filter(slot=slot).exists():
        return None
    late = now - slot > CATCH_UP
    try:
        with transaction.atomic():
            run = DigestRun.objects.create(
                slot=slot,
                as_of=timezone.localtime(slot).date(),
                trigger=RunTrigger.SCHEDULE,
                status=RunStatus.MISSED if late else RunStatus.QUEUED,
            )
    except IntegrityError:  # another scheduler took it
        return None
    if late:
        logger.warning("Weekly digest of %s missed: the scheduler was not running.", slot)
        return None
    from .tasks import send_weekly_digests

    try:
        send_weekly_digests.enqueue(run_id=run.pk)
    except Exception as error:
        DigestRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), error=str(error)[:2000]
        )
        raise
    return run

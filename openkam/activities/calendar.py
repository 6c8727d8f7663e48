"""Each user's activities as a private iCalendar feed (`/activities/calendar/<token>.ics`).

The feed needs no login, so the address is the key: a `secrets.token_urlsafe(32)` secret of
which only the SHA-256 is stored (`CalendarToken`). The address is shown once, when it is made;
making a new one replaces the old, revoking deletes it, and a deactivated user's feed stops.
The feed holds the activities the user attended for our side or wrote, on the accounts they
may see today — an account taken off their team drops out of the feed at the next refresh.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from openkam.users.models import User

from .models import Activity, CalendarToken

# How far back the feed reaches; calendar apps refetch the whole feed on every refresh.
FEED_DAYS_BACK = 400
UID_DOMAIN = "openkam"


@transaction.atomic
def calendar_token_issue(*, actor: User) -> str:
    """A new feed secret for `actor` (the old one, if any, stops working); returns the secret,
    which is not stored and cannot be shown again."""
    secret = CalendarToken.new_secret()
    CalendarToken.objects.update_or_create(
        user=actor,
        defaults={"digest": CalendarToken.digest_of(secret), "last_used_at": None},
    )
    return secret


@transaction.atomic
def calendar_token_revoke(*, actor: User) -> bool:
    deleted, _rows = CalendarToken.objects.filter(user=actor).delete()
    return bool(deleted)


def token_user(secret: str) -> User | None:
    """The active user whose live token `secret` is, or None."""
    token = (
        CalendarToken.objects.select_related("user")
        .filter(digest=CalendarToken.digest_of(secret), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(hours=1):
        CalendarToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def feed_activities(user: User):
    since = timezone.now() - dt.timedelta(days=FEED_DAYS_BACK)
    mine = Activity.objects.filter(Q(our_people=user) | Q(author=user)).values("pk")
    return (
        Activity.objects.visible_to(user)
        .filter(pk__in=mine, occurred_at__gte=since)
        .select_related("account", "kind")
        .order_by("occurred_at", "pk")
    )


def feed(user: User) -> bytes:
    """The user's activities as an iCalendar document; times in UTC."""
    calendar = Calendar()
    calendar.add("prodid", "-//OpenKAM//Activities//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("OpenKAM activities of %(user)s") % {"user": user})
    stamp = timezone.now().astimezone(dt.UTC)
    for activity in feed_activities(user).iterator(chunk_size=500):
        start = activity.occurred_at.astimezone(dt.UTC)
        event = Event()
        event.add("uid", f"activity-{activity.pk}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(minutes=activity.duration_minutes))
        event.add("summary", f"{activity.kind}: {activity.subject} ({activity.account.name})")
        event.add("description", _description(activity))
        calendar.add_component(event)
    return calendar.to_ical()


def _description(activity: Activity) -> str:
    parts = []
    if activity.notes:
        parts.append(activity.notes)
    if activity.outcome:
        parts.append(_("Outcome: %(outcome)s") % {"outcome": activity.outcome})
    if activity.next_step:
        parts.append(_("Next step: %(step)s") % {"step": activity.next_step})
    return "\n\n".join(parts)

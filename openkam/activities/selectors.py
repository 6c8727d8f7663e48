"""Reads on activities, always through the accounts the reader may see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Max, QuerySet

from openkam.stakeholders.models import Stakeholder
from openkam.users.models import User

from .models import Activity


def activity_list(*, user: User) -> QuerySet[Activity]:
    return (
        Activity.objects.visible_to(user)
        .select_related("account", "kind", "author")
        .prefetch_related("our_people", "their_people")
    )


def last_contacts(stakeholders: Iterable[Stakeholder]) -> dict[int, dt.datetime]:
    """Each stakeholder's last activity, derived from the log (never typed in)."""
    ids = [s.pk for s in stakeholders]
    rows = (
        Activity.their_people.through.objects.filter(stakeholder_id__in=ids)
        .values("stakeholder_id")
        .annotate(last=Max("activity__occurred_at"))
    )
    return {row["stakeholder_id"]: row["last"] for row in rows}


def met_by(stakeholder: Stakeholder) -> list[tuple[User, dt.datetime]]:
    """Who on our side has met the person, each with the last time, the most recent first."""
    rows = (
        Activity.our_people.through.objects.filter(activity__their_people=stakeholder)
        .values("user_id")
        .annotate(last=Max("activity__occurred_at"))
        .order_by("-last")
    )
    users = User.objects.in_bulk([row["user_id"] for row in rows])
    return [(users[row["user_id"]], row["last"]) for row in rows]

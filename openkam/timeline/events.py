"""What the relationship timeline shows: one `Event` per thing that happened with an account,
from every source OpenKAM keeps, newest first.

Each source returns at most `limit` events of its own, newest first; the selector merges them.
Another app can add a source with `register` (same signature).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openkam.accounts.models import Account, AccountTeamMember
from openkam.activities.models import Activity
from openkam.core import formatting
from openkam.core.models import ChangeAction, ChangeLogEntry
from openkam.keyaccounts.models import Handover, KeyAccountTypeAssignment, NominationDecision
from openkam.plans.models import PlanReview
from openkam.stakeholders.models import Position
from openkam.tenders.models import Tender, TenderStatus

from .sales import AccountSales


class EventKind(models.TextChoices):
    REVENUE = "revenue", gettext_lazy("Monthly revenue")
    ORDER = "order", gettext_lazy("Large orders")
    ACTIVITY = "activity", gettext_lazy("Activities")
    TENDER = "tender", gettext_lazy("Tenders")
    KEY_ACCOUNT = "key_account", gettext_lazy("Nominations and types")
    HANDOVER = "handover", gettext_lazy("Handovers")
    TEAM = "team", gettext_lazy("Team changes")
    PEOPLE = "people", gettext_lazy("Stakeholder moves")
    PLAN = "plan", gettext_lazy("Plan reviews")


@dataclass(frozen=True)
class Event:
    kind: str
    when: dt.datetime  # aware; a date-only event is placed at the start of its day
    dated: bool  # True: only the date is known (shown without a time)
    title: str  # already translated, with its figures
    detail: str = ""  # free text typed by a person: escaped wherever it is shown
    url: str = ""
    amount: Decimal | None = None
    currency: str = ""

    @property
    def label(self) -> str:
        return str(EventKind(self.kind).label)

    @property
    def sort_key(self) -> tuple:
        return (self.when, self.kind, self.title)


def at_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


Source = Callable[[Account, int, AccountSales], list[Event]]


def revenue_months(account: Account, limit: int, sales: AccountSales) -> list[Event]:
    events = []
    for month in reversed(sales.months[-limit:]):
        if month.revenue_year_ago:
            change = (month.revenue - month.revenue_year_ago) / abs(month.revenue_year_ago)
            detail = _("%(change)s on the same month a year before") % {
                "change": formatting.percent(change, 0, signed=True)
            }
        else:
            detail = ""
        events.append(
            Event(
                kind=EventKind.REVENUE,
                when=at_day(month.month),
                dated=True,
                title=_("Revenue in %(month)s: %(revenue)s from %(orders)s orders")
                % {
                    "month": formatting.month(month.month),
                    "revenue": formatting.money(month.revenue, sales.currency),
                    "orders": formatting.number(month.orders),
                },
                detail=detail,
                amount=month.revenue,
                currency=sales.currency,
            )
        )
    return events


def large_orders(account: Account, limit: int, sales: AccountSales) -> list[Event]:
    return [
        Event(
            kind=EventKind.ORDER,
            when=at_day(order.day),
            dated=True,
            title=_("Large order %(document)s: %(revenue)s")
            % {
                "document": order.document,
                "revenue": formatting.money(order.revenue, sales.currency),
            },
            amount=order.revenue,
            currency=sales.currency,
        )
        for order in sales.large_orders[:limit]
    ]


def activities(account: Account, limit: int, sales: AccountSales) -> list[Event]:
    rows = (
        Activity.objects.filter(account=account)
        .select_related("kind")
        .order_by("-occurred_at", "-pk")[:limit]
    )
    return [
        Event(
            kind=EventKind.ACTIVITY,
            when=activity.occurred_at,
            dated=False,
            title=f"{activity.kind}: {activity.subject}",
            detail=activity.outcome,
            url=reverse("activities:update", args=[activity.pk]),
        )
        for activity in rows
    ]


def key_account_decisions(account: Account, limit: int, sales: AccountSales) -> list[Event]:
    nominations = NominationDecision.objects.filter(account=account).order_by(
        "-decided_on", "-created_at"
    )[:limit]
    types = KeyAccountTypeAssignment.objects.filter(account=account).order_by("-created_at")[:limit]
    events = [
        Event(
            kind=EventKind.KEY_ACCOUNT,
            when=at_day(decision.decided_on),
            dated=True,
            title=decision.get_kind_display(),
            detail=decision.reason,
        )
        for decision in nominations
    ]
    events += [
        Event(
            kind=EventKind.KEY_ACCOUNT,
            when=assignment.created_at,
            dated=False,
            title=_("Key-account type: %(type)s") % {"type": assignment.get_type_display()},
            detail=assignment.reason,
        )
        for assignment in types
    ]
    return events


def handovers(account: Account, limit: int, sales: AccountSales) -> list[Event]:
    rows = (
        Handover.objects.filter(account=account)
        .select_related("from_owner", "to_owner")
        .order_by("-created_at")[:limit]
    )
    return [
        Event(
            kind=EventKind.HANDOVER,
            when=handover.created_at,
            dated=False,
            title=_("Handed over from %(from)s to %(to)s")
            % {
                "from": _user(handover.from_owner) if handover.from_owner else "—",
                "to": _user(handover.to_owner),
            },
            detail=handover.note,
        )
        for handover in rows
    ]


def team_changes(account: Account, limit: int, sales: AccountSales) -> list[Event]:
    """Who joined or left the account team, from the change log (a removed member's row is
    gone, its log entry stays)."""
    member_type = ContentType.objects.get_for_model(AccountTeamMember)
    rows = ChangeLogEntry.objects.filter(
        account_id=account.pk,
        content_type=member_type,
        action__in=[ChangeAction.CREATE, ChangeAction.DELETE],
    ).order_by("-created_at", "-id")[:limit]
    titles = {
        ChangeAction.CREATE: _("Joined the account team: %(member)s"),
        ChangeAction.DELETE: _("Left the account team: %(member)s"),
    }
    return [
        Event(
            kind=EventKind.TEAM,
            when=entry.created_at,
            dated=False,
            title=titles[entry.action] % {"member": entry.object_repr},
        )
        for entry in rows
    ]


def stakeholder_moves(account: Account, limit: int, sales: AccountSales) -> list[Event]:
    """People starting and ending a position at the account (a move shows at both ends)."""
    started = (
        Position.objects.filter(account=account)
        .select_related("stakeholder")
        .order_by("-started_on", "-pk")[:limit]
    )
    ended = (
        Position.objects.filter(account=account, ended_on__isnull=False)
        .select_related("stakeholder")
        .order_by("-ended_on", "-pk")[:limit]
    )
    events = [
        Event(
            kind=EventKind.PEOPLE,
            when=at_day(position.started_on),
            dated=True,
            title=_("%(person)s started as %(title)s")
            % {
                "person": position.stakeholder.name,
                "title": position.job_title or _("(no title)"),
            },
            url=position.stakeholder.get_absolute_url(),
        )
        for position in started
    ]
    events += [
        Event(
            kind=EventKind.PEOPLE,
            when=at_day(position.ended_on),
            dated=True,
            title=_("%(person)s left the position %(title)s")
            % {
                "person": position.stakeholder.name,
                "title": position.job_title or _("(no title)"),
            },
            url=position.stakeholder.get_absolute_url(),
        )
        for position in ended
    ]
    return events


def tenders(account: Account, limit: int, sales: AccountSales) -> list[Event]:
    """A tender shows on its decision (won, lost and why, to whom) or, while open, on the day
    it was submitted or announced."""
    rows = (
        Tender.objects.filter(account=account)
        .exclude(announced_on=None, submitted_on=None, decided_on=None)
        .select_related("winner")
        .order_by(Coalesce("decided_on", "submitted_on", "announced_on").desc(), "-pk")[:limit]
    )
    events = []
    for tender in rows:
        day = tender.decided_on or tender.submitted_on or tender.announced_on
        if tender.status == TenderStatus.LOST:
            title = _("Tender lost: %(title)s (%(reason)s)") % {
                "title": tender.title,
                "reason": tender.get_lost_reason_display() or "—",
            }
            if tender.winner:
                title += " → " + tender.winner.name
        elif tender.status == TenderStatus.WON:
            title = _("Tender won: %(title)s") % {"title": tender.title}
        else:
            title = _("Tender %(status)s: %(title)s") % {
                "status": tender.get_status_display().lower(),
                "title": tender.title,
            }
        events.append(
            Event(
                kind=EventKind.TENDER,
                when=at_day(day),
                dated=True,
                title=title,
                detail=tender.lost_comment,
                url=reverse("tenders:account", args=[account.pk]),
                amount=tender.value,
                currency=tender.currency,
            )
        )
    return events


def plan_reviews(account: Account, limit: int, sales: AccountSales) -> list[Event]:
    rows = (
        PlanReview.objects.filter(plan__account=account)
        .select_related("plan")
        .order_by("-held_on", "-pk")[:limit]
    )
    return [
        Event(
            kind=EventKind.PLAN,
            when=at_day(review.held_on),
            dated=True,
            title=_("Review of the %(year)s account plan") % {"year": review.plan.year},
            detail=review.notes,
        )
        for review in rows
    ]


def _user(user) -> str:
    return user.get_full_name() or user.get_username()


SOURCES: dict[str, Source] = {
    EventKind.REVENUE: revenue_months,
    EventKind.ORDER: large_orders,
    EventKind.ACTIVITY: activities,
    EventKind.KEY_ACCOUNT: key_account_decisions,
    EventKind.HANDOVER: handovers,
    EventKind.TEAM: team_changes,
    EventKind.PEOPLE: stakeholder_moves,
    EventKind.TENDER: tenders,
    EventKind.PLAN: plan_reviews,
}


def register(kind: str, source: Source) -> None:
    """Add the events of another app (tenders, plan reviews) to every account's timeline."""
    SOURCES[kind] = source

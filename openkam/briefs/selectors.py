"""What a negotiation brief shows, read from the dossier as of the meeting date: the people in
the room, the last twelve months, open tenders, open actions and promises, competitor threats,
our value propositions and the customer's strategy. Nothing here is stored with the brief."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from openkam.activities.models import Activity
from openkam.activities.selectors import last_contacts
from openkam.competitors.models import AccountCompetitor
from openkam.dossier.models import Area, PortraitSection
from openkam.metrics.models import AccountMetrics, AccountPeriodMetrics, Period, Snapshot
from openkam.metrics.selectors import finished_snapshots
from openkam.plans.models import OPEN_STATUSES, AccountPlan, PlanAction
from openkam.stakeholders.models import Stakeholder
from openkam.tenders.models import Tender, TenderStatus
from openkam.users.models import User

from .models import NegotiationBrief

PROMISES_DAYS = 180  # next steps agreed in meetings of the last six months
STRATEGY_AREAS = (Area.CORPORATE, Area.CATEGORY, Area.OPERATIONS)


def brief_list(*, user: User) -> QuerySet[NegotiationBrief]:
    return NegotiationBrief.objects.visible_to(user).select_related("account", "author")


@dataclass
class Person:
    stakeholder: Stakeholder
    last_contact: dt.datetime | None


@dataclass
class BriefContent:
    as_of: dt.date
    snapshot: Snapshot | None
    people: list[Person]
    year: AccountPeriodMetrics | None  # the last 12 months as of the snapshot
    state: AccountMetrics | None  # rhythm, overdue, lost
    open_tenders: list[Tender]
    open_actions: list[PlanAction]
    promises: list[Activity]  # next steps we agreed with them
    threats: list[AccountCompetitor]
    plan: AccountPlan | None
    strategy: list[PortraitSection] = field(default_factory=list)

    @property
    def trend(self) -> float | None:
        return self.year.growth_year_ago if self.year else None


def snapshot_as_of(day: dt.date) -> Snapshot | None:
    """The latest finished snapshot on or before `day`, else the earliest after it."""
    snapshots = finished_snapshots()
    return (
        snapshots.filter(as_of__lte=day).order_by("-as_of", "-created_at").first()
        or snapshots.order_by("as_of", "created_at").first()
    )


def brief_content(brief: NegotiationBrief) -> BriefContent:
    account = brief.account
    as_of = min(brief.meeting_on, timezone.localdate())
    snapshot = snapshot_as_of(brief.meeting_on)
    people = list(brief.attendees.select_related("department__kind").order_by("-influence", "name"))
    contacts = last_contacts(people)
    year = state = None
    if snapshot is not None:
        year = AccountPeriodMetrics.objects.filter(
            snapshot=snapshot, account=account, period=Period.YEAR
        ).first()
        state = AccountMetrics.objects.filter(snapshot=snapshot, account=account).first()
    plan = (
        AccountPlan.objects.filter(account=account, year__lte=brief.meeting_on.year)
        .order_by("-year")
        .prefetch_related("value_propositions")
        .first()
    )
    since = timezone.now() - dt.timedelta(days=PROMISES_DAYS)
    return BriefContent(
        as_of=as_of,
        snapshot=snapshot,
        people=[Person(p, contacts.get(p.pk)) for p in people],
        year=year,
        state=state,
        open_tenders=list(
            Tender.objects.filter(account=account, status=TenderStatus.OPEN)
            .select_related("category")
            .order_by("submitted_on", "announced_on", "pk")
        ),
        open_actions=list(
            PlanAction.objects.filter(objective__plan__account=account, status__in=OPEN_STATUSES)
            .select_related("owner", "objective")
            .order_by("due_date", "pk")
        ),
        promises=list(
            Activity.objects.filter(account=account, occurred_at__gte=since)
            .exclude(next_step="")
            .select_related("kind")
            .order_by("next_step_due", "-occurred_at")
        ),
        threats=list(
            AccountCompetitor.objects.filter(account=account)
            .select_related("competitor")
            .order_by("-threat_level", "competitor__name")
        ),
        plan=plan,
        strategy=list(
            PortraitSection.objects.filter(account=account, area__in=STRATEGY_AREAS)
            .exclude(text="")
            .order_by("area")
        ),
    )


def brief_context(brief: NegotiationBrief) -> dict[str, Any]:
    return {"brief": brief, "account": brief.account, "content": brief_content(brief)}

"""Reads of account-based marketing: a list's members (worked out from its rule when shown),
the contact cards of a list, and a programme's engagement table.

A list by rule is one query on the accounts, whatever their number: its criteria become
filters, the ABC class and the health level subqueries on the latest metrics snapshot
(12 months) and the latest health scores, the key-account type a subquery on the newest type
assignment. Pages read the members a page at a time.

Engagement: each touch entered for a step counts, and so does every activity (a meeting, a
call …) with the person among "their people present" during the programme — on a step's date
it is that step's "met", on another day a meeting outside the steps. Points: attended or met
3, opened or other 1; a person's score is the sum, an account's the sum of its people's.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from openkam.accounts.models import Account, AccountTeamMember, TeamRole
from openkam.activities.models import Activity
from openkam.health.models import HealthScore
from openkam.health.selectors import scored_snapshot
from openkam.keyaccounts.models import KeyAccountTypeAssignment
from openkam.metrics.models import AccountPeriodMetrics, Period
from openkam.metrics.selectors import snapshot_for
from openkam.stakeholders.models import Stakeholder
from openkam.users.models import User

from .models import (
    ListKind,
    Programme,
    ProgrammeStep,
    TargetList,
    TargetListMember,
    Touch,
    TouchKind,
)

TOUCH_POINTS = {TouchKind.ATTENDED: 3, TouchKind.MET: 3, TouchKind.OPENED: 1, TouchKind.OTHER: 1}
MEETING_POINTS = TOUCH_POINTS[TouchKind.MET]


def _current_type():
    newest = KeyAccountTypeAssignment.objects.filter(account=OuterRef("pk")).order_by(
        "-created_at", "-id"
    )
    return Subquery(newest.values("type")[:1])


def target_lists(*, user: User) -> QuerySet[TargetList]:
    return TargetList.objects.visible_to(user).select_related("owner", "rule_segment")


def list_accounts(target_list: TargetList) -> QuerySet[Account]:
    """Every account of the list, whoever looks (callers narrow it to what a user may see):
    a static list's members, or the accounts that match a list's rule now."""
    if target_list.kind == ListKind.STATIC:
        chosen = TargetListMember.objects.filter(target_list=target_list).values("account_id")
        return Account.objects.filter(pk__in=chosen)
    accounts = Account.objects.all()
    if target_list.rule_status:
        accounts = accounts.filter(status=target_list.rule_status)
    if target_list.rule_country:
        accounts = accounts.filter(country=target_list.rule_country)
    if target_list.rule_segment_id:
        accounts = accounts.filter(segment_id=target_list.rule_segment_id)
    if target_list.rule_key_account_type:
        accounts = accounts.annotate(key_account_type=_current_type()).filter(
            key_account_type=target_list.rule_key_account_type
        )
    if target_list.rule_abc:
        snapshot = snapshot_for()
        if snapshot is None:
            return Account.objects.none()
        classed = AccountPeriodMetrics.objects.filter(
            snapshot=snapshot, period=Period.YEAR, abc__in=list(target_list.rule_abc)
        )
        accounts = accounts.filter(pk__in=classed.values("account_id"))
    if target_list.rule_health_level:
        scored = scored_snapshot()
        if scored is None:
            return Account.objects.none()
        levelled = HealthScore.objects.filter(snapshot=scored, level=target_list.rule_health_level)
        accounts = accounts.filter(pk__in=levelled.values("account_id"))
    return accounts


def members(*, user: User, target_list: TargetList) -> QuerySet[Account]:
    """The list's accounts `user` may see, by name."""
    visible = Account.objects.visible_to(user, "view").values("pk")
    return list_accounts(target_list).filter(pk__in=visible).order_by("name", "pk")


def with_marketing_facts(accounts: QuerySet[Account]) -> QuerySet[Account]:
    """Annotated for the member table and its export: owner, key-account type, ABC class
    (latest snapshot, 12 months), health level (latest scores), people still there."""
    snapshot = snapshot_for()
    scored = scored_snapshot()
    owners = AccountTeamMember.objects.filter(account=OuterRef("pk"), role=TeamRole.OWNER)
    people = (
        Stakeholder.objects.filter(account=OuterRef("pk"), active=True)
        .order_by()
        .values("account")
        .annotate(n=Count("pk"))
        .values("n")
    )
    abc = AccountPeriodMetrics.objects.filter(
        snapshot_id=snapshot.pk if snapshot else None, period=Period.YEAR, account=OuterRef("pk")
    )
    health = HealthScore.objects.filter(
        snapshot_id=scored.pk if scored else None, account=OuterRef("pk")
    )
    return accounts.select_related("segment").annotate(
        owner_username=Subquery(owners.values("user__username")[:1]),
        current_type=_current_type(),
        abc_class=Subquery(abc.values("abc")[:1]),
        health_level=Subquery(health.values("level")[:1]),
        people=Coalesce(Subquery(people[:1]), 0),
    )


def contact_cards(*, user: User, target_list: TargetList) -> QuerySet[Stakeholder]:
    """The people still at the list's accounts that `user` may see, account by account."""
    accounts = members(user=user, target_list=target_list).values("pk")
    return (
        Stakeholder.objects.visible_to(user)
        .filter(account__in=accounts, active=True)
        .select_related("account", "department", "department__kind")
        .order_by("account__name", "account_id", "name", "pk")
    )


def stakeholder_card(*, user: User, pk: int) -> Stakeholder | None:
    return (
        Stakeholder.objects.visible_to(user)
        .select_related("account", "department", "department__kind")
        .filter(pk=pk)
        .first()
    )


# -- programmes ------------------------------------------------------------------------------


def programmes(*, user: User) -> QuerySet[Programme]:
    return Programme.objects.visible_to(user).select_related(
        "account", "target_list", "marketing_owner", "sales_owner"
    )


def programme_accounts(programme: Programme) -> QuerySet[Account]:
    """The accounts a programme is for: its account, or its list's accounts."""
    if programme.account_id:
        return Account.objects.filter(pk=programme.account_id)
    return list_accounts(programme.target_list)


def programme_period(programme: Programme, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """From its start to its end — or to today while it runs on."""
    today = today or timezone.localdate()
    return programme.starts_on, programme.ends_on or max(today, programme.starts_on)


@dataclass
class PersonEngagement:
    stakeholder_id: int
    name: str
    job_title: str
    account_id: int
    account_name: str
    # step id → the kinds of touch (entered), and whether an activity met them that day
    entered: dict[int, list[str]] = field(default_factory=dict)
    met_on_step: set[int] = field(default_factory=set)
    meetings_outside_steps: int = 0

    @property
    def score(self) -> int:
        points = sum(TOUCH_POINTS[kind] for kinds in self.entered.values() for kind in kinds)
        met_again = {s for s in self.met_on_step if TouchKind.MET in self.entered.get(s, [])}
        points += MEETING_POINTS * len(self.met_on_step - met_again)
        return points + MEETING_POINTS * self.meetings_outside_steps

    def cell(self, step_id: int) -> list[str]:
        kinds = list(self.entered.get(step_id, []))
        if step_id in self.met_on_step and TouchKind.MET not in kinds:
            kinds.append(TouchKind.MET)
        return kinds


@dataclass
class AccountEngagement:
    account_id: int
    name: str
    people: int  # people listed for the account
    engaged: int  # of them with at least one touch or meeting
    score: int


@dataclass
class Engagement:
    steps: list[ProgrammeStep]
    people: list[PersonEngagement]
    accounts: list[AccountEngagement]
    period: tuple[dt.date, dt.date]


def _day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    first = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return first, after


def engagement(*, user: User, programme: Programme, today: dt.date | None = None) -> Engagement:
    """The programme's stakeholders × steps with their touches, and a score per stakeholder
    and per account, from what `user` may see. An account's programme lists every person still
    at the account; a list's programme those with a touch or a meeting (a list can hold
    thousands of accounts). Four queries, whatever the size."""
    start, end = programme_period(programme, today)
    steps = list(programme.steps.order_by("on", "pk"))
    step_days: dict[dt.date, list[int]] = defaultdict(list)
    for step in steps:
        step_days[step.on].append(step.pk)
    visible_people = Stakeholder.objects.visible_to(user)
    accounts = programme_accounts(programme).values("pk")
    people: dict[int, PersonEngagement] = {}

    def person(row) -> PersonEngagement:
        pk = row[0]
        if pk not in people:
            people[pk] = PersonEngagement(pk, row[1], row[2], row[3], row[4])
        return people[pk]

    person_columns = ("pk", "name", "job_title", "account_id", "account__name")
    if programme.account_id:
        everyone = visible_people.filter(account_id=programme.account_id, active=True)
        for row in everyone.values_list(*person_columns):
            person(row)
    touches = (
        Touch.objects.filter(step__programme=programme, stakeholder__in=visible_people)
        .order_by("step__on", "pk")
        .values_list("step_id", "kind", *(f"stakeholder__{c}" for c in person_columns))
    )
    for step_id, kind, *row in touches:
        person(row).entered.setdefault(step_id, []).append(kind)
    first, after = _day_bounds(start, end)
    Presence = Activity.their_people.through
    meetings = (
        Presence.objects.filter(
            activity__occurred_at__gte=first,
            activity__occurred_at__lt=after,
            activity__account__in=accounts,
            stakeholder__in=visible_people,
        )
        .order_by()
        .values_list("activity__occurred_at", *(f"stakeholder__{c}" for c in person_columns))
    )
    for occurred_at, *row in meetings:
        day = timezone.localtime(occurred_at).date()
        engaged = person(row)
        if day in step_days:
            engaged.met_on_step.update(step_days[day])
        else:
            engaged.meetings_outside_steps += 1
    rows = sorted(people.values(), key=lambda p: (p.account_name.casefold(), -p.score, p.name))
    return Engagement(steps, rows, _by_account(rows), (start, end))


def _by_account(people: list[PersonEngagement]) -> list[AccountEngagement]:
    totals: dict[int, AccountEngagement] = {}
    for p in people:
        line = totals.setdefault(
            p.account_id, AccountEngagement(p.account_id, p.account_name, 0, 0, 0)
        )
        line.people += 1
        score = p.score
        line.engaged += score > 0
        line.score += score
    return sorted(totals.values(), key=lambda a: (-a.score, a.name.casefold()))


def programme_steps(*, user: User) -> QuerySet[ProgrammeStep]:
    return ProgrammeStep.objects.visible_to(user).select_related("programme")


def touches(*, user: User) -> QuerySet[Touch]:
    return (
        Touch.objects.visible_to(user)
        .filter(step__in=ProgrammeStep.objects.visible_to(user))
        .select_related("step", "stakeholder", "author")
    )

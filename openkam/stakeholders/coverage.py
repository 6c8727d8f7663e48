"""Coverage: which departments of a customer our people are in touch with, and the gaps —
"don't forget anyone". Worked out with a handful of aggregate queries over any number of
accounts, never one per cell."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.accounts.models import Account, AccountStatus, AccountTeamMember, TeamRole
from openkam.activities.models import Activity
from openkam.users.models import User

from .models import Attitude, BuyingRole, Department, Stakeholder

# The departments a KAM works with at once in modern trade (DOMAIN.md, "Reaching everyone").
ESSENTIAL_KINDS = ("buying", "operations", "marketing")


class GapKind(StrEnum):
    DEPARTMENT_MISSING = "department_missing"
    DEPARTMENT_EMPTY = "department_empty"
    OUT_OF_TOUCH = "out_of_touch"
    SINGLE_THREADED = "single_threaded"
    WEAK_DECISION_MAKER = "weak_decision_maker"
    NOT_MET = "not_met"


def gap_label(kind: str) -> str:
    labels = {
        GapKind.DEPARTMENT_MISSING: _("Department not known"),
        GapKind.DEPARTMENT_EMPTY: _("Nobody known in the department"),
        GapKind.OUT_OF_TOUCH: _("Department out of touch"),
        GapKind.SINGLE_THREADED: _("Single-threaded"),
        GapKind.WEAK_DECISION_MAKER: _("Weak relationship with a decision maker"),
        GapKind.NOT_MET: _("Key person not met"),
    }
    return labels[GapKind(kind)]


@dataclass
class Gap:
    kind: GapKind
    account: Account
    message: str
    department: Department | None = None
    stakeholder: Stakeholder | None = None
    last_contact: dt.datetime | None = None

    @property
    def label(self) -> str:
        return gap_label(self.kind)


@dataclass
class CoverageRow:
    department: Department
    people: int
    cells: list[dt.datetime | None]
    last_contact: dt.datetime | None
    stale: bool


@dataclass
class Coverage:
    account: Account
    users: list[User]
    team_ids: set[int]
    rows: list[CoverageRow]
    gaps: list[Gap]
    days: int
    since: dt.datetime


def coverage_days() -> int:
    return int(getattr(settings, "KAM_COVERAGE_DAYS", 90))


def _since(now: dt.datetime | None, days: int) -> dt.datetime:
    return (now or timezone.now()) - dt.timedelta(days=days)


def _department_name(department: Department) -> str:
    return str(department)


def _contacts(account_ids) -> dict[int, dict[int, dt.datetime]]:
    """department id → {our user id → last activity with someone of that department}: one
    aggregate query."""
    rows = (
        Activity.their_people.through.objects.filter(
            stakeholder__account_id__in=account_ids,
            stakeholder__department__isnull=False,
            activity__our_people__isnull=False,
        )
        .values("stakeholder__department_id", "activity__our_people")
        .annotate(last=Max("activity__occurred_at"))
    )
    result: dict[int, dict[int, dt.datetime]] = defaultdict(dict)
    for row in rows:
        result[row["stakeholder__department_id"]][row["activity__our_people"]] = row["last"]
    return result


def coverage_gaps(
    accounts: QuerySet[Account] | Iterable[Account], *, now: dt.datetime | None = None
) -> list[Gap]:
    """Every gap of the accounts, by account name then kind. Five queries in all."""
    accounts = list(accounts)
    if not accounts:
        return []
    by_id = {a.pk: a for a in accounts}
    ids = list(by_id)
    days = coverage_days()
    since = _since(now, days)
    departments = list(
        Department.objects.filter(account_id__in=ids)
        .select_related("kind")
        .annotate(people=Count("stakeholders", filter=Q(stakeholders__active=True)))
    )
    contacts = _contacts(ids)
    gaps = _department_gaps(by_id, departments, contacts, days, since)
    gaps += _people_gaps(by_id, ids, days, since)
    order = list(GapKind)
    gaps.sort(key=lambda g: (g.account.name, g.account.pk, order.index(g.kind), g.message))
    return gaps


def _department_gaps(by_id, departments, contacts, days, since) -> list[Gap]:
    gaps: list[Gap] = []
    kinds_present: dict[int, set[str]] = defaultdict(set)
    for department in departments:
        account = by_id[department.account_id]
        kinds_present[account.pk].add(department.kind.code)
        name = _department_name(department)
        if not department.people:
            gaps.append(
                Gap(
                    GapKind.DEPARTMENT_EMPTY,
                    account,
                    _("Nobody known in %(department)s.") % {"department": name},
                    department,
                )
            )
            continue
        ours = contacts.get(department.pk, {})
        last = max(ours.values(), default=None)
        if last is None or last < since:
            gaps.append(
                Gap(
                    GapKind.OUT_OF_TOUCH,
                    account,
                    _("Nobody of ours in touch with %(department)s for %(days)s days.")
                    % {"department": name, "days": days},
                    department,
                    last_contact=last,
                )
            )
        if len(ours) == 1:
            gaps.append(
                Gap(
                    GapKind.SINGLE_THREADED,
                    account,
                    _("Only one of ours knows anyone in %(department)s.") % {"department": name},
                    department,
                    last_contact=last,
                )
            )
    from .models import DepartmentKind

    essential = list(DepartmentKind.objects.filter(code__in=ESSENTIAL_KINDS))
    for account in by_id.values():
        for kind in essential:
            if kind.code not in kinds_present[account.pk]:
                gaps.append(
                    Gap(
                        GapKind.DEPARTMENT_MISSING,
                        account,
                        _("No %(kind)s department known.") % {"kind": kind},
                    )
                )
    return gaps


def _people_gaps(by_id, ids, days, since) -> list[Gap]:
    people = (
        Stakeholder.objects.filter(account_id__in=ids, active=True)
        .filter(
            Q(buying_role__in=[BuyingRole.DECISION_MAKER, BuyingRole.CHAMPION])
            | Q(attitude=Attitude.CHAMPION)
        )
        .annotate(last=Max("activities__occurred_at"))
        .select_related("department", "department__kind")
    )
    gaps: list[Gap] = []
    for person in people:
        account = by_id[person.account_id]
        decision_maker = person.buying_role == BuyingRole.DECISION_MAKER
        if decision_maker and person.relationship_strength and person.relationship_strength < 3:
            gaps.append(
                Gap(
                    GapKind.WEAK_DECISION_MAKER,
                    account,
                    _("Relationship with decision maker %(name)s is only %(strength)s/5.")
                    % {"name": person.name, "strength": person.relationship_strength},
                    person.department,
                    person,
                    person.last,
                )
            )
        if person.last is None or person.last < since:
            message = (
                _("Decision maker %(name)s not met for %(days)s days.")
                if decision_maker
                else _("Champion %(name)s not met for %(days)s days.")
            )
            gaps.append(
                Gap(
                    GapKind.NOT_MET,
                    account,
                    message % {"name": person.name, "days": days},
                    person.department,
                    person,
                    person.last,
                )
            )
    return gaps


def account_coverage(*, account: Account, now: dt.datetime | None = None) -> Coverage:
    """The matrix: the account's departments × our people (the account team, then anyone
    else of ours who met someone there), each cell the last contact; and the gaps."""
    days = coverage_days()
    since = _since(now, days)
    departments = list(
        Department.objects.filter(account=account)
        .select_related("kind")
        .annotate(people=Count("stakeholders", filter=Q(stakeholders__active=True)))
    )
    contacts = _contacts([account.pk])
    team = list(
        AccountTeamMember.objects.filter(account=account)
        .select_related("user")
        .order_by("role", "user__username")
    )
    users = [m.user for m in team]
    team_ids = {u.pk for u in users}
    others = {uid for cells in contacts.values() for uid in cells} - team_ids
    if others:
        users += list(User.objects.filter(pk__in=others).order_by("username"))
    rows = []
    for department in departments:
        ours = contacts.get(department.pk, {})
        last = max(ours.values(), default=None)
        rows.append(
            CoverageRow(
                department=department,
                people=department.people,
                cells=[ours.get(u.pk) for u in users],
                last_contact=last,
                stale=last is None or last < since,
            )
        )
    gaps = _department_gaps({account.pk: account}, departments, contacts, days, since)
    gaps += _people_gaps({account.pk: account}, [account.pk], days, since)
    order = list(GapKind)
    gaps.sort(key=lambda g: (order.index(g.kind), g.message))
    return Coverage(account, users, team_ids, rows, gaps, days, since)


def gap_accounts(*, user: User, owner: User | None = None, key_only: bool = False):
    """The accounts whose gaps `user` sees: a KAM their own (the accounts whose team they are
    on), directors every account, optionally one owner's."""
    accounts = Account.objects.visible_to(user, "view").only("pk", "name", "status")
    if owner is not None:
        accounts = accounts.filter(team__user=owner, team__role=TeamRole.OWNER)
    if key_only:
        accounts = accounts.filter(status=AccountStatus.KEY)
    return accounts.order_by("name", "pk")

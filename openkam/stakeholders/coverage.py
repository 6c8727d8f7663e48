"""Coverage: which departments of a customer our people are in touch with, and the gaps —
"don't forget anyone". Worked out with a handful of aggregate queries over any number of
accounts, never one per cell."""

from __future__ import annotations

import datetime as dt
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Count, Max, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.accounts.models import Account, AccountStatus, AccountTeamMember, TeamRole
from openkam.activities.models import Activity
from openkam.users.models import User

from .models import Attitude, BuyingRole, CoverageGap, Department, DepartmentKind, Stakeholder

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


def gap_message(
    kind: str,
    *,
    department: Department | None = None,
    stakeholder: Stakeholder | None = None,
    missing_kind: object = None,
    strength: int | None = None,
    decision_maker: bool = False,
    days: int | None = None,
) -> str:
    """What the gap means, in the reader's language (stored gaps keep only the facts)."""
    days = coverage_days() if days is None else days
    name = str(department) if department is not None else ""
    if kind == GapKind.DEPARTMENT_EMPTY:
        return _("Nobody known in %(department)s.") % {"department": name}
    if kind == GapKind.OUT_OF_TOUCH:
        return _("Nobody of ours in touch with %(department)s for %(days)s days.") % {
            "department": name,
            "days": days,
        }
    if kind == GapKind.SINGLE_THREADED:
        return _("Only one of ours knows anyone in %(department)s.") % {"department": name}
    if kind == GapKind.DEPARTMENT_MISSING:
        return _("No %(kind)s department known.") % {"kind": missing_kind}
    if kind == GapKind.WEAK_DECISION_MAKER:
        return _("Relationship with decision maker %(name)s is only %(strength)s/5.") % {
            "name": stakeholder.name,
            "strength": strength,
        }
    message = (
        _("Decision maker %(name)s not met for %(days)s days.")
        if decision_maker
        else _("Champion %(name)s not met for %(days)s days.")
    )
    return message % {"name": stakeholder.name, "days": days}


# The gaps that open with time: stored with their last contact, a gap once it is too old.
TIMED_KINDS = (GapKind.OUT_OF_TOUCH, GapKind.NOT_MET)


@dataclass
class Gap:
    kind: GapKind
    account: Account
    message: str
    department: Department | None = None
    stakeholder: Stakeholder | None = None
    last_contact: dt.datetime | None = None
    missing_kind: DepartmentKind | None = None
    strength: int | None = None
    decision_maker: bool = False

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
    gaps = _gaps({a.pk: a for a in accounts}, since=_since(now, coverage_days()))
    order = list(GapKind)
    gaps.sort(key=lambda g: (g.account.name, g.account.pk, order.index(g.kind), g.message))
    return gaps


def _gaps(by_id: dict[int, Account], *, since: dt.datetime | None) -> list[Gap]:
    """The gaps of the accounts; `since=None`: with a watch (a timed gap whatever its last
    contact) for every department with people and every key person, to be stored."""
    ids = list(by_id)
    departments = list(
        Department.objects.filter(account_id__in=ids)
        .select_related("kind")
        .annotate(people=Count("stakeholders", filter=Q(stakeholders__active=True)))
    )
    contacts = _contacts(ids)
    return _department_gaps(by_id, departments, contacts, since) + _people_gaps(by_id, ids, since)


def _too_old(last: dt.datetime | None, since: dt.datetime | None) -> bool:
    return since is None or last is None or last < since


def _gap(kind: GapKind, account: Account, last_contact=None, **facts) -> Gap:
    return Gap(
        kind,
        account,
        gap_message(kind, **facts),
        facts.get("department"),
        facts.get("stakeholder"),
        last_contact,
        missing_kind=facts.get("missing_kind"),
        strength=facts.get("strength"),
        decision_maker=facts.get("decision_maker", False),
    )


def _department_gaps(by_id, departments, contacts, since) -> list[Gap]:
    gaps: list[Gap] = []
    kinds_present: dict[int, set[str]] = defaultdict(set)
    for department in departments:
        account = by_id[department.account_id]
        kinds_present[account.pk].add(department.kind.code)
        if not department.people:
            gaps.append(_gap(GapKind.DEPARTMENT_EMPTY, account, department=department))
            continue
        ours = contacts.get(department.pk, {})
        last = max(ours.values(), default=None)
        if _too_old(last, since):
            gaps.append(
                _gap(GapKind.OUT_OF_TOUCH, account, department=department, last_contact=last)
            )
        if len(ours) == 1:
            gaps.append(
                _gap(GapKind.SINGLE_THREADED, account, department=department, last_contact=last)
            )
    essential = list(DepartmentKind.objects.filter(code__in=ESSENTIAL_KINDS))
    for account in by_id.values():
        for kind in essential:
            if kind.code not in kinds_present[account.pk]:
                gaps.append(_gap(GapKind.DEPARTMENT_MISSING, account, missing_kind=kind))
    return gaps


def _people_gaps(by_id, ids, since) -> list[Gap]:
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
        facts = {"department": person.department, "stakeholder": person}
        if decision_maker and person.relationship_strength and person.relationship_strength < 3:
            gaps.append(
                _gap(
                    GapKind.WEAK_DECISION_MAKER,
                    account,
                    last_contact=person.last,
                    strength=person.relationship_strength,
                    **facts,
                )
            )
        if _too_old(person.last, since):
            gaps.append(
                _gap(
                    GapKind.NOT_MET,
                    account,
                    last_contact=person.last,
                    decision_maker=decision_maker,
                    **facts,
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
    gaps = _department_gaps({account.pk: account}, departments, contacts, since)
    gaps += _people_gaps({account.pk: account}, [account.pk], since)
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


# -- Stored gaps: the list across accounts ----------------------------------------------------

REFRESH_CHUNK = 500  # accounts recomputed per transaction


def refresh_stored_gaps(account_ids: Iterable[int] | None = None) -> int:
    """Recompute the stored gaps of these accounts (None: every account), with a watch for
    each timed gap; returns how many rows were written."""
    if account_ids is None:
        ids = list(Account.objects.order_by("pk").values_list("pk", flat=True))
    else:
        ids = sorted({pk for pk in account_ids if pk is not None})
    written = 0
    for start in range(0, len(ids), REFRESH_CHUNK):
        chunk = ids[start : start + REFRESH_CHUNK]
        with transaction.atomic():
            accounts = {a.pk: a for a in Account.objects.filter(pk__in=chunk).only("pk", "name")}
            rows = [
                CoverageGap(
                    account_id=gap.account.pk,
                    kind=gap.kind,
                    department=gap.department,
                    stakeholder=gap.stakeholder,
                    missing_kind=gap.missing_kind,
                    last_contact=gap.last_contact,
                    strength=gap.strength,
                    decision_maker=gap.decision_maker,
                )
                for gap in (_gaps(accounts, since=None) if accounts else [])
            ]
            CoverageGap.objects.filter(account_id__in=chunk).delete()
            CoverageGap.objects.bulk_create(rows, batch_size=2000)
        written += len(rows)
    return written


def stored_gaps(
    accounts: QuerySet[Account], *, kind: str = "", now: dt.datetime | None = None
) -> QuerySet[CoverageGap]:
    """The open gaps of `accounts` from the stored rows — a timed watch is a gap once its
    last contact is older than `KAM_COVERAGE_DAYS` — by account name, then kind."""
    since = _since(now, coverage_days())
    timed = Q(kind__in=TIMED_KINDS)
    gaps = CoverageGap.objects.filter(account__in=accounts).filter(
        ~timed | Q(last_contact__isnull=True) | Q(last_contact__lt=since)
    )
    if kind:
        gaps = gaps.filter(kind=kind)
    order = Case(*(When(kind=k.value, then=Value(i)) for i, k in enumerate(GapKind)))
    return (
        gaps.select_related("account", "department__kind", "stakeholder", "missing_kind")
        .annotate(kind_order=order)
        .order_by(
            "account__name",
            "account_id",
            "kind_order",
            "department__name",
            "department__kind__code",
            "stakeholder__name",
            "pk",
        )
    )


class _Deferred(threading.local):
    depth = 0
    account_ids: set[int]


_deferred = _Deferred()


@contextmanager
def deferred_refresh(*, everything: bool = False) -> Iterator[None]:
    """Collect the accounts that changed and refresh their gaps once at the end (bulk work:
    imports, the demo); `everything`: refresh every account at the end (for work that writes
    with bulk_create, which sends no signals)."""
    if _deferred.depth == 0:
        _deferred.account_ids = set()
    _deferred.depth += 1
    try:
        yield
    finally:
        _deferred.depth -= 1
        if _deferred.depth == 0:
            ids, _deferred.account_ids = _deferred.account_ids, set()
            refresh_stored_gaps(None if everything else ids)


def account_changed(account_ids: Iterable[int | None]) -> None:
    """Keep the stored gaps of these accounts up to date (the signal handlers call this)."""
    ids = {pk for pk in account_ids if pk is not None}
    if not ids:
        return
    if _deferred.depth:
        _deferred.account_ids |= ids
    else:
        refresh_stored_gaps(ids)

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from openkam.accounts.models import Account
from openkam.users.models import User

from .models import Attitude, BuyingRole, Department, Position, Stakeholder, StakeholderAssessment


@dataclass
class DepartmentPeople:
    department: Department | None
    stakeholders: list[Stakeholder]


def stakeholder_list(*, user: User) -> QuerySet[Stakeholder]:
    return Stakeholder.objects.visible_to(user, "view").select_related(
        "account", "department", "department__kind", "reports_to"
    )


def stakeholder_detail(*, user: User, pk: int) -> QuerySet[Stakeholder]:
    positions = Position.objects.select_related("account", "department", "department__kind")
    return (
        stakeholder_list(user=user)
        .filter(pk=pk)
        .prefetch_related(Prefetch("positions", queryset=positions), "reports")
    )


def account_stakeholders_by_department(*, user: User, account: Account) -> list[DepartmentPeople]:
    """The account's people grouped by department (every department, even an empty one, so a
    KAM sees whom they have not met yet), people without a department last."""
    people = list(
        Stakeholder.objects.visible_to(user, "view").filter(account=account).order_by("name")
    )
    by_id = {p.pk: p for p in people}
    for person in people:  # one reports to someone at the same account: no join needed
        if person.reports_to_id in by_id:
            person.reports_to = by_id[person.reports_to_id]
    departments = Department.objects.visible_to(user, "view").filter(account=account)
    departments = list(departments.select_related("kind"))
    groups = [
        DepartmentPeople(d, [p for p in people if p.department_id == d.pk]) for d in departments
    ]
    unassigned = [p for p in people if p.department_id is None]
    if unassigned:
        groups.append(DepartmentPeople(None, unassigned))
    return groups


def account_former_stakeholders(*, user: User, account: Account) -> QuerySet[Position]:
    """Positions at this account that have ended: who used to work here, and until when."""
    return (
        Position.objects.visible_to(user, "view")
        .filter(account=account, ended_on__isnull=False)
        .exclude(stakeholder__account=account)
        .select_related("stakeholder", "department")
        .order_by("-ended_on")
    )


# -- Influence and attitude ------------------------------------------------------------------


def stakeholder_assessments(*, stakeholder: Stakeholder) -> QuerySet[StakeholderAssessment]:
    """The person's influence and attitude over time, the latest first."""
    return stakeholder.assessments.select_related("author").order_by("-since", "-id")


# -- Org chart -------------------------------------------------------------------------------


@dataclass
class OrgNode:
    person: Stakeholder
    last_contact: dt.datetime | None
    reports: list[OrgNode] = field(default_factory=list)

    def report_groups(self) -> list[tuple[Department | None, list[OrgNode]]]:
        """The direct reports grouped by department, in the order departments come."""
        groups: dict[int | None, tuple[Department | None, list[OrgNode]]] = {}
        for node in self.reports:
            key = node.person.department_id
            groups.setdefault(key, (node.person.department, []))[1].append(node)
        return list(groups.values())


@dataclass
class OrgChart:
    account: Account
    roots: list[OrgNode]
    people: list[Stakeholder]

    def root_groups(self) -> list[tuple[Department | None, list[OrgNode]]]:
        return OrgNode(person=None, last_contact=None, reports=self.roots).report_groups()  # type: ignore[arg-type]


def org_chart(*, user: User, account: Account) -> OrgChart:
    """The account's current people as a tree drawn from reports-to: people without a manager
    (or whose manager is not here any more) at the top, each one's reports under them. Three
    queries whatever the size: people, their departments, last contacts."""
    from openkam.activities.selectors import last_contacts

    people = list(
        Stakeholder.objects.visible_to(user, "view")
        .filter(account=account, active=True)
        .select_related("department", "department__kind")
        .order_by("department__kind__order", "department__name", "name", "id")
    )
    contacts = last_contacts(people)
    nodes = {p.pk: OrgNode(p, contacts.get(p.pk)) for p in people}
    roots: list[OrgNode] = []
    for person in people:
        boss = nodes.get(person.reports_to_id) if person.reports_to_id else None
        if boss is None:
            roots.append(nodes[person.pk])
        else:
            person.reports_to = boss.person
            boss.reports.append(nodes[person.pk])
    # A circle written around the rules (never through the services) would hide its people:
    # anyone not reached from the top is shown at the top.
    reached: set[int] = set()
    stack = list(roots)
    while stack:
        node = stack.pop()
        reached.add(node.person.pk)
        stack.extend(node.reports)
    for pk, node in nodes.items():
        if pk not in reached:
            roots.append(node)
            reached.add(pk)
            stack = list(node.reports)
            while stack:
                child = stack.pop()
                reached.add(child.person.pk)
                stack.extend(child.reports)
    return OrgChart(account=account, roots=roots, people=people)


# -- Departures ------------------------------------------------------------------------------

KEY_ROLES = (BuyingRole.DECISION_MAKER, BuyingRole.CHAMPION)


@dataclass
class Departure:
    """A person whose position at `account` ended (moved or left), or who joined it from
    another account we know."""

    person: Stakeholder
    position: Position
    account: Account  # the account they left (or, for `joined`, came from)
    on: dt.date
    now_at: Account | None  # where they work now, if it is an account we know
    key_person: bool  # a decision maker or champion: a risk

    @property
    def role_label(self) -> str:
        if self.position.buying_role:
            return str(BuyingRole(self.position.buying_role).label)
        return str(Attitude(self.person.attitude).label) if self.person.attitude else ""


def _is_key(position: Position, person: Stakeholder) -> bool:
    return position.buying_role in KEY_ROLES or person.attitude == Attitude.CHAMPION


def account_departures(*, user: User, account: Account) -> list[Departure]:
    """Who left the account (their last position here ended and they do not work here now),
    the latest first; a decision maker or champion among them is a risk."""
    positions = (
        Position.objects.visible_to(user, "view")
        .filter(account=account, ended_on__isnull=False)
        .exclude(stakeholder__account=account, stakeholder__active=True)
        .select_related("stakeholder", "stakeholder__account")
        .order_by("-ended_on", "-id")
    )
    seen: set[int] = set()
    rows = []
    for position in positions:
        if position.stakeholder_id in seen:
            continue
        seen.add(position.stakeholder_id)
        person = position.stakeholder
        now_at = person.account if person.active and person.account_id != account.pk else None
        rows.append(
            Departure(
                person, position, account, position.ended_on, now_at, _is_key(position, person)
            )
        )
    # only the accounts the reader may see are named
    known = (
        set(
            Account.objects.visible_to(user, "view")
            .filter(pk__in={r.now_at.pk for r in rows if r.now_at})
            .values_list("pk", flat=True)
        )
        if any(r.now_at for r in rows)
        else set()
    )
    for row in rows:
        if row.now_at is not None and row.now_at.pk not in known:
            row.now_at = None
    return rows


def account_arrivals(*, user: User, account: Account) -> list[Departure]:
    """People working here now who came from another account we know: a new door, and the
    account they left shows the loss."""
    positions = (
        Position.objects.visible_to(user, "view")
        .filter(stakeholder__account=account, stakeholder__active=True, ended_on__isnull=False)
        .exclude(account=account)
        .select_related("stakeholder", "account")
        .order_by("-ended_on", "-id")
    )
    seen: set[int] = set()
    rows = []
    for position in positions:
        if position.stakeholder_id in seen:
            continue
        seen.add(position.stakeholder_id)
        rows.append(
            Departure(
                position.stakeholder,
                position,
                position.account,
                position.ended_on,
                account,
                _is_key(position, position.stakeholder),
            )
        )
    return rows

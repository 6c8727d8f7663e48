from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from openkam.accounts.models import Account
from openkam.users.models import User

from .models import Department, Position, Stakeholder


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

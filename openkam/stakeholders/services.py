"""Writes on departments and stakeholders, each recorded in the account's change log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.accounts.models import Account
from openkam.core.changelog import (
    changelog_record,
    creation_changes,
    deletion_changes,
    model_snapshot,
    snapshot_diff,
)
from openkam.core.models import ChangeAction
from openkam.users.models import User

from .models import AssessedField, Department, Position, Stakeholder, StakeholderAssessment

STAKEHOLDER_FIELDS = (
    "name",
    "department",
    "job_title",
    "buying_role",
    "reports_to",
    "relationship_strength",
    "influence",
    "attitude",
    "email",
    "phone",
    "notes",
)
# A change of these opens a new position in the person's history.
POSITION_FIELDS = ("department", "job_title", "buying_role")


def marketing_only(actor: User) -> bool:
    return (
        not actor.is_superuser
        and not actor.has_perm("stakeholders.change_stakeholder")
        and (actor.has_perm("stakeholders.change_stakeholder_marketing"))
    )


def editable_stakeholder_fields(actor: User) -> tuple[str, ...]:
    return Stakeholder.MARKETING_FIELDS if marketing_only(actor) else STAKEHOLDER_FIELDS


def _may_change_account(actor: User, account: Account) -> bool:
    return Account.objects.visible_to(actor, "change").filter(pk=account.pk).exists()


def _ensure_may_write(actor: User, account: Account, permission: str) -> None:
    if not (actor.is_superuser or actor.has_perm(permission)) or not _may_change_account(
        actor, account
    ):
        raise PermissionDenied(
            _("You may not change the people of %(account)s.") % {"account": account}
        )


def _open_position(stakeholder: Stakeholder, on: dt.date) -> Position:
    position = Position(
        stakeholder=stakeholder,
        account=stakeholder.account,
        department=stakeholder.department,
        job_title=stakeholder.job_title,
        buying_role=stakeholder.buying_role,
        started_on=on,
    )
    position.full_clean()
    position.save()
    return position


def _close_current_position(
    stakeholder: Stakeholder, on: dt.date, *, replace_same_day: bool
) -> Position | None:
    """End the open position on `on`. A title changed on the day the position began replaces
    it (`replace_same_day`); a move always keeps it, so the old account stays in the history."""
    current = stakeholder.positions.filter(ended_on__isnull=True).first()
    if current is None:
        return None
    if replace_same_day and current.started_on >= on:
        current.delete()
        return None
    current.ended_on = on
    current.save(update_fields=["ended_on"])
    return current


def _record_assessments(
    stakeholder: Stakeholder, actor: User | None, on: dt.date, fields: set[str]
) -> None:
    """Write the new value of each of `fields` (influence, attitude) into the history."""
    for field in AssessedField.values:
        if field not in fields:
            continue
        value = getattr(stakeholder, field)
        row = StakeholderAssessment(
            stakeholder=stakeholder,
            field=field,
            value="" if value is None else str(value),
            since=on,
            author=actor,
        )
        row.full_clean()
        row.save()


@transaction.atomic
def department_create(*, actor: User, account: Account, kind, name: str = "") -> Department:
    _ensure_may_write(actor, account, "stakeholders.add_department")
    department = Department(account=account, kind=kind, name=name.strip())
    department.full_clean()
    department.save()
    changelog_record(
        actor=actor,
        action=ChangeAction.CREATE,
        instance=department,
        account_id=account.pk,
        changes=creation_changes(department),
    )
    return department


@transaction.atomic
def stakeholder_create(
    *, actor: User, account: Account, data: Mapping[str, Any], on: dt.date | None = None
) -> Stakeholder:
    _ensure_may_write(actor, account, "stakeholders.add_stakeholder")
    stakeholder = Stakeholder(account=account)
    for field, value in data.items():
        if field not in STAKEHOLDER_FIELDS:
            raise ValueError(f"stakeholder field not editable here: {field}")
        setattr(stakeholder, field, value)
    stakeholder.full_clean()
    stakeholder.save()
    on = on or timezone.localdate()
    _open_position(stakeholder, on)
    given = {f for f in AssessedField.values if getattr(stakeholder, f) not in (None, "")}
    _record_assessments(stakeholder, actor, on, given)
    changelog_record(
        actor=actor,
        action=ChangeAction.CREATE,
        instance=stakeholder,
        account_id=account.pk,
        changes=creation_changes(stakeholder),
    )
    return stakeholder


@transaction.atomic
def stakeholder_update(
    *, actor: User, stakeholder: Stakeholder, data: Mapping[str, Any], on: dt.date | None = None
) -> Stakeholder:
    """Change a stakeholder. A new department, title or buying role starts a new position, so
    the person's history shows it."""
    allowed = editable_stakeholder_fields(actor)
    refused = set(data) - set(allowed)
    if refused:
        raise PermissionDenied(
            _("You may change only these fields: %(fields)s.") % {"fields": ", ".join(allowed)}
        )
    stakeholder = Stakeholder.objects.select_for_update().get(pk=stakeholder.pk)
    if not Stakeholder.objects.visible_to(actor, "change").filter(pk=stakeholder.pk).exists():
        raise PermissionDenied(_("You may not change this stakeholder."))
    before = model_snapshot(stakeholder)
    for field, value in data.items():
        setattr(stakeholder, field, value)
    stakeholder.full_clean()
    stakeholder.save()
    changes = snapshot_diff(before, model_snapshot(stakeholder))
    on = on or timezone.localdate()
    if set(changes) & set(POSITION_FIELDS):
        _close_current_position(stakeholder, on, replace_same_day=True)
        _open_position(stakeholder, on)
    _record_assessments(stakeholder, actor, on, set(changes) & set(AssessedField.values))
    changelog_record(
        actor=actor,
        action=ChangeAction.UPDATE,
        instance=stakeholder,
        account_id=stakeholder.account_id,
        changes=changes,
    )
    return stakeholder


@transaction.atomic
def stakeholder_move(
    *,
    actor: User,
    stakeholder: Stakeholder,
    account: Account,
    department: Department | None = None,
    job_title: str = "",
    buying_role: str = "",
    on: dt.date | None = None,
) -> Stakeholder:
    """Record that a person now works at another account (a buyer who joined another chain).

    Their old position is closed, a new one opened; the people who reported to them at the old
    account no longer do. Both accounts' histories show the move. The actor must be allowed to
    change both accounts: nobody moves a person into an account they cannot see.
    """
    on = on or timezone.localdate()
    stakeholder = Stakeholder.objects.select_for_update().get(pk=stakeholder.pk)
    old_account = stakeholder.account
    if old_account.pk == account.pk:
        raise ValidationError({"account": _("The stakeholder already works at this account.")})
    _ensure_may_write(actor, old_account, "stakeholders.move_stakeholder")
    _ensure_may_write(actor, account, "stakeholders.move_stakeholder")
    if department is not None and department.account_id != account.pk:
        raise ValidationError({"department": _("This department belongs to another account.")})
    current = stakeholder.positions.filter(ended_on__isnull=True).first()
    if current is not None and on < current.started_on:
        raise ValidationError(
            {
                "on": _("The move cannot be dated before the current position started (%(date)s).")
                % {"date": current.started_on}
            }
        )
    before = model_snapshot(stakeholder, ["account", "department", "job_title", "buying_role"])
    stakeholder.reports.update(reports_to=None)
    _close_current_position(stakeholder, on, replace_same_day=False)
    stakeholder.account = account
    stakeholder.department = department
    stakeholder.job_title = job_title
    stakeholder.buying_role = buying_role
    stakeholder.reports_to = None
    stakeholder.active = True
    stakeholder.full_clean()
    stakeholder.save()
    _open_position(stakeholder, on)
    changes = snapshot_diff(before, model_snapshot(stakeholder, before.keys()))
    for account_id in (old_account.pk, account.pk):
        changelog_record(
            actor=actor,
            action=ChangeAction.MOVE,
            instance=stakeholder,
            account_id=account_id,
            changes=changes,
        )
    return stakeholder


@transaction.atomic
def stakeholder_set_reports_to(
    *, actor: User, stakeholder: Stakeholder, reports_to: Stakeholder | None
) -> Stakeholder:
    """Change whom the person reports to (the org chart's drag and drop). A manager at
    another account or one that would close a circle is refused with a message."""
    return stakeholder_update(actor=actor, stakeholder=stakeholder, data={"reports_to": reports_to})


@transaction.atomic
def stakeholder_leave(
    *, actor: User, stakeholder: Stakeholder, on: dt.date | None = None
) -> Stakeholder:
    """Record that the person left the account for a place we do not know: their position
    ends, nobody reports to them any more, they show as a departure on the account."""
    on = on or timezone.localdate()
    stakeholder = Stakeholder.objects.select_for_update().get(pk=stakeholder.pk)
    _ensure_may_write(actor, stakeholder.account, "stakeholders.move_stakeholder")
    if not stakeholder.active:
        raise ValidationError(_("%(name)s has already left.") % {"name": stakeholder})
    current = stakeholder.positions.filter(ended_on__isnull=True).first()
    if current is not None and on < current.started_on:
        raise ValidationError(
            {
                "on": _(
                    "The departure cannot be dated before the current position started (%(date)s)."
                )
                % {"date": current.started_on}
            }
        )
    before = model_snapshot(stakeholder, ["active", "reports_to"])
    stakeholder.reports.update(reports_to=None)
    _close_current_position(stakeholder, on, replace_same_day=False)
    stakeholder.active = False
    stakeholder.reports_to = None
    stakeholder.save()
    changelog_record(
        actor=actor,
        action=ChangeAction.UPDATE,
        instance=stakeholder,
        account_id=stakeholder.account_id,
        changes=snapshot_diff(before, model_snapshot(stakeholder, before.keys())),
    )
    return stakeholder


@transaction.atomic
def stakeholder_delete(*, actor: User, stakeholder: Stakeholder) -> None:
    if not Stakeholder.objects.visible_to(actor, "delete").filter(pk=stakeholder.pk).exists():
        raise PermissionDenied(_("You may not delete this stakeholder."))
    changelog_record(
        actor=actor,
        action=ChangeAction.DELETE,
        instance=stakeholder,
        account_id=stakeholder.account_id,
        changes=deletion_changes(stakeholder),
    )
    stakeholder.delete()


@transaction.atomic
def department_for_kind(*, actor: User, account: Account, kind) -> Department:
    """The account's unnamed department of this kind, created on first use."""
    existing = Department.objects.filter(account=account, kind=kind, name="").first()
    return existing or department_create(actor=actor, account=account, kind=kind)

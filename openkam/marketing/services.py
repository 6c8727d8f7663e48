"""Writes of account-based marketing, each recorded in the change log.

Who may (the permissions are in `openkam.users.roles`):
- **target-account lists**: marketing and directors make, change, freeze and delete them;
  everyone reads them, members shown only on accounts the reader sees;
- **programmes**: marketing and directors make and change them — a list's programme takes the
  right to act on every account, an account's the right to change that account;
- **steps and touches**: marketing and directors anywhere, and the account team (the key
  account manager) on the accounts it may change: a step of its account's programme, a touch of
  one of its account's people on any programme it sees. So sales and marketing work on the
  same programme; a list's steps are marketing's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.accounts.models import Account
from openkam.accounts.querysets import account_scope
from openkam.accounts.selectors import account_may
from openkam.core.changelog import (
    changelog_record,
    creation_changes,
    deletion_changes,
    model_snapshot,
    snapshot_diff,
)
from openkam.core.models import ChangeAction
from openkam.stakeholders.models import Stakeholder
from openkam.users.models import User

from .models import (
    ListKind,
    Programme,
    ProgrammeStep,
    TargetList,
    TargetListMember,
    Touch,
)
from .selectors import list_accounts, programme_accounts

LIST_FIELDS = ("name", "description", "tier", "owner", *TargetList.RULE_FIELDS)
PROGRAMME_FIELDS = (
    "name",
    "objectives",
    "account",
    "target_list",
    "marketing_owner",
    "sales_owner",
    "starts_on",
    "ends_on",
)
STEP_FIELDS = ("kind", "title", "on", "notes")
TOUCH_FIELDS = ("kind", "on")
_TEXT_FIELDS = {"description", "objectives", "notes", "rule_abc", "rule_country"}


def holds(actor: User, permission: str) -> bool:
    return actor.is_active and (actor.is_superuser or actor.has_perm(permission))


def acts_on_every_account(actor: User) -> bool:
    return account_scope(actor, "change") == Q()


def may_work_on(actor: User, account: Account | None) -> bool:
    """On an account: the right to change it; on a list (no account): on every account."""
    if account is None:
        return acts_on_every_account(actor)
    return account_may(actor, account, "change")


def may_manage_lists(actor: User, action: str = "add") -> bool:
    return holds(actor, f"marketing.{action}_targetlist")


def may_run_programme(actor: User, account: Account | None, action: str = "add") -> bool:
    return holds(actor, f"marketing.{action}_programme") and may_work_on(actor, account)


def may_edit_steps(actor: User, programme: Programme, action: str = "add") -> bool:
    return holds(actor, f"marketing.{action}_programmestep") and may_work_on(
        actor, programme.account
    )


def may_touch(actor: User, stakeholder: Stakeholder | None = None, action: str = "add") -> bool:
    """Whether `actor` may record touches (of `stakeholder`, when given)."""
    if not holds(actor, f"marketing.{action}_touch"):
        return False
    return stakeholder is None or account_may(actor, stakeholder.account, "change")


def _set(instance, fields: tuple[str, ...], data: Mapping[str, Any]) -> None:
    for name, value in data.items():
        if name not in fields:
            raise ValueError(f"field not editable here: {name}")
        setattr(instance, name, "" if value is None and name in _TEXT_FIELDS else value)


def _log(actor, action, instance, account_id, changes) -> None:
    changelog_record(
        actor=actor, action=action, instance=instance, account_id=account_id, changes=changes
    )


# -- target-account lists --------------------------------------------------------------------


@transaction.atomic
def targetlist_create(
    *,
    actor: User,
    kind: str,
    data: Mapping[str, Any],
    accounts: Iterable[Account] = (),
) -> TargetList:
    if not may_manage_lists(actor):
        raise PermissionDenied(_("You may not make target-account lists."))
    target_list = TargetList(kind=kind)
    _set(target_list, LIST_FIELDS, data)
    target_list.full_clean()
    target_list.save()
    _log(actor, ChangeAction.CREATE, target_list, None, creation_changes(target_list))
    if accounts:
        targetlist_add_accounts(actor=actor, target_list=target_list, accounts=accounts)
    return target_list


@transaction.atomic
def targetlist_update(
    *, actor: User, target_list: TargetList, data: Mapping[str, Any]
) -> TargetList:
    if not may_manage_lists(actor, "change"):
        raise PermissionDenied(_("You may not change target-account lists."))
    before = model_snapshot(target_list)
    _set(target_list, LIST_FIELDS, data)
    target_list.full_clean()
    target_list.save()
    _log(
        actor,
        ChangeAction.UPDATE,
        target_list,
        None,
        snapshot_diff(before, model_snapshot(target_list)),
    )
    return target_list


@transaction.atomic
def targetlist_delete(*, actor: User, target_list: TargetList) -> None:
    if not may_manage_lists(actor, "delete"):
        raise PermissionDenied(_("You may not delete target-account lists."))
    _log(actor, ChangeAction.DELETE, target_list, None, deletion_changes(target_list))
    target_list.delete()


def _static(target_list: TargetList) -> None:
    if target_list.kind != ListKind.STATIC:
        raise ValidationError(
            _("A list by rule chooses its accounts itself: freeze it into a static list first.")
        )


@transaction.atomic
def targetlist_add_accounts(
    *, actor: User, target_list: TargetList, accounts: Iterable[Account]
) -> int:
    """Put accounts the actor may see on a static list; those on it already stay. Returns how
    many were added."""
    if not may_manage_lists(actor, "change"):
        raise PermissionDenied(_("You may not change target-account lists."))
    _static(target_list)
    wanted = {a.pk for a in accounts}
    visible = set(
        Account.objects.visible_to(actor, "view").filter(pk__in=wanted).values_list("pk", flat=True)
    )
    if wanted - visible:
        raise PermissionDenied(_("You may only put accounts you can see on a list."))
    present = set(
        TargetListMember.objects.filter(target_list=target_list, account_id__in=wanted).values_list(
            "account_id", flat=True
        )
    )
    new = sorted(wanted - present)
    TargetListMember.objects.bulk_create(
        [TargetListMember(target_list=target_list, account_id=pk, added_by=actor) for pk in new],
        batch_size=2000,
    )
    if new:
        _log(
            actor,
            ChangeAction.UPDATE,
            target_list,
            None,
            {"accounts": {"old": None, "new": _("%(count)s added") % {"count": len(new)}}},
        )
    return len(new)


@transaction.atomic
def targetlist_remove_account(*, actor: User, target_list: TargetList, account: Account) -> None:
    if not may_manage_lists(actor, "change"):
        raise PermissionDenied(_("You may not change target-account lists."))
    _static(target_list)
    removed, _count = TargetListMember.objects.filter(
        target_list=target_list, account=account
    ).delete()
    if removed:
        _log(
            actor,
            ChangeAction.UPDATE,
            target_list,
            None,
            {"accounts": {"old": str(account), "new": None}},
        )


@transaction.atomic
def targetlist_freeze(*, actor: User, target_list: TargetList, name: str = "") -> TargetList:
    """A static copy of a list by rule: the accounts that match now (and that the actor sees)
    become its members, and stay when the rule's accounts change."""
    if not may_manage_lists(actor):
        raise PermissionDenied(_("You may not make target-account lists."))
    if target_list.kind != ListKind.RULE:
        raise ValidationError(_("Only a list by rule can be frozen: this one is static already."))
    today = timezone.localdate().isoformat()
    frozen = TargetList(
        kind=ListKind.STATIC,
        name=(name or f"{target_list.name} ({today})")[:200],
        description=target_list.description,
        tier=target_list.tier,
        owner=target_list.owner,
        frozen_from=target_list,
    )
    frozen.full_clean()
    frozen.save()
    _log(actor, ChangeAction.CREATE, frozen, None, creation_changes(frozen))
    visible = Account.objects.visible_to(actor, "view").values("pk")
    ids = list_accounts(target_list).filter(pk__in=visible).values_list("pk", flat=True)
    TargetListMember.objects.bulk_create(
        [TargetListMember(target_list=frozen, account_id=pk, added_by=actor) for pk in ids],
        batch_size=2000,
    )
    return frozen


# -- programmes ------------------------------------------------------------------------------


@transaction.atomic
def programme_create(*, actor: User, data: Mapping[str, Any]) -> Programme:
    programme = Programme()
    _set(programme, PROGRAMME_FIELDS, data)
    if not may_run_programme(actor, programme.account):
        raise PermissionDenied(_("You may not start a programme here."))
    programme.full_clean()
    programme.save()
    _log(actor, ChangeAction.CREATE, programme, programme.account_id, creation_changes(programme))
    return programme


@transaction.atomic
def programme_update(*, actor: User, programme: Programme, data: Mapping[str, Any]) -> Programme:
    if not may_run_programme(actor, programme.account, "change"):
        raise PermissionDenied(_("You may not change this programme."))
    before = model_snapshot(programme)
    _set(programme, PROGRAMME_FIELDS, data)
    if not may_run_programme(actor, programme.account, "change"):
        raise PermissionDenied(_("You may not move the programme there."))
    programme.full_clean()
    programme.save()
    changes = snapshot_diff(before, model_snapshot(programme))
    _log(actor, ChangeAction.UPDATE, programme, programme.account_id, changes)
    return programme


@transaction.atomic
def programme_delete(*, actor: User, programme: Programme) -> None:
    if not may_run_programme(actor, programme.account, "delete"):
        raise PermissionDenied(_("You may not delete this programme."))
    _log(actor, ChangeAction.DELETE, programme, programme.account_id, deletion_changes(programme))
    programme.delete()


def _check_step_date(step: ProgrammeStep) -> None:
    programme = step.programme
    if step.on and (
        step.on < programme.starts_on or (programme.ends_on and step.on > programme.ends_on)
    ):
        raise ValidationError({"on": _("A step falls within its programme's dates.")})


@transaction.atomic
def step_create(*, actor: User, programme: Programme, data: Mapping[str, Any]) -> ProgrammeStep:
    if not may_edit_steps(actor, programme):
        raise PermissionDenied(_("You may not add steps to this programme."))
    step = ProgrammeStep(programme=programme)
    _set(step, STEP_FIELDS, data)
    step.full_clean()
    _check_step_date(step)
    step.save()
    _log(actor, ChangeAction.CREATE, step, programme.account_id, creation_changes(step))
    return step


@transaction.atomic
def step_update(*, actor: User, step: ProgrammeStep, data: Mapping[str, Any]) -> ProgrammeStep:
    if not may_edit_steps(actor, step.programme, "change"):
        raise PermissionDenied(_("You may not change this step."))
    before = model_snapshot(step)
    _set(step, STEP_FIELDS, data)
    step.full_clean()
    _check_step_date(step)
    step.save()
    changes = snapshot_diff(before, model_snapshot(step))
    _log(actor, ChangeAction.UPDATE, step, step.programme.account_id, changes)
    return step


@transaction.atomic
def step_delete(*, actor: User, step: ProgrammeStep) -> None:
    if not may_edit_steps(actor, step.programme, "delete"):
        raise PermissionDenied(_("You may not delete this step."))
    _log(actor, ChangeAction.DELETE, step, step.programme.account_id, deletion_changes(step))
    step.delete()


def _check_audience(step: ProgrammeStep, stakeholder: Stakeholder) -> None:
    audience = programme_accounts(step.programme)
    if not audience.filter(pk=stakeholder.account_id).exists():
        raise ValidationError(
            {"stakeholder": _("This person works at none of the programme's accounts.")}
        )


@transaction.atomic
def touch_create(
    *, actor: User, step: ProgrammeStep, stakeholder: Stakeholder, data: Mapping[str, Any]
) -> Touch:
    if not may_touch(actor, stakeholder):
        raise PermissionDenied(
            _("You may not record touches of %(person)s.") % {"person": stakeholder}
        )
    touch = Touch(step=step, stakeholder=stakeholder, author=actor, on=step.on)
    _set(touch, TOUCH_FIELDS, data)
    _check_audience(step, stakeholder)
    touch.full_clean()
    touch.save()
    _log(actor, ChangeAction.CREATE, touch, stakeholder.account_id, creation_changes(touch))
    return touch


@transaction.atomic
def touch_update(*, actor: User, touch: Touch, data: Mapping[str, Any]) -> Touch:
    if not may_touch(actor, touch.stakeholder, "change"):
        raise PermissionDenied(_("You may not change this touch."))
    before = model_snapshot(touch)
    _set(touch, TOUCH_FIELDS, data)
    touch.full_clean()
    touch.save()
    changes = snapshot_diff(before, model_snapshot(touch))
    _log(actor, ChangeAction.UPDATE, touch, touch.stakeholder.account_id, changes)
    return touch


@transaction.atomic
def touch_delete(*, actor: User, touch: Touch) -> None:
    if not may_touch(actor, touch.stakeholder, "delete"):
        raise PermissionDenied(_("You may not delete this touch."))
    _log(actor, ChangeAction.DELETE, touch, touch.stakeholder.account_id, deletion_changes(touch))
    touch.delete()

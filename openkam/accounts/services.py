"""Writes on accounts and account teams. Each one validates, saves, records the change and
re-checks that the actor may still see what they wrote, in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from openkam.core.changelog import (
    changelog_record,
    creation_changes,
    deletion_changes,
    model_snapshot,
    snapshot_diff,
)
from openkam.core.models import ChangeAction
from openkam.users.models import User

from .models import Account, AccountStatus, AccountTeamMember, TeamRole

ACCOUNT_FIELDS = (
    "name",
    "legal_name",
    "external_id",
    "parent",
    "status",
    "country",
    "industry",
    "segment",
    "employees",
    "website",
    "description",
    "history",
    "environment_notes",
    "reporting_currency",
)


def _ensure_still_visible(actor: User, account: Account) -> None:
    if not Account.objects.visible_to(actor, "view").filter(pk=account.pk).exists():
        raise PermissionDenied(
            _("After this change you could no longer see the account; nothing was saved.")
        )


def _ensure_owner_if_key(account: Account) -> None:
    if (
        account.status == AccountStatus.KEY
        and not account.team.filter(role=TeamRole.OWNER).exists()
    ):
        raise ValidationError(
            {"owner": _("A key account needs an owner (its key account manager).")}
        )


def _ensure_key_status_by_nomination(before: str | None, after: str) -> None:
    """Becoming or ceasing to be a key account is a director's decision, kept with its reason
    and date (`keyaccounts.services`); an ordinary edit may do neither."""
    if (before == AccountStatus.KEY) == (after == AccountStatus.KEY):
        return
    if after == AccountStatus.KEY:
        message = _(
            "An account becomes a key account by nomination: save it as active or prospect, "
            "then nominate it from Key accounts › Candidates or its key-account page."
        )
    else:
        message = _(
            "A key account stops being one by de-nomination on its key-account page, which "
            "keeps the reason; then its status can be changed here."
        )
    raise ValidationError({"status": message}, code="key_status_by_nomination")


def _apply(account: Account, data: Mapping[str, Any]) -> None:
    unknown = set(data) - set(ACCOUNT_FIELDS)
    if unknown:
        raise ValueError(f"account fields not editable here: {sorted(unknown)}")
    for field, value in data.items():
        setattr(account, field, value)


def marketing_only(actor: User) -> bool:
    """True when the actor may change only an account's marketing fields."""
    return (
        not actor.is_superuser
        and not actor.has_perm("accounts.change_account")
        and (actor.has_perm("accounts.change_account_marketing"))
    )


def editable_account_fields(actor: User) -> tuple[str, ...]:
    return Account.MARKETING_FIELDS if marketing_only(actor) else ACCOUNT_FIELDS


@transaction.atomic
def account_create(
    *,
    actor: User,
    data: Mapping[str, Any],
    owner: User | None = None,
    nominated: bool = False,
) -> Account:
    """Create an account. A key account manager who creates one becomes its owner, unless
    another owner is named, so that they can see what they created. Only a caller that records
    the nomination decision alongside (the demo's history) passes `nominated` to create a key
    account."""
    if not (actor.is_superuser or actor.has_perm("accounts.add_account")):
        raise PermissionDenied(_("You may not create accounts."))
    account = Account()
    _apply(account, data)
    if not nominated:
        _ensure_key_status_by_nomination(None, account.status)
    account.full_clean()
    account.save()
    changelog_record(
        actor=actor,
        action=ChangeAction.CREATE,
        instance=account,
        account_id=account.pk,
        changes=creation_changes(account),
    )
    if owner is None and not actor.has_perm("accounts.change_all_accounts"):
        owner = actor
    if owner is not None:
        _set_owner(actor=actor, account=account, owner=owner)
    _ensure_owner_if_key(account)
    _ensure_still_visible(actor, account)
    return account


@transaction.atomic
def account_update(
    *,
    actor: User,
    account: Account,
    data: Mapping[str, Any],
    owner: User | None = None,
    set_owner: bool = False,
    nominated: bool = False,
) -> Account:
    """Change an account's fields (and, with `set_owner`, its owner; None removes him).
    Only the nomination services, which record the decision, pass `nominated` to make an
    account key or to end that."""
    allowed = set(editable_account_fields(actor))
    refused = set(data) - allowed
    if refused:
        raise PermissionDenied(
            _("You may change only these fields: %(fields)s.")
            % {"fields": ", ".join(sorted(allowed))}
        )
    if set_owner and marketing_only(actor):
        raise PermissionDenied(_("You may not change the account's owner."))
    if not Account.objects.visible_to(actor, "change").filter(pk=account.pk).exists():
        raise PermissionDenied(_("You may not change this account."))
    account = Account.objects.select_for_update().get(pk=account.pk)
    before = model_snapshot(account)
    previous_status = account.status
    _apply(account, data)
    if not nominated:
        _ensure_key_status_by_nomination(previous_status, account.status)
    account.full_clean()
    account.save()
    changelog_record(
        actor=actor,
        action=ChangeAction.UPDATE,
        instance=account,
        account_id=account.pk,
        changes=snapshot_diff(before, model_snapshot(account)),
    )
    if set_owner:
        _set_owner(actor=actor, account=account, owner=owner)
    _ensure_owner_if_key(account)
    _ensure_still_visible(actor, account)
    return account


@transaction.atomic
def account_delete(*, actor: User, account: Account) -> None:
    if not Account.objects.visible_to(actor, "delete").filter(pk=account.pk).exists():
        raise PermissionDenied(_("You may not delete this account."))
    if account.subsidiaries.exists():
        raise ValidationError(
            _("%(name)s still has subsidiaries; move or delete them first.")
            % {"name": account.name}
        )
    changelog_record(
        actor=actor,
        action=ChangeAction.DELETE,
        instance=account,
        account_id=account.pk,
        changes=deletion_changes(account),
    )
    account.delete()


def _ensure_can_own(user: User) -> None:
    if not (user.is_active and user.has_perm("accounts.change_account")):
        raise ValidationError(
            {
                "owner": _(
                    "%(user)s cannot own accounts: give them the key account manager role first."
                )
                % {"user": user.get_username()}
            }
        )


def _ensure_may_manage_team(actor: User, account: Account, permission: str) -> None:
    may = actor.is_superuser or actor.has_perm(permission)
    if not may or not Account.objects.visible_to(actor, "change").filter(pk=account.pk).exists():
        raise PermissionDenied(
            _("You may not change the team of %(account)s.") % {"account": account}
        )


def _record_team_change(actor: User, member: AccountTeamMember, action: str, changes) -> None:
    changelog_record(
        actor=actor, action=action, instance=member, account_id=member.account_id, changes=changes
    )


def _add_member(
    *, actor: User, account: Account, user: User, role: str, since=None, note: str = ""
) -> AccountTeamMember:
    if role == TeamRole.OWNER:
        _ensure_can_own(user)
    member = AccountTeamMember(account=account, user=user, role=role, since=since, note=note)
    member.full_clean()
    member.save()
    _record_team_change(actor, member, ChangeAction.CREATE, creation_changes(member))
    return member


def _change_role(actor: User, member: AccountTeamMember, role: str) -> None:
    before = model_snapshot(member)
    member.role = role
    member.full_clean()
    member.save(update_fields=["role", "updated_at"])
    _record_team_change(
        actor, member, ChangeAction.UPDATE, snapshot_diff(before, model_snapshot(member))
    )


def _set_owner(*, actor: User, account: Account, owner: User | None) -> None:
    """Make `owner` the only owner; the previous owner stays on the team as support, so the
    account's history keeps who looked after it. Callers check the actor's rights."""
    if owner is not None:
        _ensure_can_own(owner)
    current = account.team.filter(role=TeamRole.OWNER).first()
    if current is not None and owner is not None and current.user_id == owner.pk:
        return
    if current is not None:
        _change_role(actor, current, TeamRole.SUPPORT)
    if owner is None:
        return
    member = account.team.filter(user=owner).first()
    if member is None:
        _add_member(actor=actor, account=account, user=owner, role=TeamRole.OWNER)
    else:
        _change_role(actor, member, TeamRole.OWNER)


@transaction.atomic
def account_team_add(
    *,
    actor: User,
    account: Account,
    user: User,
    role: str,
    since: dt.date | None = None,
    note: str = "",
) -> AccountTeamMember:
    _ensure_may_manage_team(actor, account, "accounts.add_accountteammember")
    member = _add_member(actor=actor, account=account, user=user, role=role, since=since, note=note)
    _ensure_still_visible(actor, account)
    return member


@transaction.atomic
def account_team_remove(*, actor: User, member: AccountTeamMember) -> None:
    account = member.account
    _ensure_may_manage_team(actor, account, "accounts.delete_accountteammember")
    _record_team_change(actor, member, ChangeAction.DELETE, deletion_changes(member))
    member.delete()
    _ensure_owner_if_key(account)
    _ensure_still_visible(actor, account)


@transaction.atomic
def account_set_owner(*, actor: User, account: Account, owner: User | None) -> None:
    """Hand the account to another owner (None: to nobody)."""
    _ensure_may_manage_team(actor, account, "accounts.change_accountteammember")
    _set_owner(actor=actor, account=account, owner=owner)
    _ensure_owner_if_key(account)
    _ensure_still_visible(actor, account)

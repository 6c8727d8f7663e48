"""Writes on loss records (why an account was lost and to whom), each recorded in the account's
change log.

Who may: the account's team and directors (with `losses.add_accountloss` / `change_…` /
`delete_…` on an account they may change); everyone else reads.

A loss cannot be dated in the future (the model says so), nor before the account's first
purchase when the latest metrics snapshot knows it: an account is not lost before it was won.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from openkam.accounts.models import Account
from openkam.accounts.selectors import account_may
from openkam.core import formatting
from openkam.core.changelog import (
    changelog_record,
    creation_changes,
    deletion_changes,
    model_snapshot,
    snapshot_diff,
)
from openkam.core.models import ChangeAction
from openkam.metrics.models import AccountMetrics
from openkam.metrics.selectors import snapshot_for
from openkam.users.models import User

from .models import AccountLoss

LOSS_FIELDS = ("lost_on", "reason", "competitor", "details")


def may_record(actor: User, account: Account, action: str = "add") -> bool:
    """Whether `actor` may add (change, delete) loss records of `account`."""
    holds = actor.is_active and (
        actor.is_superuser or actor.has_perm(f"losses.{action}_accountloss")
    )
    return holds and account_may(actor, account, "change")


def _set_fields(loss: AccountLoss, data: Mapping[str, Any]) -> None:
    for field, value in data.items():
        if field not in LOSS_FIELDS:
            raise ValueError(f"loss field not editable here: {field}")
        setattr(loss, field, "" if value is None and field == "details" else value)


def _validate(loss: AccountLoss) -> None:
    loss.full_clean()
    snapshot = snapshot_for()
    if snapshot is None or not loss.lost_on:
        return
    first = (
        AccountMetrics.objects.filter(snapshot=snapshot, account_id=loss.account_id)
        .values_list("first_purchase", flat=True)
        .first()
    )
    if first is not None and loss.lost_on < first:
        raise ValidationError(
            {
                "lost_on": _(
                    "The account first bought from us on %(day)s: it cannot have been lost "
                    "before that."
                )
                % {"day": formatting.day(first)}
            }
        )


@transaction.atomic
def account_loss_record(*, actor: User, account: Account, data: Mapping[str, Any]) -> AccountLoss:
    """Record that `account` was lost on a day, why and (if known) to which competitor."""
    if not may_record(actor, account):
        raise PermissionDenied(
            _("You may not record losses of %(account)s.") % {"account": account}
        )
    loss = AccountLoss(account=account, recorded_by=actor)
    _set_fields(loss, data)
    _validate(loss)
    loss.save()
    changelog_record(
        actor=actor,
        action=ChangeAction.CREATE,
        instance=loss,
        account_id=account.pk,
        changes=creation_changes(loss),
    )
    return loss


@transaction.atomic
def account_loss_update(*, actor: User, loss: AccountLoss, data: Mapping[str, Any]) -> AccountLoss:
    if not may_record(actor, loss.account, "change"):
        raise PermissionDenied(
            _("You may not change losses of %(account)s.") % {"account": loss.account}
        )
    before = model_snapshot(loss)
    _set_fields(loss, data)
    _validate(loss)
    loss.save()
    changelog_record(
        actor=actor,
        action=ChangeAction.UPDATE,
        instance=loss,
        account_id=loss.account_id,
        changes=snapshot_diff(before, model_snapshot(loss)),
    )
    return loss


@transaction.atomic
def account_loss_delete(*, actor: User, loss: AccountLoss) -> None:
    if not may_record(actor, loss.account, "delete"):
        raise PermissionDenied(
            _("You may not delete losses of %(account)s.") % {"account": loss.account}
        )
    changelog_record(
        actor=actor,
        action=ChangeAction.DELETE,
        instance=loss,
        account_id=loss.account_id,
        changes=deletion_changes(loss),
    )
    loss.delete()

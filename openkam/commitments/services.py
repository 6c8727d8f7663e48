"""Writes on commitments and customer requests, each recorded in the account's change log.

Who may: the account's team (and directors) with `commitments.add_…` / `change_…` /
`delete_…` on an account they may change; marketing and viewers read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.accounts.models import Account
from openkam.accounts.selectors import account_may
from openkam.core.changelog import (
    changelog_record,
    creation_changes,
    deletion_changes,
    model_snapshot,
    snapshot_diff,
)
from openkam.core.models import ChangeAction
from openkam.users.models import User

from .models import Commitment, CommitmentStatus, CustomerRequest

COMMITMENT_FIELDS = (
    "direction",
    "description",
    "owner",
    "their_owner",
    "promised_on",
    "due_on",
    "status",
    "done_on",
    "activity",
    "plan_action",
    "tender",
    "notes",
)
REQUEST_FIELDS = (
    "kind",
    "subject",
    "stakeholder",
    "owner",
    "received_at",
    "first_answered_at",
    "closed_at",
    "details",
)


def may_manage(actor: User, account: Account, action: str = "add", model: str = "commitment"):
    permission = f"commitments.{action}_{model}"
    return (
        actor.is_active
        and (actor.is_superuser or actor.has_perm(permission))
        and account_may(actor, account, "change")
    )


def _set(instance: models.Model, allowed: tuple[str, ...], data: Mapping[str, Any]) -> None:
    for field, value in data.items():
        if field not in allowed:
            raise ValueError(f"field not editable here: {field}")
        setattr(instance, field, value)


def _stamp_cancellation(commitment: Commitment, today: dt.date | None = None) -> None:
    if commitment.status == CommitmentStatus.CANCELLED:
        commitment.cancelled_on = commitment.cancelled_on or today or timezone.localdate()
    else:
        commitment.cancelled_on = None


def _record(actor, action, instance, changes) -> None:
    changelog_record(
        actor=actor,
        action=action,
        instance=instance,
        account_id=instance.account_id,
        changes=changes,
    )


def _refuse(message: str, account: Account) -> PermissionDenied:
    return PermissionDenied(message % {"account": account})


# Commitments ------------------------------------------------------------------------------


@transaction.atomic
def commitment_create(*, actor: User, account: Account, data: Mapping[str, Any]) -> Commitment:
    if not may_manage(actor, account):
        raise _refuse(_("You may not record commitments of %(account)s."), account)
    commitment = Commitment(account=account, author=actor, owner=actor)
    _set(commitment, COMMITMENT_FIELDS, data)
    _stamp_cancellation(commitment)
    commitment.full_clean()
    commitment.save()
    _record(actor, ChangeAction.CREATE, commitment, creation_changes(commitment))
    return commitment


@transaction.atomic
def commitment_update(*, actor: User, commitment: Commitment, data: Mapping[str, Any]):
    if not may_manage(actor, commitment.account, "change"):
        raise _refuse(_("You may not change the commitments of %(account)s."), commitment.account)
    before = model_snapshot(commitment)
    _set(commitment, COMMITMENT_FIELDS, data)
    _stamp_cancellation(commitment)
    commitment.full_clean()
    commitment.save()
    _record(
        actor, ChangeAction.UPDATE, commitment, snapshot_diff(before, model_snapshot(commitment))
    )
    return commitment


def commitment_done(*, actor: User, commitment: Commitment, on: dt.date | None = None):
    """Mark it done (today, or `on`): the one-click button."""
    return commitment_update(
        actor=actor,
        commitment=commitment,
        data={"status": CommitmentStatus.DONE, "done_on": on or timezone.localdate()},
    )


@transaction.atomic
def commitment_delete(*, actor: User, commitment: Commitment) -> None:
    if not may_manage(actor, commitment.account, "delete"):
        raise _refuse(_("You may not delete the commitments of %(account)s."), commitment.account)
    _record(actor, ChangeAction.DELETE, commitment, deletion_changes(commitment))
    commitment.delete()


# Customer requests -------------------------------------------------------------------------


def _may_request(actor: User, account: Account, action: str) -> bool:
    return may_manage(actor, account, action, "customerrequest")


@transaction.atomic
def request_create(*, actor: User, account: Account, data: Mapping[str, Any]) -> CustomerRequest:
    if not _may_request(actor, account, "add"):
        raise _refuse(_("You may not record requests of %(account)s."), account)
    customer_request = CustomerRequest(account=account, author=actor, owner=actor)
    _set(customer_request, REQUEST_FIELDS, data)
    if customer_request.received_at is None:
        customer_request.received_at = timezone.now()
    customer_request.full_clean()
    customer_request.save()
    _record(actor, ChangeAction.CREATE, customer_request, creation_changes(customer_request))
    return customer_request


@transaction.atomic
def request_update(*, actor: User, customer_request: CustomerRequest, data: Mapping[str, Any]):
    if not _may_request(actor, customer_request.account, "change"):
        raise _refuse(
            _("You may not change the requests of %(account)s."), customer_request.account
        )
    before = model_snapshot(customer_request)
    _set(customer_request, REQUEST_FIELDS, data)
    customer_request.full_clean()
    customer_request.save()
    _record(
        actor,
        ChangeAction.UPDATE,
        customer_request,
        snapshot_diff(before, model_snapshot(customer_request)),
    )
    return customer_request


def request_answer(
    *, actor: User, customer_request: CustomerRequest, at: dt.datetime | None = None
):
    """Record the first answer (now, or `at`); an answered request keeps its first answer."""
    if customer_request.first_answered_at is not None:
        return customer_request
    return request_update(
        actor=actor,
        customer_request=customer_request,
        data={"first_answered_at": at or timezone.now()},
    )


def request_close(*, actor: User, customer_request: CustomerRequest, at: dt.datetime | None = None):
    """Close it (now, or `at`); closing an unanswered request answers it at the same time."""
    at = at or timezone.now()
    data: dict[str, Any] = {"closed_at": at}
    if customer_request.first_answered_at is None:
        data["first_answered_at"] = at
    return request_update(actor=actor, customer_request=customer_request, data=data)


@transaction.atomic
def request_delete(*, actor: User, customer_request: CustomerRequest) -> None:
    if not _may_request(actor, customer_request.account, "delete"):
        raise _refuse(
            _("You may not delete the requests of %(account)s."), customer_request.account
        )
    _record(actor, ChangeAction.DELETE, customer_request, deletion_changes(customer_request))
    customer_request.delete()

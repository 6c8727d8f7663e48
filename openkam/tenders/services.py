"""Writes on tenders, each recorded in the account's change log.

Who may: the account's team (and directors) with `tenders.add_tender` / `change_tender` /
`delete_tender` on an account they may change; marketing and viewers read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
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

from .models import Tender

TENDER_FIELDS = (
    "title",
    "category",
    "value",
    "currency",
    "announced_on",
    "submitted_on",
    "decided_on",
    "status",
    "lost_reason",
    "lost_comment",
    "winner",
    "notes",
)


def may_manage(actor: User, account: Account, action: str = "add") -> bool:
    permission = f"tenders.{action}_tender"
    return (
        actor.is_active
        and (actor.is_superuser or actor.has_perm(permission))
        and account_may(actor, account, "change")
    )


def _set_fields(tender: Tender, data: Mapping[str, Any]) -> None:
    for field, value in data.items():
        if field not in TENDER_FIELDS:
            raise ValueError(f"tender field not editable here: {field}")
        setattr(
            tender, field, "" if value is None and field in ("lost_reason", "currency") else value
        )


@transaction.atomic
def tender_create(*, actor: User, account: Account, data: Mapping[str, Any]) -> Tender:
    if not may_manage(actor, account):
        raise PermissionDenied(
            _("You may not record tenders of %(account)s.") % {"account": account}
        )
    tender = Tender(account=account, author=actor, currency=account.reporting_currency or "")
    _set_fields(tender, data)
    if tender.value is None and "currency" not in data:
        tender.currency = ""
    tender.full_clean()
    tender.save()
    changelog_record(
        actor=actor,
        action=ChangeAction.CREATE,
        instance=tender,
        account_id=account.pk,
        changes=creation_changes(tender),
    )
    return tender


@transaction.atomic
def tender_update(*, actor: User, tender: Tender, data: Mapping[str, Any]) -> Tender:
    if not may_manage(actor, tender.account, "change"):
        raise PermissionDenied(
            _("You may not change the tenders of %(account)s.") % {"account": tender.account}
        )
    before = model_snapshot(tender)
    _set_fields(tender, data)
    tender.full_clean()
    tender.save()
    changelog_record(
        actor=actor,
        action=ChangeAction.UPDATE,
        instance=tender,
        account_id=tender.account_id,
        changes=snapshot_diff(before, model_snapshot(tender)),
    )
    return tender


@transaction.atomic
def tender_delete(*, actor: User, tender: Tender) -> None:
    if not may_manage(actor, tender.account, "delete"):
        raise PermissionDenied(
            _("You may not delete the tenders of %(account)s.") % {"account": tender.account}
        )
    changelog_record(
        actor=actor,
        action=ChangeAction.DELETE,
        instance=tender,
        account_id=tender.account_id,
        changes=deletion_changes(tender),
    )
    tender.delete()

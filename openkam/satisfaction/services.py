"""Writes on survey answers, each recorded in the account's change log.

Who may: the account's team and directors (with `satisfaction.add_surveyresponse` /
`change_…` / `delete_…` on an account they may change), and marketing, which runs the surveys,
on every account; viewers read.
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

from .models import Source, SurveyResponse

SURVEY_FIELDS = ("stakeholder", "answered_on", "csat", "nps", "comment")


def holds(actor: User, permission: str) -> bool:
    return actor.is_active and (actor.is_superuser or actor.has_perm(permission))


def may_record(actor: User, account: Account, action: str = "add") -> bool:
    """Whether `actor` may add (change, delete) survey answers of `account`."""
    return holds(actor, f"satisfaction.{action}_surveyresponse") and account_may(
        actor, account, "change"
    )


def _set_fields(response: SurveyResponse, data: Mapping[str, Any]) -> None:
    for field, value in data.items():
        if field not in SURVEY_FIELDS:
            raise ValueError(f"survey field not editable here: {field}")
        setattr(response, field, "" if value is None and field == "comment" else value)


@transaction.atomic
def survey_create(
    *,
    actor: User,
    account: Account,
    data: Mapping[str, Any],
    source_key: str | None = None,
) -> SurveyResponse:
    """Record an answer; `source_key` is the fingerprint of the imported line it comes from
    (see `importer`), which makes it an imported answer."""
    if not may_record(actor, account):
        raise PermissionDenied(
            _("You may not record survey answers of %(account)s.") % {"account": account}
        )
    response = SurveyResponse(
        account=account,
        author=actor,
        source=Source.IMPORTED if source_key else Source.ENTERED,
        source_key=source_key,
    )
    _set_fields(response, data)
    response.full_clean()
    response.save()
    changelog_record(
        actor=actor,
        action=ChangeAction.CREATE,
        instance=response,
        account_id=account.pk,
        changes=creation_changes(response),
    )
    return response


@transaction.atomic
def survey_update(
    *, actor: User, response: SurveyResponse, data: Mapping[str, Any]
) -> SurveyResponse:
    if not may_record(actor, response.account, "change"):
        raise PermissionDenied(
            _("You may not change survey answers of %(account)s.") % {"account": response.account}
        )
    before = model_snapshot(response)
    _set_fields(response, data)
    response.full_clean()
    response.save()
    changelog_record(
        actor=actor,
        action=ChangeAction.UPDATE,
        instance=response,
        account_id=response.account_id,
        changes=snapshot_diff(before, model_snapshot(response)),
    )
    return response


@transaction.atomic
def survey_delete(*, actor: User, response: SurveyResponse) -> None:
    if not may_record(actor, response.account, "delete"):
        raise PermissionDenied(
            _("You may not delete survey answers of %(account)s.") % {"account": response.account}
        )
    changelog_record(
        actor=actor,
        action=ChangeAction.DELETE,
        instance=response,
        account_id=response.account_id,
        changes=deletion_changes(response),
    )
    response.delete()

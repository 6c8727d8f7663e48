"""Writes on negotiation briefs, each recorded in the account's change log. Whoever may change
the account (its team, a director) writes its briefs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
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
from openkam.stakeholders.models import Stakeholder
from openkam.users.models import User

from .models import NegotiationBrief

BRIEF_FIELDS = ("meeting_on", "title", "goals", "questions", "notes")


def may_write(actor: User, account: Account, permission: str) -> bool:
    return (
        actor.is_active
        and (actor.is_superuser or actor.has_perm(permission))
        and account_may(actor, account, "change")
    )


def _ensure_may(actor: User, account: Account, permission: str) -> None:
    if not may_write(actor, account, permission):
        raise PermissionDenied(
            _("You may not write the negotiation briefs of %(account)s.") % {"account": account}
        )


def _set(brief: NegotiationBrief, data: Mapping[str, Any]) -> None:
    for field, value in data.items():
        if field not in BRIEF_FIELDS:
            raise ValueError(f"brief field not editable here: {field}")
        setattr(brief, field, value)


def _people(account: Account, attendees: Iterable[Stakeholder], our_people: Iterable[User]):
    theirs, ours = list(attendees), list(our_people)
    foreign = [s.name for s in theirs if s.account_id != account.pk]
    if foreign:
        raise ValidationError(
            {
                "attendees": _("%(people)s do not work at %(account)s.")
                % {"people": ", ".join(foreign), "account": account}
            }
        )
    if any(not user.is_active for user in ours):
        raise ValidationError({"our_people": _("Only active users can be in the room.")})
    return theirs, ours


def _names(brief: NegotiationBrief) -> dict[str, str]:
    return {
        "attendees": ", ".join(sorted(s.name for s in brief.attendees.all())),
        "our_people": ", ".join(sorted(u.get_username() for u in brief.our_people.all())),
    }


def _people_changes(before: dict[str, str], after: dict[str, str]) -> dict[str, dict[str, Any]]:
    labels = {"attendees": "their people in the room", "our_people": "our people in the room"}
    return {
        name: {"label": labels[name], "old": before[name], "new": after[name]}
        for name in labels
        if before[name] != after[name]
    }


@transaction.atomic
def brief_create(
    *,
    actor: User,
    account: Account,
    data: Mapping[str, Any],
    attendees: Iterable[Stakeholder] = (),
    our_people: Iterable[User] = (),
) -> NegotiationBrief:
    _ensure_may(actor, account, "briefs.add_negotiationbrief")
    theirs, ours = _people(account, attendees, our_people)
    brief = NegotiationBrief(account=account, author=actor)
    _set(brief, data)
    brief.full_clean()
    brief.save()
    brief.attendees.set(theirs)
    brief.our_people.set(ours)
    empty = {"attendees": "", "our_people": ""}
    changelog_record(
        actor=actor,
        instance=brief,
        action=ChangeAction.CREATE,
        account_id=account.pk,
        changes=creation_changes(brief) | _people_changes(empty, _names(brief)),
    )
    return brief


@transaction.atomic
def brief_update(
    *,
    actor: User,
    brief: NegotiationBrief,
    data: Mapping[str, Any],
    attendees: Iterable[Stakeholder] | None = None,
    our_people: Iterable[User] | None = None,
) -> NegotiationBrief:
    _ensure_may(actor, brief.account, "briefs.change_negotiationbrief")
    before, people_before = model_snapshot(brief, BRIEF_FIELDS), _names(brief)
    _set(brief, data)
    brief.full_clean()
    theirs, ours = _people(
        brief.account,
        brief.attendees.all() if attendees is None else attendees,
        brief.our_people.all() if our_people is None else our_people,
    )
    brief.save()
    brief.attendees.set(theirs)
    brief.our_people.set(ours)
    changes = snapshot_diff(before, model_snapshot(brief, BRIEF_FIELDS)) | _people_changes(
        people_before, _names(brief)
    )
    if changes:
        changelog_record(
            actor=actor,
            instance=brief,
            action=ChangeAction.UPDATE,
            account_id=brief.account_id,
            changes=changes,
        )
    return brief


@transaction.atomic
def brief_delete(*, actor: User, brief: NegotiationBrief) -> None:
    _ensure_may(actor, brief.account, "briefs.delete_negotiationbrief")
    changelog_record(
        actor=actor,
        instance=brief,
        action=ChangeAction.DELETE,
        account_id=brief.account_id,
        changes=deletion_changes(brief),
    )
    brief.delete()

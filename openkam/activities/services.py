"""Writes on activities, each recorded in the account's change log.

Who may: logging an activity takes `activities.add_activity` and the right to change the account
(its team, or a director); changing or deleting one is for its author, or for whoever holds
`activities.change_any_activity` (directors, administrators).
"""

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

from .models import Activity

ACTIVITY_FIELDS = (
    "kind",
    "occurred_at",
    "duration_minutes",
    "purpose",
    "subject",
    "notes",
    "outcome",
    "next_step",
    "next_step_due",
)
CHANGE_ANY = "activities.change_any_activity"


def _holds(actor: User, permission: str) -> bool:
    return actor.is_active and (actor.is_superuser or actor.has_perm(permission))


def may_log(actor: User, account: Account) -> bool:
    return _holds(actor, "activities.add_activity") and account_may(actor, account, "change")


def may_edit(actor: User, activity: Activity) -> bool:
    """Its author (while they may still change the account), or a director."""
    if _holds(actor, CHANGE_ANY):
        return account_may(actor, activity.account, "change")
    return (
        activity.author_id == actor.pk
        and _holds(actor, "activities.change_activity")
        and account_may(actor, activity.account, "change")
    )


def _people(
    account: Account, our_people: Iterable[User], their_people: Iterable[Stakeholder]
) -> tuple[list[User], list[Stakeholder]]:
    ours, theirs = list(our_people), list(their_people)
    errors = {}
    if any(not user.is_active for user in ours):
        errors["our_people"] = _("Only active users can have been present.")
    foreign = [str(s) for s in theirs if s.account_id != account.pk]
    if foreign:
        errors["their_people"] = _("%(people)s do not work at %(account)s.") % {
            "people": ", ".join(foreign),
            "account": account,
        }
    if errors:
        raise ValidationError(errors)
    return ours, theirs


def _people_changes(
    before: tuple[set[str], set[str]], after: tuple[set[str], set[str]]
) -> dict[str, dict[str, Any]]:
    changes = {}
    for name, label, old, new in (
        ("our_people", "our people present", *(sorted(x) for x in (before[0], after[0]))),
        ("their_people", "their people present", *(sorted(x) for x in (before[1], after[1]))),
    ):
        if old != new:
            changes[name] = {"label": label, "old": ", ".join(old), "new": ", ".join(new)}
    return changes


def _names(activity: Activity) -> tuple[set[str], set[str]]:
    return (
        {u.get_username() for u in activity.our_people.all()},
        {s.name for s in activity.their_people.all()},
    )


def _set_fields(activity: Activity, data: Mapping[str, Any]) -> None:
    for field, value in data.items():
        if field not in ACTIVITY_FIELDS:
            raise ValueError(f"activity field not editable here: {field}")
        setattr(activity, field, value)


@transaction.atomic
def activity_create(
    *,
    actor: User,
    account: Account,
    data: Mapping[str, Any],
    our_people: Iterable[User] = (),
    their_people: Iterable[Stakeholder] = (),
    source_key: str | None = None,
) -> Activity:
    """Log an activity with the people present on both sides; `source_key` is the fingerprint
    of the imported line it comes from (see `importer`)."""
    if not may_log(actor, account):
        raise PermissionDenied(
            _("You may not log activities of %(account)s.") % {"account": account}
        )
    ours, theirs = _people(account, our_people, their_people)
    activity = Activity(account=account, author=actor, source_key=source_key)
    _set_fields(activity, data)
    activity.full_clean()
    activity.save()
    activity.our_people.set(ours)
    activity.their_people.set(theirs)
    changes = creation_changes(activity) | _people_changes((set(), set()), _names(activity))
    changelog_record(
        actor=actor,
        action=ChangeAction.CREATE,
        instance=activity,
        account_id=account.pk,
        changes=changes,
    )
    return activity


@transaction.atomic
def activity_update(
    *,
    actor: User,
    activity: Activity,
    data: Mapping[str, Any],
    our_people: Iterable[User] | None = None,
    their_people: Iterable[Stakeholder] | None = None,
) -> Activity:
    if not may_edit(actor, activity):
        raise PermissionDenied(_("Only its author or a sales director may change an activity."))
    before, people_before = model_snapshot(activity), _names(activity)
    _set_fields(activity, data)
    activity.full_clean()
    ours, theirs = _people(
        activity.account,
        activity.our_people.all() if our_people is None else our_people,
        activity.their_people.all() if their_people is None else their_people,
    )
    activity.save()
    activity.our_people.set(ours)
    activity.their_people.set(theirs)
    changes = snapshot_diff(before, model_snapshot(activity))
    changes |= _people_changes(people_before, _names(activity))
    changelog_record(
        actor=actor,
        action=ChangeAction.UPDATE,
        instance=activity,
        account_id=activity.account_id,
        changes=changes,
    )
    return activity


@transaction.atomic
def activity_delete(*, actor: User, activity: Activity) -> None:
    if not may_edit(actor, activity) or not _holds(actor, "activities.delete_activity"):
        raise PermissionDenied(_("Only its author or a sales director may delete an activity."))
    changelog_record(
        actor=actor,
        action=ChangeAction.DELETE,
        instance=activity,
        account_id=activity.account_id,
        changes=deletion_changes(activity),
    )
    activity.delete()

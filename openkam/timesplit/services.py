"""Writes on time entries, each recorded in the change log.

Who may: recording time takes `timesplit.add_timeentry` (key account managers, directors,
administrators), for oneself; changing or deleting an entry is for its person, or for whoever
holds `timesplit.change_any_timeentry` (directors, administrators). The entries are personal:
their change-log records are not part of an account's history.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
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

from .models import CHANGE_ANYONE, MAX_WEEK_HOURS, TimeEntry
from .periods import FIRST_DAY, monday

ENTRY_FIELDS = ("week", "purpose", "hours", "account", "note")


def _holds(actor: User, permission: str) -> bool:
    return actor.is_active and (actor.is_superuser or actor.has_perm(permission))


def may_record(actor: User) -> bool:
    return _holds(actor, "timesplit.add_timeentry")


def may_edit(actor: User, entry: TimeEntry, action: str = "change") -> bool:
    """Its person, or a director (both holding the model permission for `action`)."""
    if not _holds(actor, f"timesplit.{action}_timeentry"):
        return False
    return entry.user_id == actor.pk or _holds(actor, CHANGE_ANYONE)


def _set_fields(entry: TimeEntry, data: Mapping[str, Any]) -> None:
    for field, value in data.items():
        if field not in ENTRY_FIELDS:
            raise ValueError(f"time entry field not editable here: {field}")
        setattr(entry, field, value)


def _validate(actor: User, entry: TimeEntry) -> None:
    """The model's rules, then what needs the database: a week that has begun, an account
    both people can see, and no more hours in a week than it has."""
    entry.full_clean()
    errors: dict[str, str] = {}
    if entry.week > monday(timezone.localdate()):
        errors["week"] = _("That week has not begun yet: record time once it is spent.")
    elif entry.week < FIRST_DAY:
        errors["week"] = _("Pick a week from 1900 on.")
    if entry.account_id is not None:
        for person in {actor, entry.user}:
            if not Account.objects.visible_to(person, "view").filter(pk=entry.account_id).exists():
                errors["account"] = _("Pick an account that %(person)s can see.") % {
                    "person": person.get_username()
                }
                break
    others = (
        TimeEntry.objects.filter(user_id=entry.user_id, week=entry.week)
        .exclude(pk=entry.pk)
        .aggregate(total=Sum("hours"))["total"]
    ) or Decimal(0)
    if "hours" not in errors and others + entry.hours > MAX_WEEK_HOURS:
        errors["hours"] = _(
            "That week would hold %(total)s hours of entries; a week has only 168."
        ) % {"total": others + entry.hours}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def time_entry_create(*, actor: User, data: Mapping[str, Any]) -> TimeEntry:
    """Record some of the actor's own time of a week."""
    if not may_record(actor):
        raise PermissionDenied(_("You may not record time."))
    entry = TimeEntry(user=actor)
    _set_fields(entry, data)
    _validate(actor, entry)
    entry.save()
    changelog_record(
        actor=actor,
        action=ChangeAction.CREATE,
        instance=entry,
        account_id=None,
        changes=creation_changes(entry),
    )
    return entry


@transaction.atomic
def time_entry_update(*, actor: User, entry: TimeEntry, data: Mapping[str, Any]) -> TimeEntry:
    if not may_edit(actor, entry):
        raise PermissionDenied(_("Only its person or a sales director may change a time entry."))
    before = model_snapshot(entry)
    _set_fields(entry, data)
    _validate(actor, entry)
    entry.save()
    changelog_record(
        actor=actor,
        action=ChangeAction.UPDATE,
        instance=entry,
        account_id=None,
        changes=snapshot_diff(before, model_snapshot(entry)),
    )
    return entry


@transaction.atomic
def time_entry_delete(*, actor: User, entry: TimeEntry) -> None:
    if not may_edit(actor, entry, "delete"):
        raise PermissionDenied(_("Only its person or a sales director may delete a time entry."))
    changelog_record(
        actor=actor,
        action=ChangeAction.DELETE,
        instance=entry,
        account_id=None,
        changes=deletion_changes(entry),
    )
    entry.delete()

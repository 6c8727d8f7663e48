"""Recording changes: snapshots of a model's fields and the difference between two of them.

Services call `changelog_record` inside their transaction, so a change and its record are
committed together or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import translation
from django.utils.translation import gettext, pgettext

from .models import ChangeAction, ChangeLogEntry

Snapshot = dict[str, dict[str, Any]]

# Bookkeeping columns that change on every save and tell a reader nothing.
_SKIPPED_FIELDS = {"id", "created_at", "updated_at"}


def _display(instance: models.Model, field: models.Field) -> Any:
    value = field.value_from_object(instance)
    if value in (None, ""):
        return None
    if field.is_relation:
        related = getattr(instance, field.name)
        return str(related) if related is not None else None
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if hasattr(value, "name") and field.get_internal_type() == "CharField":
        return str(value.name)  # django-countries' Country
    if isinstance(value, dt.date | dt.datetime | Decimal):
        return str(value)
    return value if isinstance(value, bool | int | float) else str(value)


def model_snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> Snapshot:
    """The displayable value and label of each concrete field of `instance`.

    Recorded untranslated, whoever made the change: labels, choice labels and country names
    are then catalogue messages that `readable_changes` shows in the reader's language.
    """
    wanted = set(fields) if fields is not None else None
    snapshot: Snapshot = {}
    with translation.override(None):
        for field in instance._meta.concrete_fields:
            if field.name in _SKIPPED_FIELDS or (wanted is not None and field.name not in wanted):
                continue
            snapshot[field.name] = {
                "label": str(field.verbose_name),
                "value": _display(instance, field),
            }
    return snapshot


def snapshot_diff(before: Snapshot, after: Snapshot) -> dict[str, dict[str, Any]]:
    """Fields whose value differs, as {field: {"label", "old", "new"}}."""
    changes = {}
    for name in after.keys() | before.keys():
        old = before.get(name, {}).get("value")
        new = after.get(name, {}).get("value")
        if old != new:
            label = (after.get(name) or before.get(name))["label"]
            changes[name] = {"label": label, "old": old, "new": new}
    return dict(sorted(changes.items()))


def changelog_record(
    *,
    actor: Any,
    action: str,
    instance: models.Model,
    account_id: int | None,
    changes: dict[str, dict[str, Any]] | None = None,
) -> ChangeLogEntry | None:
    """Write one change-log entry. An update that changed nothing writes nothing."""
    if action == ChangeAction.UPDATE and not changes:
        return None
    user = actor if getattr(actor, "is_authenticated", False) else None
    return ChangeLogEntry.objects.create(
        user=user,
        username=user.get_username() if user else "",
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=instance.pk,
        object_repr=str(instance)[:250],
        account_id=account_id,
        changes=changes or {},
    )


def creation_changes(instance: models.Model) -> dict[str, dict[str, Any]]:
    """The filled-in fields of a new object, recorded as changes from nothing."""
    return snapshot_diff({}, model_snapshot(instance))


def deletion_changes(instance: models.Model) -> dict[str, dict[str, Any]]:
    return snapshot_diff(model_snapshot(instance), {})


def _readable(value: Any) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return (
            pgettext("a recorded yes/no value", "yes")
            if value
            else pgettext("a recorded yes/no value", "no")
        )
    # A choice label or a country name was recorded as its English message: translate it.
    # Anything else (a name, a number) is not a message and comes back as it is.
    return gettext(value) if isinstance(value, str) else str(value)


def readable_changes(entry: ChangeLogEntry) -> list[tuple[str, str, str]]:
    """(label, old, new) of each recorded change, in the reader's language."""
    model = entry.content_type.model_class()
    rows = []
    for name, change in entry.changes.items():
        try:
            label = str(model._meta.get_field(name).verbose_name) if model else None
        except FieldDoesNotExist:
            label = None
        label = label or gettext(change.get("label") or name)
        rows.append((label, _readable(change.get("old")), _readable(change.get("new"))))
    return rows

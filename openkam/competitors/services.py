"""Writes on competitors, each recorded in the change log.

The register is shared: administrators, directors and key account managers add and change
competitors (`competitors.add_competitor` / `change_competitor`); deleting one that is present
somewhere is refused. Recording a competitor at an account takes
`competitors.add_accountcompetitor` and the right to change the account; every change of the
estimates (share of wallet, threat, last seen, took the account) is kept as an observation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from openkam.accounts.models import Account
from openkam.accounts.selectors import account_may
from openkam.catalog.models import ProductCategory
from openkam.core.changelog import (
    changelog_record,
    creation_changes,
    deletion_changes,
    model_snapshot,
    snapshot_diff,
)
from openkam.core.models import ChangeAction
from openkam.users.models import User

from .models import TRACKED_FIELDS, AccountCompetitor, AccountCompetitorObservation, Competitor

COMPETITOR_FIELDS = ("name", "website", "strengths", "notes")
PRESENCE_FIELDS = (
    "competitor",
    "share_of_wallet",
    "threat_level",
    "last_seen",
    "won_account_on",
    "notes",
)


def _holds(actor: User, permission: str) -> bool:
    return actor.is_active and (actor.is_superuser or actor.has_perm(permission))


def may_edit_register(actor: User) -> bool:
    return _holds(actor, "competitors.change_competitor")


def may_record(actor: User, account: Account, action: str = "add") -> bool:
    return _holds(actor, f"competitors.{action}_accountcompetitor") and account_may(
        actor, account, "change"
    )


def _set(instance, data: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    for field, value in data.items():
        if field not in allowed:
            raise ValueError(f"field not editable here: {field}")
        setattr(instance, field, value)


@transaction.atomic
def competitor_create(*, actor: User, data: Mapping[str, Any]) -> Competitor:
    if not _holds(actor, "competitors.add_competitor"):
        raise PermissionDenied(_("You may not add competitors to the register."))
    competitor = Competitor()
    _set(competitor, data, COMPETITOR_FIELDS)
    competitor.full_clean()
    competitor.save()
    changelog_record(
        actor=actor,
        action=ChangeAction.CREATE,
        instance=competitor,
        account_id=None,
        changes=creation_changes(competitor),
    )
    return competitor


@transaction.atomic
def competitor_update(
    *, actor: User, competitor: Competitor, data: Mapping[str, Any]
) -> Competitor:
    if not may_edit_register(actor):
        raise PermissionDenied(_("You may not change the register of competitors."))
    before = model_snapshot(competitor)
    _set(competitor, data, COMPETITOR_FIELDS)
    competitor.full_clean()
    competitor.save()
    changelog_record(
        actor=actor,
        action=ChangeAction.UPDATE,
        instance=competitor,
        account_id=None,
        changes=snapshot_diff(before, model_snapshot(competitor)),
    )
    return competitor


@transaction.atomic
def competitor_delete(*, actor: User, competitor: Competitor) -> None:
    if not _holds(actor, "competitors.delete_competitor"):
        raise PermissionDenied(_("You may not delete competitors from the register."))
    if competitor.presences.exists():
        raise ValidationError(
            _("%(name)s is recorded at accounts: remove it there first.") % {"name": competitor}
        )
    if competitor.tenders_won.exists():
        raise ValidationError(
            _("%(name)s won tenders that refer to it: it stays in the register.")
            % {"name": competitor}
        )
    changelog_record(
        actor=actor,
        action=ChangeAction.DELETE,
        instance=competitor,
        account_id=None,
        changes=deletion_changes(competitor),
    )
    competitor.delete()


def _categories_changes(old: list[str], new: list[str]) -> dict[str, dict[str, Any]]:
    old, new = sorted(old), sorted(new)
    if old == new:
        return {}
    return {
        "categories": {
            "label": "categories they sell there",
            "old": ", ".join(old) or None,
            "new": ", ".join(new) or None,
        }
    }


def _observe(actor: User, presence: AccountCompetitor) -> AccountCompetitorObservation:
    return AccountCompetitorObservation.objects.create(
        presence=presence,
        recorded_by=actor if actor.is_authenticated else None,
        **{field: getattr(presence, field) for field in TRACKED_FIELDS},
    )


@transaction.atomic
def account_competitor_create(
    *,
    actor: User,
    account: Account,
    data: Mapping[str, Any],
    categories: Iterable[ProductCategory] = (),
) -> AccountCompetitor:
    """Record that a competitor is present at the account (its first observation too)."""
    if not may_record(actor, account):
        raise PermissionDenied(
            _("You may not record competitors at %(account)s.") % {"account": account}
        )
    presence = AccountCompetitor(account=account)
    _set(presence, data, PRESENCE_FIELDS)
    presence.full_clean()
    presence.save()
    presence.categories.set(list(categories))
    _observe(actor, presence)
    changes = creation_changes(presence) | _categories_changes(
        [], [c.name for c in presence.categories.all()]
    )
    changelog_record(
        actor=actor,
        action=ChangeAction.CREATE,
        instance=presence,
        account_id=account.pk,
        changes=changes,
    )
    return presence


@transaction.atomic
def account_competitor_update(
    *,
    actor: User,
    presence: AccountCompetitor,
    data: Mapping[str, Any],
    categories: Iterable[ProductCategory] | None = None,
) -> AccountCompetitor:
    """Change what we know; a change of the estimates adds an observation to the history."""
    if not may_record(actor, presence.account, "change"):
        raise PermissionDenied(
            _("You may not change the competitors of %(account)s.") % {"account": presence.account}
        )
    if "competitor" in data and data["competitor"] != presence.competitor:
        raise ValidationError(
            {"competitor": _("Record the other competitor apart; this one stays who it is.")}
        )
    before = model_snapshot(presence)
    tracked_before = [getattr(presence, f) for f in TRACKED_FIELDS]
    names_before = [c.name for c in presence.categories.all()]
    _set(presence, data, PRESENCE_FIELDS)
    presence.full_clean()
    presence.save()
    if categories is not None:
        presence.categories.set(list(categories))
    if [getattr(presence, f) for f in TRACKED_FIELDS] != tracked_before:
        _observe(actor, presence)
    changes = snapshot_diff(before, model_snapshot(presence)) | _categories_changes(
        names_before, [c.name for c in presence.categories.all()]
    )
    changelog_record(
        actor=actor,
        action=ChangeAction.UPDATE,
        instance=presence,
        account_id=presence.account_id,
        changes=changes,
    )
    return presence


@transaction.atomic
def account_competitor_delete(*, actor: User, presence: AccountCompetitor) -> None:
    if not may_record(actor, presence.account, "delete"):
        raise PermissionDenied(
            _("You may not change the competitors of %(account)s.") % {"account": presence.account}
        )
    changelog_record(
        actor=actor,
        action=ChangeAction.DELETE,
        instance=presence,
        account_id=presence.account_id,
        changes=deletion_changes(presence),
    )
    presence.delete()


def account_lost_to(
    *, actor: User, account: Account, competitor: Competitor, on: Any
) -> AccountCompetitor:
    """Record that `competitor` took the account on the date `on` (creating its presence if
    it was not known there yet): what an import of lost accounts calls."""
    presence = AccountCompetitor.objects.filter(account=account, competitor=competitor).first()
    if presence is None:
        return account_competitor_create(
            actor=actor,
            account=account,
            data={
                "competitor": competitor,
                "won_account_on": on,
                "threat_level": 5,
                "last_seen": on,
            },
        )
    return account_competitor_update(
        actor=actor, presence=presence, data={"won_account_on": on, "threat_level": 5}
    )

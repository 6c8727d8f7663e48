"""Writes on the dossier and the portrait, each validated and recorded in the account's
change log in one transaction.

Who may: the account team (and directors) edit the general dossier, the key figures and the
portrait of accounts they may change; marketing (`dossier.change_portrait`) edits the portrait,
and only the portrait, of every account it can see.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
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

from .models import PORTRAIT_PERMISSION, AccountProfile, Area, KeyFigure, PortraitSection

PROFILE_FIELDS = ("organisation_notes", "sites", "sites_notes")
KEY_FIGURE_FIELDS = ("year", "turnover", "currency", "employees", "source")
SECTION_FIELDS = ("text", "source", "reviewed_on")


def _holds(actor: User, permission: str) -> bool:
    return bool(
        actor
        and actor.is_authenticated
        and actor.is_active
        and (actor.is_superuser or actor.has_perm(permission))
    )


def may_edit_profile(actor: User, account: Account) -> bool:
    return _holds(actor, "dossier.change_accountprofile") and account_may(actor, account, "change")


def may_edit_key_figures(actor: User, account: Account) -> bool:
    return _holds(actor, "dossier.change_keyfigure") and account_may(actor, account, "change")


def may_edit_portrait(actor: User, account: Account) -> bool:
    """The account team and directors on accounts they may change; marketing everywhere."""
    if _holds(actor, "dossier.change_portraitsection") and account_may(actor, account, "change"):
        return True
    return _holds(actor, PORTRAIT_PERMISSION) and account_may(actor, account, "view")


def _check_fields(data: Mapping[str, Any], allowed: tuple[str, ...], what: str) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"{what} fields not editable here: {sorted(unknown)}")


def _save(actor: User, instance, before, account_id: int) -> None:
    if isinstance(instance, KeyFigure):
        instance.currency = (instance.currency or "").strip().upper()
    instance.full_clean()
    instance.save()
    if before is None:
        action, changes = ChangeAction.CREATE, creation_changes(instance)
    else:
        action, changes = ChangeAction.UPDATE, snapshot_diff(before, model_snapshot(instance))
    changelog_record(
        actor=actor, action=action, instance=instance, account_id=account_id, changes=changes
    )


# -- General ---------------------------------------------------------------------------------


@transaction.atomic
def account_profile_update(
    *, actor: User, account: Account, data: Mapping[str, Any]
) -> AccountProfile:
    """Set the general dossier fields (organisation structure, stores/sites)."""
    if not may_edit_profile(actor, account):
        raise PermissionDenied(
            _("You may not change the dossier of %(account)s.") % {"account": account}
        )
    _check_fields(data, PROFILE_FIELDS, "profile")
    profile = AccountProfile.objects.select_for_update().filter(account=account).first()
    before = model_snapshot(profile) if profile else None
    profile = profile or AccountProfile(account=account)
    for field, value in data.items():
        setattr(profile, field, value)
    _save(actor, profile, before, account.pk)
    return profile


# -- Key figures -----------------------------------------------------------------------------


@transaction.atomic
def key_figure_create(*, actor: User, account: Account, data: Mapping[str, Any]) -> KeyFigure:
    if not (_holds(actor, "dossier.add_keyfigure") and may_edit_key_figures(actor, account)):
        raise PermissionDenied(
            _("You may not record key figures of %(account)s.") % {"account": account}
        )
    _check_fields(data, KEY_FIGURE_FIELDS, "key figure")
    figure = KeyFigure(account=account, **data)
    _save(actor, figure, None, account.pk)
    return figure


@transaction.atomic
def key_figure_update(*, actor: User, figure: KeyFigure, data: Mapping[str, Any]) -> KeyFigure:
    if not may_edit_key_figures(actor, figure.account):
        raise PermissionDenied(_("You may not change these key figures."))
    _check_fields(data, KEY_FIGURE_FIELDS, "key figure")
    figure = KeyFigure.objects.select_for_update().get(pk=figure.pk)
    before = model_snapshot(figure)
    for field, value in data.items():
        setattr(figure, field, value)
    _save(actor, figure, before, figure.account_id)
    return figure


@transaction.atomic
def key_figure_delete(*, actor: User, figure: KeyFigure) -> None:
    if not (
        _holds(actor, "dossier.delete_keyfigure") and may_edit_key_figures(actor, figure.account)
    ):
        raise PermissionDenied(_("You may not delete these key figures."))
    changelog_record(
        actor=actor,
        action=ChangeAction.DELETE,
        instance=figure,
        account_id=figure.account_id,
        changes=deletion_changes(figure),
    )
    figure.delete()


# -- Portrait --------------------------------------------------------------------------------


@transaction.atomic
def portrait_section_save(
    *, actor: User, account: Account, area: str, data: Mapping[str, Any]
) -> PortraitSection:
    """Write one section of the portrait (created the first time). Saving text without a
    review date records today as the review: whoever writes it has just checked it."""
    if not may_edit_portrait(actor, account):
        raise PermissionDenied(
            _("You may not change the portrait of %(account)s.") % {"account": account}
        )
    if area not in Area.values:
        raise ValueError(f"unknown portrait area: {area}")
    _check_fields(data, SECTION_FIELDS, "portrait section")
    section = PortraitSection.objects.select_for_update().filter(account=account, area=area).first()
    before = model_snapshot(section) if section else None
    section = section or PortraitSection(account=account, area=area)
    for field, value in data.items():
        setattr(section, field, value)
    section.text = (section.text or "").strip()
    if section.text and "reviewed_on" not in data:
        section.reviewed_on = timezone.localdate()
    if not section.text and "reviewed_on" not in data:
        section.reviewed_on = None
    _save(actor, section, before, account.pk)
    return section


@transaction.atomic
def portrait_section_review(*, actor: User, account: Account, area: str) -> PortraitSection:
    """Confirm a section is still true today without changing its text."""
    return portrait_section_save(
        actor=actor, account=account, area=area, data={"reviewed_on": timezone.localdate()}
    )

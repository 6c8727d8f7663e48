"""Keep the stored coverage gaps up to date: whatever changes an account's departments,
people or contacts recomputes that account's gaps (a handful of queries)."""

from __future__ import annotations

import threading

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from openkam.accounts.models import Account
from openkam.activities.models import Activity

from . import coverage
from .models import CoverageGap, Department, Stakeholder


class _Deleting(threading.local):
    """The accounts being deleted: their departments and people go first, in the same
    cascade, and must not write gaps for an account about to disappear."""

    def __init__(self) -> None:
        self.accounts: set[int] = set()


_deleting = _Deleting()


def account_changed(account_ids) -> None:
    coverage.account_changed(pk for pk in account_ids if pk not in _deleting.accounts)


def _account_deleting(sender, instance: Account, **kwargs) -> None:
    _deleting.accounts.add(instance.pk)


def _account_deleted(sender, instance: Account, **kwargs) -> None:
    _deleting.accounts.discard(instance.pk)


def _account_saved(sender, instance: Account, created: bool, **kwargs) -> None:
    if created:
        account_changed([instance.pk])


def _department_changed(sender, instance: Department, **kwargs) -> None:
    account_changed([instance.account_id])


def _stakeholder_changed(sender, instance: Stakeholder, **kwargs) -> None:
    # a person who moved leaves gaps (a watch, a weak decision maker) at the old account too
    before = CoverageGap.objects.filter(stakeholder_id=instance.pk).values_list(
        "account_id", flat=True
    )
    account_changed([instance.account_id, *before])


def _activity_accounts(activity: Activity) -> set[int]:
    people = Activity.their_people.through.objects.filter(activity_id=activity.pk)
    return set(people.values_list("stakeholder__account_id", flat=True))


def _activity_saved(sender, instance: Activity, **kwargs) -> None:
    account_changed(_activity_accounts(instance))


def _activity_deleting(sender, instance: Activity, **kwargs) -> None:
    instance._coverage_accounts = _activity_accounts(instance)  # gone once it is deleted


def _activity_deleted(sender, instance: Activity, **kwargs) -> None:
    account_changed(getattr(instance, "_coverage_accounts", ()))


def _people_changed(sender, instance, action: str, pk_set, model, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if isinstance(instance, Activity):
        accounts = _activity_accounts(instance)
        if model is Stakeholder and pk_set:  # removed people's accounts too
            accounts |= set(
                Stakeholder.objects.filter(pk__in=pk_set).values_list("account_id", flat=True)
            )
        account_changed(accounts)
    elif isinstance(instance, Stakeholder):
        account_changed([instance.account_id])


def connect() -> None:
    uid = "openkam-coverage-gaps"
    post_save.connect(_account_saved, sender=Account, dispatch_uid=f"{uid}-account")
    pre_delete.connect(_account_deleting, sender=Account, dispatch_uid=f"{uid}-account-pre")
    post_delete.connect(_account_deleted, sender=Account, dispatch_uid=f"{uid}-account-del")
    for signal in (post_save, post_delete):
        signal.connect(_department_changed, sender=Department, dispatch_uid=f"{uid}-department")
        signal.connect(_stakeholder_changed, sender=Stakeholder, dispatch_uid=f"{uid}-person")
    post_save.connect(_activity_saved, sender=Activity, dispatch_uid=f"{uid}-activity")
    pre_delete.connect(_activity_deleting, sender=Activity, dispatch_uid=f"{uid}-activity-pre")
    post_delete.connect(_activity_deleted, sender=Activity, dispatch_uid=f"{uid}-activity-del")
    for through in (Activity.their_people.through, Activity.our_people.through):
        m2m_changed.connect(_people_changed, sender=through, dispatch_uid=f"{uid}-{through}")

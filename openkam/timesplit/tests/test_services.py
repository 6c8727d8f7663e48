"""Recording, changing and deleting time entries: validation, who may, the change log."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from openkam.core.models import ChangeLogEntry
from openkam.timesplit import services
from openkam.timesplit.models import TimeEntry
from openkam.timesplit.periods import monday

from .conftest import MONDAY

pytestmark = pytest.mark.django_db


def _data(**extra):
    return {"week": MONDAY, "purpose": "new_business", "hours": Decimal("6.5"), **extra}


def _log(entry, action: str):
    kind = ContentType.objects.get_for_model(TimeEntry)
    return ChangeLogEntry.objects.filter(content_type=kind, object_id=entry.pk, action=action)


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


def test_create_records_own_time_and_the_change_log(users, world):
    kam1 = users["kam1"]
    entry = services.time_entry_create(actor=kam1, data=_data(account=world["own"], note="Prep"))
    assert (entry.user, entry.hours, entry.account) == (kam1, Decimal("6.5"), world["own"])
    log = _log(entry, "create").get()
    assert log.user == kam1 and log.changes["hours"]["new"] == "6.5"
    assert log.account_id is None  # personal: not in the account's history


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"hours": Decimal(0)}, "hours", "Enter more than 0 hours."),
        ({"hours": Decimal("-2")}, "hours", "Enter more than 0 hours."),
        ({"hours": Decimal("80.25")}, "hours", "at most 80 hours"),
        ({"week": MONDAY + dt.timedelta(days=2)}, "week", "Give the Monday of the week."),
        ({"purpose": "golf"}, "purpose", "not a valid choice"),
    ],
)
def test_invalid_entries_are_refused_with_clear_messages(users, change, field, message):
    with pytest.raises(ValidationError) as excinfo:
        services.time_entry_create(actor=users["kam1"], data=_data(**change))
    assert message in " ".join(_errors(excinfo)[field])
    assert not TimeEntry.objects.exists()


def test_eighty_hours_is_the_most_an_entry_holds(users):
    entry = services.time_entry_create(actor=users["kam1"], data=_data(hours=Decimal(80)))
    assert entry.hours == 80


def test_a_week_to_come_is_refused(users):
    next_week = monday(timezone.localdate()) + dt.timedelta(days=7)
    with pytest.raises(ValidationError) as excinfo:
        services.time_entry_create(actor=users["kam1"], data=_data(week=next_week))
    assert "not begun" in _errors(excinfo)["week"][0]
    this_week = monday(timezone.localdate())
    assert services.time_entry_create(actor=users["kam1"], data=_data(week=this_week))


def test_the_account_must_be_one_the_person_sees(users, world):
    with pytest.raises(ValidationError) as excinfo:
        services.time_entry_create(actor=users["kam1"], data=_data(account=world["foreign"]))
    assert "can see" in _errors(excinfo)["account"][0]
    entry = services.time_entry_create(actor=users["kam1"], data=_data(account=world["own"]))
    # a director moving kam1's entry to an account kam1 cannot see: refused too
    with pytest.raises(ValidationError):
        services.time_entry_update(
            actor=users["director"], entry=entry, data={"account": world["foreign"]}
        )


def test_a_week_holds_at_most_168_hours(users):
    for _i in range(2):
        services.time_entry_create(actor=users["kam1"], data=_data(hours=Decimal(80)))
    with pytest.raises(ValidationError) as excinfo:
        services.time_entry_create(actor=users["kam1"], data=_data(hours=Decimal(9)))
    assert "168" in _errors(excinfo)["hours"][0]


def test_only_those_who_record_time_may(users):
    for name in ("marketing", "viewer"):
        with pytest.raises(PermissionDenied):
            services.time_entry_create(actor=users[name], data=_data())


def test_its_person_or_a_director_changes_and_deletes_it(users):
    entry = services.time_entry_create(actor=users["kam1"], data=_data())
    for name in ("kam2", "marketing", "viewer"):
        with pytest.raises(PermissionDenied):
            services.time_entry_update(actor=users[name], entry=entry, data={"note": "x"})
        with pytest.raises(PermissionDenied):
            services.time_entry_delete(actor=users[name], entry=entry)
    services.time_entry_update(actor=users["kam1"], entry=entry, data={"hours": Decimal(3)})
    services.time_entry_update(actor=users["director"], entry=entry, data={"note": "Checked"})
    entry.refresh_from_db()
    assert (entry.hours, entry.note) == (Decimal(3), "Checked")
    updates = _log(entry, "update")
    assert [u.username for u in updates.order_by("id")] == ["kam1", "director"]
    pk = entry.pk
    services.time_entry_delete(actor=users["director"], entry=entry)
    assert not TimeEntry.objects.exists()
    entry.pk = pk
    assert _log(entry, "delete").exists()


def test_an_update_that_changes_nothing_writes_no_log(users):
    entry = services.time_entry_create(actor=users["kam1"], data=_data())
    services.time_entry_update(actor=users["kam1"], entry=entry, data={"note": ""})
    assert not _log(entry, "update").exists()


def test_the_database_refuses_hours_out_of_range(users):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        TimeEntry.objects.create(user=users["kam1"], week=MONDAY, hours=Decimal(0))
    with pytest.raises(IntegrityError), transaction.atomic():
        TimeEntry.objects.create(user=users["kam1"], week=MONDAY, hours=Decimal(81))


def test_visible_to(users):
    mine = services.time_entry_create(actor=users["kam1"], data=_data())
    theirs = services.time_entry_create(actor=users["kam2"], data=_data())
    seen = {name: set(TimeEntry.objects.visible_to(users[name])) for name in users}
    assert seen["kam1"] == {mine} and seen["kam2"] == {theirs}
    assert seen["director"] == seen["admin"] == {mine, theirs}
    assert seen["marketing"] == seen["viewer"] == set()
    assert set(TimeEntry.objects.visible_to(users["kam1"], "change")) == {mine}
    assert set(TimeEntry.objects.visible_to(users["viewer"], "change")) == set()

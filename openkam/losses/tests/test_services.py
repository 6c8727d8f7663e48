import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from openkam.core.models import ChangeLogEntry
from openkam.losses.models import AccountLoss
from openkam.losses.services import (
    account_loss_delete,
    account_loss_record,
    account_loss_update,
    may_record,
)

pytestmark = pytest.mark.django_db


def _data(**extra):
    return {"lost_on": dt.date(2026, 5, 1), "reason": "price", "competitor": None, **extra}


def test_the_team_records_a_loss_with_the_change_log(users, world, rivals):
    loss = account_loss_record(
        actor=users["kam1"],
        account=world["own"],
        data=_data(competitor=rivals["a"], details="  Cheaper by 8 %  "),
    )
    assert loss.recorded_by == users["kam1"]
    assert loss.details == "Cheaper by 8 %"
    entry = ChangeLogEntry.objects.get(
        account_id=world["own"].pk, object_id=loss.pk, content_type__model="accountloss"
    )
    assert entry.action == "create"


def test_update_and_delete_are_logged(users, world):
    loss = account_loss_record(actor=users["director"], account=world["foreign"], data=_data())
    account_loss_update(actor=users["director"], loss=loss, data={"reason": "quality"})
    assert AccountLoss.objects.get(pk=loss.pk).reason == "quality"
    update = ChangeLogEntry.objects.filter(account_id=world["foreign"].pk, action="update")
    assert update.exists()
    account_loss_delete(actor=users["director"], loss=loss)
    assert not AccountLoss.objects.filter(pk=loss.pk).exists()
    assert ChangeLogEntry.objects.filter(account_id=world["foreign"].pk, action="delete").exists()


@pytest.mark.parametrize("who", ["marketing", "viewer"])
def test_others_read_but_do_not_record(users, world, who):
    assert not may_record(users[who], world["own"])
    with pytest.raises(PermissionDenied):
        account_loss_record(actor=users[who], account=world["own"], data=_data())


def test_a_kam_records_only_on_the_accounts_of_their_team(users, world):
    assert may_record(users["kam1"], world["own"])
    assert not may_record(users["kam1"], world["foreign"])
    with pytest.raises(PermissionDenied):
        account_loss_record(actor=users["kam1"], account=world["foreign"], data=_data())


def test_a_loss_cannot_be_in_the_future(users, world):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        account_loss_record(actor=users["kam1"], account=world["own"], data=_data(lost_on=tomorrow))
    assert "lost_on" in error.value.message_dict
    assert not AccountLoss.objects.exists()


def test_a_loss_cannot_come_before_the_first_purchase(users, world, losses):
    # `own` first bought on 2024-01-10 by the latest snapshot
    with pytest.raises(ValidationError) as error:
        account_loss_record(
            actor=users["kam1"], account=world["own"], data=_data(lost_on=dt.date(2023, 12, 31))
        )
    assert "lost_on" in error.value.message_dict
    loss = account_loss_record(
        actor=users["kam1"], account=world["own"], data=_data(lost_on=dt.date(2024, 1, 10))
    )
    assert loss.lost_on == dt.date(2024, 1, 10)


def test_the_reason_must_be_one_of_the_choices(users, world):
    with pytest.raises(ValidationError):
        account_loss_record(actor=users["kam1"], account=world["own"], data=_data(reason="luck"))

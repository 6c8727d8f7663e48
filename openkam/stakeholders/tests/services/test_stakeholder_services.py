import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openkam.core.models import ChangeLogEntry
from openkam.stakeholders.models import DepartmentKind, Position, Stakeholder
from openkam.stakeholders.services import (
    stakeholder_create,
    stakeholder_delete,
    stakeholder_move,
    stakeholder_update,
)

pytestmark = pytest.mark.django_db
JAN = dt.date(2026, 1, 5)
JUN = dt.date(2026, 6, 1)


def test_create_opens_the_first_position(users, world):
    person = stakeholder_create(
        actor=users["kam1"],
        account=world["own"],
        data={"name": "Somchai Wongsawat", "job_title": "Head of Buying"},
        on=JAN,
    )
    position = person.positions.get()
    assert (position.account, position.job_title, position.started_on, position.ended_on) == (
        world["own"],
        "Head of Buying",
        JAN,
        None,
    )


def test_kam_cannot_add_people_to_a_foreign_account(users, world):
    with pytest.raises(PermissionDenied):
        stakeholder_create(actor=users["kam1"], account=world["foreign"], data={"name": "X"})
    assert not Stakeholder.objects.filter(name="X").exists()


def test_new_title_closes_the_old_position(users, world):
    person = stakeholder_create(
        actor=users["kam1"],
        account=world["own"],
        data={"name": "Lan", "job_title": "Buyer"},
        on=JAN,
    )
    stakeholder_update(
        actor=users["kam1"], stakeholder=person, data={"job_title": "Head of Buying"}, on=JUN
    )
    titles = list(
        person.positions.order_by("started_on").values_list("job_title", "started_on", "ended_on")
    )
    assert titles == [("Buyer", JAN, JUN), ("Head of Buying", JUN, None)]


def test_contact_change_keeps_the_position(users, world):
    person = world["own_person"]
    stakeholder_update(actor=users["kam1"], stakeholder=person, data={"phone": "+66 2 123 4567"})
    assert person.positions.count() == 1


def test_marketing_edits_contact_details_only(users, world):
    person = world["foreign_person"]
    stakeholder_update(
        actor=users["marketing"], stakeholder=person, data={"email": "buyer@foreign.example"}
    )
    with pytest.raises(PermissionDenied):
        stakeholder_update(actor=users["marketing"], stakeholder=person, data={"job_title": "CEO"})


def test_reports_to_stays_within_the_account(users, world):
    with pytest.raises(ValidationError, match="same account"):
        stakeholder_update(
            actor=users["director"],
            stakeholder=world["own_person"],
            data={"reports_to": world["foreign_person"]},
        )


def test_org_chart_cannot_loop(users, world):
    boss = world["own_person"]
    deputy = stakeholder_create(
        actor=users["kam1"], account=world["own"], data={"name": "Deputy", "reports_to": boss}
    )
    with pytest.raises(ValidationError, match="circle"):
        stakeholder_update(actor=users["kam1"], stakeholder=boss, data={"reports_to": deputy})


def test_department_must_belong_to_the_account(users, world):
    with pytest.raises(ValidationError, match="another account"):
        stakeholder_update(
            actor=users["director"],
            stakeholder=world["own_person"],
            data={"department": world["foreign_department"]},
        )


def test_move_keeps_the_history_and_tells_both_accounts(users, world):
    person = world["own_person"]
    report = stakeholder_create(
        actor=users["director"],
        account=world["own"],
        data={"name": "Assistant", "reports_to": person},
    )
    Position.objects.filter(stakeholder=person).update(started_on=JAN)
    stakeholder_move(
        actor=users["director"],
        stakeholder=person,
        account=world["foreign"],
        job_title="Purchasing Director",
        buying_role="decision_maker",
        on=JUN,
    )
    person.refresh_from_db()
    report.refresh_from_db()
    assert person.account == world["foreign"]
    assert report.reports_to is None
    history = list(
        person.positions.order_by("started_on").values_list(
            "account__name", "started_on", "ended_on"
        )
    )
    assert history == [("Own Mart", JAN, JUN), ("Foreign Foods", JUN, None)]
    for account in (world["own"], world["foreign"]):
        entry = ChangeLogEntry.objects.get(account_id=account.pk, action="move")
        assert entry.changes["account"] == {
            "label": "account",
            "old": "Own Mart",
            "new": "Foreign Foods",
        }


def test_kam_cannot_move_a_person_into_a_foreign_account(users, world):
    with pytest.raises(PermissionDenied):
        stakeholder_move(
            actor=users["kam1"], stakeholder=world["own_person"], account=world["foreign"]
        )
    world["own_person"].refresh_from_db()
    assert world["own_person"].account == world["own"]


def test_move_cannot_predate_the_current_position(users, world):
    Position.objects.filter(stakeholder=world["own_person"]).update(started_on=JUN)
    with pytest.raises(ValidationError, match="before the current position"):
        stakeholder_move(
            actor=users["director"],
            stakeholder=world["own_person"],
            account=world["foreign"],
            on=JAN,
        )


def test_move_department_must_be_at_the_new_account(users, world):
    with pytest.raises(ValidationError):
        stakeholder_move(
            actor=users["director"],
            stakeholder=world["own_person"],
            account=world["foreign"],
            department=world["own_department"],
        )


def test_delete_is_logged_and_refused_to_viewers(users, world):
    with pytest.raises(PermissionDenied):
        stakeholder_delete(actor=users["viewer"], stakeholder=world["own_person"])
    pk = world["own_person"].pk
    stakeholder_delete(actor=users["kam1"], stakeholder=world["own_person"])
    assert ChangeLogEntry.objects.filter(object_id=pk, action="delete").exists()


def test_department_kinds_come_with_the_migrations(db):
    assert list(DepartmentKind.objects.values_list("code", flat=True)) == [
        "buying",
        "operations",
        "marketing",
        "finance",
        "it",
        "management",
        "other",
    ]


def test_a_move_on_the_day_of_creation_keeps_the_old_account(users, world):
    person = stakeholder_create(
        actor=users["director"], account=world["own"], data={"name": "New buyer"}
    )
    stakeholder_move(actor=users["director"], stakeholder=person, account=world["foreign"])
    accounts = list(person.positions.order_by("id").values_list("account__name", flat=True))
    assert accounts == ["Own Mart", "Foreign Foods"]


def test_position_department_must_be_at_its_account(world):
    position = world["own_person"].positions.get()
    position.department = world["foreign_department"]
    with pytest.raises(ValidationError, match="another account"):
        position.full_clean()

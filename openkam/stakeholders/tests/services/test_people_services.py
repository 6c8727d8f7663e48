import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openkam.stakeholders.models import Position, Stakeholder, StakeholderAssessment
from openkam.stakeholders.services import (
    stakeholder_create,
    stakeholder_leave,
    stakeholder_set_reports_to,
    stakeholder_update,
)

pytestmark = pytest.mark.django_db
JAN = dt.date(2026, 1, 5)
JUN = dt.date(2026, 6, 1)


def _history(person):
    return list(
        StakeholderAssessment.objects.filter(stakeholder=person)
        .order_by("since", "id")
        .values_list("field", "value", "since", "author__username")
    )


def test_create_records_the_first_influence_and_attitude(users, world):
    person = stakeholder_create(
        actor=users["kam1"],
        account=world["own"],
        data={"name": "Lan", "influence": 4, "attitude": "supporter"},
        on=JAN,
    )
    assert _history(person) == [
        ("influence", "4", JAN, "kam1"),
        ("attitude", "supporter", JAN, "kam1"),
    ]


def test_a_change_adds_to_the_history_and_other_fields_do_not(users, world):
    person = world["own_person"]
    stakeholder_update(actor=users["kam1"], stakeholder=person, data={"attitude": "critic"}, on=JAN)
    stakeholder_update(
        actor=users["kam1"], stakeholder=person, data={"attitude": "champion", "phone": "1"}, on=JUN
    )
    stakeholder_update(actor=users["kam1"], stakeholder=person, data={"attitude": "champion"})
    stakeholder_update(actor=users["director"], stakeholder=person, data={"influence": 5}, on=JUN)
    assert _history(person) == [
        ("attitude", "critic", JAN, "kam1"),
        ("attitude", "champion", JUN, "kam1"),
        ("influence", "5", JUN, "director"),
    ]


def test_influence_outside_1_to_5_is_refused(users, world):
    with pytest.raises(ValidationError) as error:
        stakeholder_update(
            actor=users["kam1"], stakeholder=world["own_person"], data={"influence": 6}
        )
    assert "influence" in error.value.message_dict
    assert not StakeholderAssessment.objects.exists()


def _boss_and_report(users, account):
    boss = stakeholder_create(actor=users["director"], account=account, data={"name": "Boss"})
    report = stakeholder_create(
        actor=users["director"], account=account, data={"name": "Report", "reports_to": boss}
    )
    return boss, report


def test_a_circle_is_refused_with_a_message(users, world):
    boss, report = _boss_and_report(users, world["own"])
    with pytest.raises(ValidationError) as error:
        stakeholder_set_reports_to(actor=users["kam1"], stakeholder=boss, reports_to=report)
    assert error.value.message_dict["reports_to"] == ["This would make the org chart a circle."]
    boss.refresh_from_db()
    assert boss.reports_to is None


def test_a_manager_at_another_account_is_refused(users, world):
    with pytest.raises(ValidationError) as error:
        stakeholder_set_reports_to(
            actor=users["director"],
            stakeholder=world["own_person"],
            reports_to=world["foreign_person"],
        )
    assert "same account" in error.value.message_dict["reports_to"][0]


def test_reports_to_is_saved_and_logged(users, world):
    boss, _ = _boss_and_report(users, world["own"])
    person = stakeholder_set_reports_to(
        actor=users["kam1"], stakeholder=world["own_person"], reports_to=boss
    )
    assert Stakeholder.objects.get(pk=person.pk).reports_to == boss


def test_kam_cannot_rearrange_a_foreign_chart(users, world):
    boss, _ = _boss_and_report(users, world["foreign"])
    with pytest.raises(PermissionDenied):
        stakeholder_set_reports_to(
            actor=users["kam1"], stakeholder=world["foreign_person"], reports_to=boss
        )


def test_leaving_ends_the_position_and_frees_the_reports(users, world):
    boss, report = _boss_and_report(users, world["own"])
    Position.objects.filter(stakeholder=boss).update(started_on=JAN)
    stakeholder_leave(actor=users["kam1"], stakeholder=boss, on=JUN)
    boss.refresh_from_db()
    report.refresh_from_db()
    assert not boss.active and report.reports_to is None
    assert boss.positions.get().ended_on == JUN
    with pytest.raises(ValidationError):
        stakeholder_leave(actor=users["kam1"], stakeholder=boss, on=JUN)

"""Validation (named constraints, clean) and the services with their change log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from openkam.core.models import ChangeLogEntry
from openkam.satisfaction import services
from openkam.satisfaction.models import Source, SurveyResponse
from openkam.stakeholders.services import stakeholder_create

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 5, 4)


def _create(users, world, **data):
    return services.survey_create(
        actor=users["kam1"], account=world["own"], data={"answered_on": DAY, **data}
    )


def test_an_answer_needs_a_csat_or_an_nps(users, world):
    with pytest.raises(ValidationError) as error:
        _create(users, world, comment="no scores")
    assert "Give a CSAT, an NPS score or both." in str(error.value)
    assert _create(users, world, nps=9).csat is None
    assert _create(users, world, csat=2).nps is None


@pytest.mark.parametrize(("field", "value"), [("csat", 0), ("csat", 6), ("nps", 11)])
def test_scores_out_of_range_are_refused(users, world, field, value):
    with pytest.raises(ValidationError) as error:
        _create(users, world, **{field: value})
    assert field in error.value.message_dict


@pytest.mark.parametrize(
    ("name", "fields"),
    [
        ("surveyresponse_csat_1_to_5", {"csat": 7}),
        ("surveyresponse_nps_0_to_10", {"nps": 12}),
        ("surveyresponse_csat_or_nps", {}),
    ],
)
def test_the_database_keeps_the_rules_too(world, name, fields):
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        SurveyResponse.objects.create(account=world["own"], answered_on=DAY, **fields)
    assert name in str(error.value) or "CHECK" in str(error.value)


def test_no_answer_from_the_future(users, world):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.survey_create(
            actor=users["kam1"], account=world["own"], data={"answered_on": tomorrow, "csat": 4}
        )
    assert error.value.message_dict["answered_on"] == ["An answer cannot be dated in the future."]


def test_the_person_must_work_at_the_account(users, world):
    with pytest.raises(ValidationError) as error:
        _create(users, world, stakeholder=world["foreign_person"], nps=5)
    assert "stakeholder" in error.value.message_dict
    answer = _create(users, world, stakeholder=world["own_person"], nps=5)
    assert answer.stakeholder == world["own_person"]


def test_create_update_delete_write_the_change_log(users, world):
    answer = _create(users, world, stakeholder=world["own_person"], csat=3, nps=6)
    assert answer.source == Source.ENTERED and answer.author == users["kam1"]
    assert ChangeLogEntry.objects.filter(object_id=answer.pk, action="create").exists()
    services.survey_update(actor=users["kam1"], response=answer, data={"nps": 9, "comment": "ok"})
    entry = ChangeLogEntry.objects.get(object_id=answer.pk, action="update")
    assert entry.account_id == world["own"].pk and "nps" in entry.changes
    pk = answer.pk
    services.survey_delete(actor=users["kam1"], response=answer)
    assert not SurveyResponse.objects.exists()
    assert ChangeLogEntry.objects.filter(object_id=pk, action="delete").exists()


def test_who_may_record(users, world):
    foreign = world["foreign"]
    assert services.may_record(users["kam1"], world["own"])
    assert not services.may_record(users["kam1"], foreign)
    assert services.may_record(users["marketing"], foreign)  # marketing runs the surveys
    assert services.may_record(users["director"], foreign)
    assert not services.may_record(users["viewer"], world["own"])
    with pytest.raises(PermissionDenied):
        services.survey_create(
            actor=users["kam1"], account=foreign, data={"answered_on": DAY, "nps": 7}
        )
    with pytest.raises(PermissionDenied):
        services.survey_create(
            actor=users["viewer"], account=world["own"], data={"answered_on": DAY, "nps": 7}
        )


def test_an_answer_stays_valid_after_the_person_moved(users, world):
    """Editing an old answer of somebody who has left for another account still works: they
    worked there (their position history says so)."""
    from openkam.stakeholders.services import stakeholder_move

    person = stakeholder_create(
        actor=users["director"],
        account=world["own"],
        data={"name": "Mover", "buying_role": "decision_maker"},
    )
    answer = _create(users, world, stakeholder=person, nps=3)
    stakeholder_move(
        actor=users["director"],
        stakeholder=person,
        account=world["foreign"],
    )
    answer.refresh_from_db()
    services.survey_update(actor=users["kam1"], response=answer, data={"comment": "before"})
    assert SurveyResponse.objects.get(pk=answer.pk).comment == "before"

"""Logging, changing and deleting activities: who may, what is checked, what the log keeps;
a stakeholder's last contact and who met them come from the activities."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from openkam.activities import selectors, services
from openkam.activities.models import Activity, ActivityKind, Purpose
from openkam.core.models import ChangeLogEntry

pytestmark = pytest.mark.django_db

WHEN = dt.datetime(2026, 6, 3, 10, 0, tzinfo=dt.UTC)


def entries(activity_pk: int, action: str):
    return ChangeLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Activity),
        object_id=activity_pk,
        action=action,
    ).order_by("pk")


def data(**extra) -> dict:
    return {
        "kind": ActivityKind.objects.get(code="visit"),
        "occurred_at": WHEN,
        "duration_minutes": 90,
        "purpose": Purpose.KEY_ACCOUNT,
        "subject": "Shelf review at the head office",
        **extra,
    }


def log(users, world, actor="kam1", account="own", **extra) -> Activity:
    return services.activity_create(
        actor=users[actor],
        account=world[account],
        data=data(**extra),
        our_people=[users[actor]],
        their_people=[world[f"{account}_person"]],
    )


def test_the_account_team_logs_a_visit_with_both_sides_present(users, world):
    activity = log(users, world)
    assert activity.author == users["kam1"]
    assert list(activity.our_people.all()) == [users["kam1"]]
    assert list(activity.their_people.all()) == [world["own_person"]]
    entry = entries(activity.pk, "create").get()
    assert entry.account_id == world["own"].pk
    assert entry.changes["their_people"]["new"] == "Buyer of Own Mart"
    assert entry.changes["subject"]["new"] == "Shelf review at the head office"


@pytest.mark.parametrize("actor", ["viewer", "marketing"])
def test_readers_may_not_log(users, world, actor):
    with pytest.raises(PermissionDenied):
        log(users, world, actor=actor)


def test_a_kam_may_not_log_on_a_foreign_account(users, world):
    with pytest.raises(PermissionDenied):
        log(users, world, actor="kam1", account="foreign")


def test_their_people_must_work_at_the_account(users, world):
    with pytest.raises(ValidationError) as refused:
        services.activity_create(
            actor=users["kam1"],
            account=world["own"],
            data=data(),
            their_people=[world["foreign_person"]],
        )
    assert "Buyer of Foreign Foods do not work at Own Mart" in str(refused.value)
    assert not Activity.objects.exists()


def test_a_due_date_needs_a_next_step_and_durations_are_bounded(users, world):
    with pytest.raises(ValidationError) as no_step:
        log(users, world, next_step_due=dt.date(2026, 6, 10))
    assert "next_step" in no_step.value.message_dict
    with pytest.raises(ValidationError) as too_long:
        log(users, world, duration_minutes=24 * 60 + 1)
    assert "duration_minutes" in too_long.value.message_dict


def test_only_the_author_or_a_director_changes_or_deletes(users, world):
    activity = log(users, world, actor="kam2", account="shared")
    with pytest.raises(PermissionDenied):  # kam1 is on the team, but not the author
        services.activity_update(actor=users["kam1"], activity=activity, data={"subject": "x"})
    with pytest.raises(PermissionDenied):
        services.activity_delete(actor=users["kam1"], activity=activity)
    services.activity_update(
        actor=users["kam2"], activity=activity, data={"outcome": "Two new listings agreed"}
    )
    changed = services.activity_update(
        actor=users["director"],
        activity=activity,
        data={"subject": "Quarterly review"},
        our_people=[users["kam2"], users["director"]],
    )
    assert changed.subject == "Quarterly review"
    updates = entries(activity.pk, "update")
    assert [e.username for e in updates] == ["kam2", "director"]
    assert updates.last().changes["our_people"]["new"] == "director, kam2"
    pk = activity.pk
    services.activity_delete(actor=users["director"], activity=activity)
    assert not Activity.objects.filter(pk=pk).exists()
    assert entries(pk, "delete").exists()


def test_a_kam_sees_the_activities_of_their_accounts_only(users, world):
    own = log(users, world)
    foreign = log(users, world, actor="kam2", account="foreign")
    assert list(selectors.activity_list(user=users["kam1"])) == [own]
    assert set(selectors.activity_list(user=users["director"])) == {own, foreign}
    assert set(selectors.activity_list(user=users["viewer"])) == {own, foreign}


def test_last_contact_and_who_met_them_come_from_the_activities(users, world):
    person = world["shared_person"]
    log(users, world, actor="kam2", account="shared")
    later = WHEN + dt.timedelta(days=20)
    log(users, world, actor="kam1", account="shared", occurred_at=later)
    assert selectors.last_contacts([person, world["own_person"]]) == {person.pk: later}
    assert selectors.met_by(person) == [(users["kam1"], later), (users["kam2"], WHEN)]


def test_seeded_kinds_are_translated_and_entertainment_is_marked():
    dinner = ActivityKind.objects.get(code="dinner")
    assert dinner.is_entertainment and not ActivityKind.objects.get(code="call").is_entertainment
    with translation.override("vi"):
        assert str(dinner) != "Dinner"

"""/api/activities/: log, filter, change and delete through the API, under the usual rules."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext
from rest_framework.test import APIClient

from openkam.activities.models import Activity

pytestmark = pytest.mark.django_db
URL = "/api/activities/"


@pytest.fixture
def api(users):
    def _as(username: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(users[username])
        return client

    return _as


def body(world, account="own", **extra) -> dict:
    return {
        "account": world[account].pk,
        "kind": "dinner",
        "occurred_at": "2026-06-03T19:30:00+07:00",
        "duration_minutes": 120,
        "purpose": "key_account",
        "subject": "Dinner with the buying director",
        "our_people": ["kam1"],
        "their_people": [world[f"{account}_person"].pk],
        **extra,
    }


def test_a_kam_logs_a_dinner_and_filters_the_log(api, world):
    client = api("kam1")
    created = client.post(URL, body(world), format="json")
    assert created.status_code == 201, created.json()
    answer = created.json()
    assert answer["author"] == "kam1" and answer["our_people"] == ["kam1"]
    assert answer["their_people"] == [world["own_person"].pk]
    assert client.get(URL, {"stakeholder": world["own_person"].pk}).json()["count"] == 1
    assert client.get(URL, {"kind": "call"}).json()["count"] == 0
    assert client.get(URL, {"user": "kam1", "since": "2026-06-03"}).json()["count"] == 1
    assert client.get(URL, {"until": "2026-06-02"}).json()["count"] == 0


def test_stakeholders_of_another_account_are_refused_in_the_readers_language(api, world):
    client = api("kam1")
    answer = client.post(
        URL,
        body(world, their_people=[world["shared_person"].pk]),
        format="json",
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert answer.status_code == 400
    with translation.override("vi"):
        expected = gettext("%(people)s do not work at %(account)s.") % {
            "people": world["shared_person"].name,
            "account": world["own"].name,
        }
    assert answer.json()["their_people"] == [expected]
    assert not Activity.objects.exists()


def test_a_stakeholder_the_kam_cannot_see_does_not_exist(api, world):
    answer = api("kam1").post(
        URL, body(world, their_people=[world["foreign_person"].pk]), format="json"
    )
    assert answer.status_code == 400
    assert "does not exist" in str(answer.json()["their_people"])


def test_the_team_reads_it_but_only_its_author_or_a_director_changes_it(api, world, users):
    created = api("kam2").post(
        URL, body(world, account="shared", our_people=["kam2"]), format="json"
    )
    assert created.status_code == 201, created.json()
    detail = f"{URL}{created.json()['id']}/"
    kam1 = api("kam1")  # supports Shared Stores: sees the activity, did not write it
    assert kam1.get(detail).status_code == 200
    assert kam1.patch(detail, {"subject": "Mine now"}, format="json").status_code == 403
    assert kam1.delete(detail).status_code == 403
    director = api("director")
    changed = director.patch(detail, {"our_people": ["kam2", "director"]}, format="json")
    assert changed.status_code == 200 and set(changed.json()["our_people"]) == {
        "kam2",
        "director",
    }
    assert director.delete(detail).status_code == 204


def test_activity_kinds_are_listed_in_the_readers_language(api):
    kinds = api("viewer").get("/api/activity-kinds/", HTTP_ACCEPT_LANGUAGE="th").json()
    golf = next(k for k in kinds if k["code"] == "golf")
    assert golf["is_entertainment"] and golf["name"] == "Golf"
    with translation.override("th"):
        assert golf["label"] == gettext("Golf") != "Golf"

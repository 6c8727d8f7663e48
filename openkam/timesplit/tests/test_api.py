"""/api/time-split/ (validated: 400 on bad input) and /api/time-entries/ (CRUD)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from openkam.timesplit.models import TimeEntry

from .conftest import MONDAY, activity, entry

pytestmark = pytest.mark.django_db
SPLIT = "/api/time-split/"
ENTRIES = "/api/time-entries/"
WEEK = {"period": "week", "start": MONDAY.isoformat(), "end": MONDAY.isoformat()}


@pytest.fixture
def api(users):
    def _api(name: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(users[name])
        return client

    return _api


def test_time_split_for_a_director(api, users, world):
    activity(world["own"], MONDAY, 240, "key_account", people=[users["kam1"]])
    entry(users["kam1"], MONDAY, 1, "new_business")
    response = api("director").get(SPLIT, WEEK)
    assert response.status_code == 200
    data = response.json()
    assert (data["period"], data["start"], data["end"]) == ("week", "2026-03-02", "2026-03-08")
    assert data["target"] == 0.8 and data["as_of"] is None
    people = {p["username"]: p for p in data["people"]}
    assert set(people) == {"kam1", "kam2"}
    kam1 = people["kam1"]
    assert kam1["hours"] == {"key_account": 4.0, "new_business": 1.0, "other": 0.0}
    assert kam1["key_account_share"] == 0.8 and kam1["on_target"] is True
    assert people["kam2"]["key_account_share"] is None and people["kam2"]["on_target"] is None
    assert len(kam1["periods"]) == 1
    accounts = {a["name"]: a for a in data["accounts"]}
    assert accounts["Own Mart"]["hours"] == 4.0
    assert accounts["Foreign Foods"]["neglected"] is True


def test_a_kam_gets_only_their_own_split(api, users, world):
    response = api("kam1").get(SPLIT, WEEK)
    assert [p["username"] for p in response.json()["people"]] == ["kam1"]
    assert api("kam1").get(SPLIT, {**WEEK, "user": "kam1"}).status_code == 200
    assert api("kam1").get(SPLIT, {**WEEK, "user": "kam2"}).status_code == 403
    assert api("viewer").get(SPLIT, {**WEEK, "user": "director"}).status_code == 403
    only = api("director").get(SPLIT, {**WEEK, "user": "kam2"}).json()
    assert [p["username"] for p in only["people"]] == ["kam2"]


@pytest.mark.parametrize(
    "query",
    [
        {"period": "decade"},
        {"start": "not-a-date"},
        {"end": "2026-02-30"},
        {"period": "week", "start": "2026-03-09", "end": "2026-03-01"},
        {"period": "week", "start": "1900-01-01", "end": "2026-03-01"},
        {"start": "0001-01-01", "end": "9999-12-31"},
        {"period": "week", "start": "0001-01-01", "end": "0001-01-07"},
        {"period": "quarter", "start": "9999-12-01", "end": "9999-12-31"},
        {"end": "1899-12-31"},
        {"user": "nobody-by-that-name"},
        {"user": "x" * 151},
        {"user": "a\x00b"},
    ],
)
def test_bad_input_is_a_400(api, users, query):
    response = api("director").get(SPLIT, query)
    assert response.status_code == 400, response.content


def test_the_default_range_ends_today(api, users):
    data = api("kam1").get(SPLIT).json()
    assert data["period"] == "month" and len(data["people"][0]["periods"]) == 6
    assert dt.date.fromisoformat(data["end"]) >= timezone.localdate()


def test_anonymous_is_refused():
    assert APIClient().get(SPLIT).status_code == 401
    assert APIClient().get(ENTRIES).status_code == 401


def test_time_entries_crud(api, users, world):
    client = api("kam1")
    body = {"week": MONDAY.isoformat(), "purpose": "new_business", "hours": "3.5"}
    created = client.post(ENTRIES, {**body, "account": world["own"].pk, "note": "Calls"})
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["user"], data["hours"], data["account"]) == ("kam1", "3.50", world["own"].pk)
    pk = data["id"]
    assert client.patch(f"{ENTRIES}{pk}/", {"hours": "5"}).json()["hours"] == "5.00"
    assert [e["id"] for e in client.get(ENTRIES).json()["results"]] == [pk]
    assert api("kam2").get(f"{ENTRIES}{pk}/").status_code == 404
    assert api("kam2").patch(f"{ENTRIES}{pk}/", {"hours": "1"}).status_code == 404
    assert api("viewer").patch(f"{ENTRIES}{pk}/", {"hours": "1"}).status_code == 403
    assert api("director").patch(f"{ENTRIES}{pk}/", {"note": "OK"}).status_code == 200
    assert api("director").get(ENTRIES, {"user": "kam1"}).json()["count"] == 1
    assert client.delete(f"{ENTRIES}{pk}/").status_code == 204
    assert not TimeEntry.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"hours": "0"}, "hours"),
        ({"hours": "80.01"}, "hours"),
        ({"hours": "NaN"}, "hours"),
        ({"week": "2026-03-04"}, "week"),  # a Wednesday
        ({"week": "2999-01-05"}, "week"),  # a week to come
        ({"week": "0001-01-01"}, "week"),
        ({"purpose": "golf"}, "purpose"),
        ({"account": 999999}, "account"),
    ],
)
def test_invalid_entries_are_a_400(api, world, change, field):
    body = {"week": MONDAY.isoformat(), "purpose": "other", "hours": "2", **change}
    response = api("kam1").post(ENTRIES, body)
    assert response.status_code == 400 and field in response.json(), response.content
    assert not TimeEntry.objects.exists()


def test_an_account_the_kam_cannot_see_does_not_exist(api, world):
    body = {"week": MONDAY.isoformat(), "hours": "2", "account": world["foreign"].pk}
    response = api("kam1").post(ENTRIES, body)
    assert response.status_code == 400 and "account" in response.json()


def test_marketing_and_viewers_record_no_time(api):
    body = {"week": MONDAY.isoformat(), "hours": "2"}
    for name in ("marketing", "viewer"):
        assert api(name).post(ENTRIES, body).status_code == 403
        assert api(name).get(ENTRIES).json()["count"] == 0

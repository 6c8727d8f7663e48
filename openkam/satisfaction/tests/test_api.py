"""/api/surveys/: scoping, writes through the services (with their validation), filters, and
400 for bad parameters."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from openkam.core.models import ChangeLogEntry
from openkam.satisfaction.models import SurveyResponse

pytestmark = pytest.mark.django_db
D = dt.date
URL = "/api/surveys/"


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_create_read_update_delete(users, world):
    kam1 = _api(users["kam1"])
    body = {
        "account": world["own"].pk,
        "stakeholder": world["own_person"].pk,
        "answered_on": "2026-04-10",
        "csat": 2,
        "nps": 5,
        "comment": "Late deliveries",
    }
    made = kam1.post(URL, body, format="json")
    assert made.status_code == 201, made.content
    data = made.json()
    assert data["author"] == "kam1" and data["source"] == "entered" and data["is_detractor"]
    pk = data["id"]
    assert ChangeLogEntry.objects.filter(object_id=pk, action="create").exists()
    changed = kam1.patch(f"{URL}{pk}/", {"nps": 9, "account": world["foreign"].pk}, format="json")
    assert changed.status_code == 200 and changed.json()["nps"] == 9
    assert changed.json()["account"] == world["own"].pk  # an answer stays with its account
    assert kam1.get(f"{URL}{pk}/").json()["is_detractor"] is True  # CSAT 2
    assert kam1.delete(f"{URL}{pk}/").status_code == 204
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"csat": None, "nps": None}, "__all__"),
        ({"csat": 6}, "csat"),
        ({"nps": -1}, "nps"),
        ({"answered_on": "2999-01-01"}, "answered_on"),
        ({"stakeholder": "foreign"}, "stakeholder"),
        ({"account": "foreign"}, "account"),  # kam1 does not see it: "does not exist"
    ],
)
def test_invalid_answers_are_400(users, world, change, field):
    body = {"account": world["own"].pk, "answered_on": "2026-04-10", "csat": 4}
    for key, value in change.items():
        body[key] = (
            world[f"foreign{'_person' if key == 'stakeholder' else ''}"].pk
            if (value == "foreign")
            else value
        )
    answer = _api(users["kam1"]).post(URL, body, format="json")
    assert answer.status_code == 400, answer.content
    errors = answer.json()
    assert field in errors or (field == "__all__" and "non_field_errors" in errors), errors
    assert not SurveyResponse.objects.exists()


def test_scoping_and_filters(users, world, answer):
    own = answer(world["own"], D(2026, 1, 10), stakeholder=world["own_person"], csat=5, nps=10)
    low = answer(world["own"], D(2026, 4, 10), csat=2, nps=3)
    foreign = answer(world["foreign"], D(2026, 4, 10), csat=1, nps=0)
    kam1 = _api(users["kam1"])

    def ids(**params):
        answer = kam1.get(URL, params)
        assert answer.status_code == 200, answer.content
        return {row["id"] for row in answer.json()["results"]}

    assert ids() == {own.pk, low.pk}
    assert ids(account=world["own"].pk) == {own.pk, low.pk}
    assert ids(account=world["foreign"].pk) == set()
    assert ids(stakeholder=world["own_person"].pk) == {own.pk}
    assert ids(anonymous="true") == {low.pk}
    assert ids(since="2026-04-01") == {low.pk}
    assert ids(until="2026-03-31") == {own.pk}
    assert ids(nps_max=6) == {low.pk}
    assert ids(csat_max=2) == {low.pk}
    assert ids(source="imported") == set()
    assert foreign.pk in {r["id"] for r in _api(users["viewer"]).get(URL).json()["results"]}
    assert kam1.get(f"{URL}{foreign.pk}/").status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"account": "x"},
        {"account": "0"},
        {"account": str(2**64)},
        {"since": "yesterday"},
        {"source": "fax"},
        {"nps_max": "11"},
        {"csat_max": "0"},
        {"anonymous": "maybe"},
    ],
)
def test_bad_parameters_are_400(users, params):
    assert _api(users["kam1"]).get(URL, params).status_code == 400


def test_who_may_write(users, world):
    body = {"account": world["foreign"].pk, "answered_on": "2026-04-10", "nps": 9}
    assert _api(users["marketing"]).post(URL, body, format="json").status_code == 201
    assert _api(users["viewer"]).post(URL, body, format="json").status_code == 403
    assert _api(users["kam1"]).post(URL, body, format="json").status_code == 400
    today = timezone.localdate().isoformat()
    own = {"account": world["own"].pk, "answered_on": today, "nps": 9}
    assert _api(users["kam1"]).post(URL, own, format="json").status_code == 201

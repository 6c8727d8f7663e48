"""/api/commitments/ and /api/requests/: scoping, writes through the services, filters (bad
ones answer 400) and the response-time statistics."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from openkam.commitments.models import Commitment

from .conftest import at

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
D = dt.timedelta


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_commitments_api(users, world, make_commitment):
    kam1 = _api(users["kam1"])
    body = {
        "account": world["own"].pk,
        "description": "Send the samples",
        "promised_on": (TODAY - D(days=9)).isoformat(),
        "due_on": (TODAY - D(days=2)).isoformat(),
    }
    made = kam1.post("/api/commitments/", body, format="json")
    assert made.status_code == 201, made.content
    assert made.json()["owner"] == "kam1" and made.json()["late"] is True
    pk = made.json()["id"]
    assert (
        kam1.post("/api/commitments/", {**body, "owner": "kam2"}, format="json").status_code == 400
    )
    done = kam1.patch(f"/api/commitments/{pk}/", {"status": "done"}, format="json")
    assert done.status_code == 400 and "done_on" in done.json()
    done = kam1.patch(
        f"/api/commitments/{pk}/", {"status": "done", "done_on": TODAY.isoformat()}, format="json"
    )
    assert done.status_code == 200 and done.json()["late"] is False
    other = make_commitment(world["foreign"], owner=users["kam2"])
    assert kam1.get(f"/api/commitments/{other.pk}/").status_code == 404
    assert _api(users["viewer"]).patch(f"/api/commitments/{pk}/", {"notes": "x"}).status_code == 403
    make_commitment(world["own"], description="Old late one")
    late = kam1.get("/api/commitments/", {"late": "true"}).json()["results"]
    assert [c["description"] for c in late] == ["Old late one"]
    mine = _api(users["kam2"]).get("/api/commitments/", {"mine": "true"}).json()["results"]
    assert [c["id"] for c in mine] == [other.pk]
    assert kam1.delete(f"/api/commitments/{pk}/").status_code == 204
    assert not Commitment.objects.filter(pk=pk).exists()


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/commitments/", {"status": "maybe"}),
        ("/api/commitments/", {"direction": "sideways"}),
        ("/api/commitments/", {"due_from": "tomorrow"}),
        ("/api/commitments/", {"account": "0"}),
        ("/api/commitments/", {"account": str(2**70)}),
        ("/api/requests/", {"state": "lost"}),
        ("/api/requests/", {"kind": "gift"}),
        ("/api/requests/", {"received_from": "2026-13-01"}),
        ("/api/requests/stats/", {"received_until": "soon"}),
    ],
)
def test_bad_query_parameters_answer_400(users, world, path, params):
    assert _api(users["director"]).get(path, params).status_code == 400


def test_requests_api_and_stats(users, world, make_request, settings):
    settings.KAM_RESPONSE_HOURS = 9
    kam1 = _api(users["kam1"])
    received = timezone.now() - D(days=10)
    made = kam1.post(
        "/api/requests/",
        {"account": world["own"].pk, "subject": "Quote", "kind": "quote", "received_at": received},
        format="json",
    )
    assert made.status_code == 201, made.content
    row = made.json()
    assert row["owner"] == "kam1" and row["overdue"] is True and row["response_hours"] is None
    early = kam1.patch(
        f"/api/requests/{row['id']}/",
        {"first_answered_at": (received - D(hours=1)).isoformat()},
        format="json",
    )
    assert early.status_code == 400 and "first_answered_at" in early.json()
    monday = dt.date(2026, 3, 2)
    make_request(world["own"], received_at=at(monday, 9), first_answered_at=at(monday, 12))
    make_request(
        world["shared"],
        owner=users["kam2"],
        received_at=at(monday, 9),
        first_answered_at=at(monday + D(days=1), 12),
    )
    listed = kam1.get("/api/requests/", {"owner": "kam2"}).json()["results"]
    assert [r["response_hours"] for r in listed] == [12]
    stats = kam1.get("/api/requests/stats/").json()
    assert stats["target_hours"] == 9 and stats["working_day"] == "09:00–18:00"
    assert (stats["total"]["received"], stats["total"]["answered"]) == (3, 2)
    assert stats["total"]["median_hours"] == pytest.approx(7.5)
    assert stats["total"]["share_within_target"] == pytest.approx(1 / 3)
    by_owner = {g["key"]: g for g in stats["by_owner"]}
    assert by_owner["kam1"]["overdue"] == 1 and by_owner["kam2"]["within_target"] == 0
    only = kam1.get("/api/requests/stats/", {"account": world["shared"].pk}).json()
    assert only["total"]["received"] == 1 and [g["label"] for g in only["by_account"]] == [
        "Shared Stores"
    ]
    hidden = _api(users["kam2"]).get("/api/requests/stats/", {"account": world["own"].pk})
    assert hidden.json()["total"]["received"] == 0

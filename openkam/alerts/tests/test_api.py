import datetime as dt

import pytest
from rest_framework.test import APIClient

from openkam.alerts.models import AlertStatus

from .conftest import TODAY, make_alert

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(users):
    def _api(username):
        client = APIClient()
        client.force_authenticate(users[username])
        return client

    return _api


def test_list_and_filters(api, world, alert):
    make_alert(world["foreign"], cause="f")
    make_alert(world["own"], cause="r", rule="tender_lost", status="resolved", resolved_note="x")
    body = api("kam1").get("/api/alerts/").json()
    assert {row["account"] for row in body["results"]} == {world["own"].pk}
    row = next(r for r in body["results"] if r["id"] == alert.pk)
    assert row["text"].startswith("No purchase since") and row["playbook"]
    assert row["rule_label"] == "Overdue against its own rhythm"
    awake = api("kam1").get("/api/alerts/", {"status": "awake"}).json()
    assert [r["id"] for r in awake["results"]] == [alert.pk]
    assert api("director").get("/api/alerts/", {"mine": "true"}).json()["count"] == 3
    assert api("kam1").get("/api/alerts/", {"rule": "bogus"}).status_code == 400


def test_actions(api, alert):
    client = api("kam1")
    base = f"/api/alerts/{alert.pk}"
    assert client.post(f"{base}/acknowledge/").json()["status"] == AlertStatus.ACKNOWLEDGED
    assert client.post(f"{base}/snooze/", {}).status_code == 400
    assert client.post(f"{base}/snooze/", {"until": TODAY.isoformat()}).status_code == 400
    until = (TODAY + dt.timedelta(days=3)).isoformat()
    snoozed = client.post(f"{base}/snooze/", {"until": until}).json()
    assert (snoozed["status"], snoozed["snoozed_until"], snoozed["awake"]) == (
        "snoozed",
        until,
        False,
    )
    assert client.post(f"{base}/resolve/", {"note": ""}).status_code == 400
    assert client.post(f"{base}/resolve/", {"note": "Met the buyer"}).json()["status"] == "resolved"
    assert client.post(f"{base}/acknowledge/").status_code == 400  # resolved already


def test_permissions(api, world, alert):
    foreign = make_alert(world["foreign"], cause="f")
    assert api("kam1").post(f"/api/alerts/{foreign.pk}/acknowledge/").status_code == 404
    assert api("viewer").post(f"/api/alerts/{alert.pk}/acknowledge/").status_code == 403
    assert api("viewer").get(f"/api/alerts/{alert.pk}/").status_code == 200
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN

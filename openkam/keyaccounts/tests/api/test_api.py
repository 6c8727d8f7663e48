import pytest
from rest_framework.test import APIClient

from openkam.accounts.models import Account, AccountStatus, TeamRole
from openkam.keyaccounts.models import (
    Handover,
    KeyAccountTypeAssignment,
    NominationDecision,
    QualificationWeights,
)
from openkam.keyaccounts.services import account_type_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(users):
    def _as(username: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(users[username])
        return client

    return _as


def test_nominate_through_the_api(api, users, candidate):
    answer = api("director").post(
        "/api/nominations/",
        {
            "account": candidate.pk,
            "kind": "nominate",
            "owner": "kam1",
            "support": ["kam2"],
            "reason": "Regional leader",
            "decided_on": "2025-03-01",
        },
        format="json",
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["kind"] == "nominate"
    assert (body["owner"], body["decided_by"], body["decided_on"]) == (
        "kam1",
        "director",
        "2025-03-01",
    )
    assert body["account_name"] == "Chao Phraya Retail"
    assert body["previous_status"] == "active"
    candidate.refresh_from_db()
    assert candidate.status == AccountStatus.KEY
    assert candidate.team.get(user__username="kam2").role == TeamRole.SUPPORT
    listed = api("kam1").get("/api/nominations/", {"account": candidate.pk}).json()
    assert listed["count"] == 1
    assert api("kam2").get(f"/api/nominations/{body['id']}/").status_code == 200  # support
    assert api("kam1").get("/api/nominations/", {"kind": "denominate"}).json()["count"] == 0


def test_nominate_needs_an_owner_and_says_why_it_refuses(api, users, world, candidate):
    director = api("director")
    no_owner = director.post(
        "/api/nominations/",
        {"account": candidate.pk, "kind": "nominate", "reason": "R"},
        format="json",
    )
    assert no_owner.status_code == 400
    assert "owner" in no_owner.json()
    already = director.post(
        "/api/nominations/",
        {"account": world["own"].pk, "kind": "nominate", "owner": "kam1", "reason": "R"},
        format="json",
    )
    assert already.status_code == 400
    assert "already a key account" in str(already.json())
    users["kam1"].max_key_accounts = 1
    users["kam1"].save()
    full = director.post(
        "/api/nominations/",
        {"account": candidate.pk, "kind": "nominate", "owner": "kam1", "reason": "R"},
        format="json",
    )
    assert full.status_code == 400
    assert "already looks after" in full.json()["owner"][0]
    forced = director.post(
        "/api/nominations/",
        {
            "account": candidate.pk,
            "kind": "nominate",
            "owner": "kam1",
            "reason": "R",
            "override_capacity": True,
        },
        format="json",
    )
    assert forced.status_code == 201
    assert forced.json()["capacity_override"] is True


def test_denominate_through_the_api(api, world):
    answer = api("admin").post(
        "/api/nominations/",
        {"account": world["foreign"].pk, "kind": "denominate", "reason": "Volume halved"},
        format="json",
    )
    assert answer.status_code == 201
    assert answer.json()["owner"] == "kam2"
    assert Account.objects.get(pk=world["foreign"].pk).status == AccountStatus.ACTIVE


def test_kams_cannot_nominate(api, prospect):
    answer = api("kam1").post(
        "/api/nominations/",
        {"account": prospect.pk, "kind": "nominate", "owner": "kam1", "reason": "R"},
        format="json",
    )
    assert answer.status_code == 403
    assert not NominationDecision.objects.exists()


def test_types_three_ps_and_ratings(api, world):
    kam = api("kam1")
    own = world["own"].pk
    typed = kam.post(
        "/api/key-account-types/",
        {"account": own, "type": "supporter", "reason": "12 % of revenue"},
        format="json",
    )
    assert typed.status_code == 201
    assert typed.json()["set_by"] == "kam1"
    answered = kam.post(
        "/api/three-ps/",
        {"account": own, "criterion": "need", "answer": "yes", "evidence": "RFQ"},
        format="json",
    )
    assert answered.status_code == 201 and answered.json()["assessed_by"] == "kam1"
    no_evidence = kam.post(
        "/api/three-ps/", {"account": own, "criterion": "solvency", "answer": "no"}, format="json"
    )
    assert no_evidence.status_code == 400 and "evidence" in no_evidence.json()
    rated = kam.post(
        "/api/qualification-ratings/",
        {"account": own, "criterion": "fit", "score": 5, "comment": "Whole range"},
        format="json",
    )
    assert rated.status_code == 201 and rated.json()["rated_by"] == "kam1"
    too_high = kam.post(
        "/api/qualification-ratings/",
        {"account": own, "criterion": "fit", "score": 6, "comment": "x"},
        format="json",
    )
    assert too_high.status_code == 400
    foreign = kam.post(
        "/api/key-account-types/",
        {"account": world["foreign"].pk, "type": "expert", "reason": "R"},
        format="json",
    )
    assert foreign.status_code == 400  # an account you cannot see does not exist for you
    assert api("marketing").get("/api/key-account-types/").json()["count"] == 1
    assert api("kam2").get("/api/three-ps/", {"account": own}).json()["count"] == 0
    assert (
        api("viewer").get("/api/qualification-ratings/", {"criterion": "fit"}).json()["count"] == 1
    )


def test_type_history_is_listed_newest_first(api, users, world):
    for kind in ("prospective", "supporter"):
        account_type_set(actor=users["kam1"], account=world["own"], type=kind, reason="R")
    body = api("director").get("/api/key-account-types/", {"account": world["own"].pk}).json()
    assert [r["type"] for r in body["results"]] == ["supporter", "prospective"]
    assert KeyAccountTypeAssignment.objects.count() == 2


def test_weights(api):
    current = api("viewer").get("/api/qualification-weights/current/").json()
    assert current["id"] is None and current["fit"] == 1 and current["set_by"] is None
    director = api("director")
    zeros = dict.fromkeys(
        ["fit", "relationship", "culture", "repurchase_frequency", "volume", "price_discipline"], 0
    )
    assert director.post("/api/qualification-weights/", zeros, format="json").status_code == 400
    assert (
        director.post("/api/qualification-weights/", {"fit": -1}, format="json").status_code == 400
    )
    saved = director.post(
        "/api/qualification-weights/", {**zeros, "volume": 3, "note": "Volume"}, format="json"
    )
    assert saved.status_code == 201
    assert saved.json()["set_by"] == "director"
    current = api("kam1").get("/api/qualification-weights/current/").json()
    assert (current["volume"], current["fit"]) == (3, 0)
    assert (
        api("kam1").post("/api/qualification-weights/", {"fit": 2}, format="json").status_code
        == 403
    )
    assert QualificationWeights.objects.count() == 1
    assert api("kam1").get("/api/qualification-weights/").json()["count"] == 1


def test_handover_through_the_api(api, world):
    answer = api("director").post(
        "/api/handovers/",
        {"account": world["own"].pk, "owner": "kam2", "note": "Tender in March"},
        format="json",
    )
    assert answer.status_code == 201
    body = answer.json()
    assert (body["from_owner"], body["to_owner"], body["note"]) == (
        "kam1",
        "kam2",
        "Tender in March",
    )
    assert api("kam1").get("/api/handovers/", {"owner": "kam1"}).json()["count"] == 1  # support now
    assert (
        api("kam1")
        .post(
            "/api/handovers/",
            {"account": world["own"].pk, "owner": "kam1", "note": "back"},
            format="json",
        )
        .status_code
        == 403
    )
    assert Handover.objects.count() == 1


def test_workload(api, users, world):
    users["kam2"].max_key_accounts = 2
    users["kam2"].save()
    rows = {r["username"]: r for r in api("viewer").get("/api/workload/").json()}
    assert rows["kam2"]["key_accounts"] == 3
    assert rows["kam2"]["headroom"] == -1 and rows["kam2"]["over_capacity"] is True
    assert {a["name"] for a in rows["kam2"]["accounts"]} == {
        "Own Mart Vietnam",
        "Foreign Foods",
        "Shared Stores",
    }
    assert rows["kam1"]["max_key_accounts"] is None and rows["kam1"]["headroom"] is None
    assert api("kam1").get("/api/workload/").status_code == 403
    assert APIClient().get("/api/workload/").status_code == 401


@pytest.mark.parametrize(
    "url",
    ["/api/nominations/", "/api/key-account-types/", "/api/three-ps/", "/api/handovers/"],
)
def test_an_impossible_account_id_is_invalid_input(api, url):
    assert api("director").get(url, {"account": "9" * 30}).status_code == 400

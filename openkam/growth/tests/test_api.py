from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from openkam.growth.models import GrowthOpportunity, OpportunityKind, WalletEstimate
from openkam.growth.sync import opportunities_sync

YEAR = timezone.localdate().year


@pytest.fixture
def suggested(portfolio):
    opportunities_sync(portfolio)
    return {o.kind: o for o in GrowthOpportunity.objects.all()}


def test_list_filters_and_hides_unseen_similar_accounts(login, world, suggested):
    client = login("kam1")
    rows = client.get("/api/opportunities/?kind=cross_sell").json()["results"]
    assert [(r["account_name"], r["category_name"]) for r in rows] == [("Own Mart", "Drinks")]
    assert rows[0]["why"]["similar"] == [world["shared"].pk]  # Foreign Foods: not kam1's
    assert client.get("/api/opportunities/?status=nonsense").status_code == 400


def test_accept_and_dismiss(login, suggested):
    client = login("kam1")
    up, cross = suggested[OpportunityKind.UP_SELL], suggested[OpportunityKind.CROSS_SELL]
    accepted = client.post(
        f"/api/opportunities/{up.pk}/accept/", {"expected_value": "950.00"}, "application/json"
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert accepted.json()["expected_value"] == "950.00"
    refused = client.post(f"/api/opportunities/{cross.pk}/dismiss/", {}, "application/json")
    assert refused.status_code == 400
    dismissed = client.post(
        f"/api/opportunities/{cross.pk}/dismiss/",
        {"reason": "Not their format"},
        "application/json",
    )
    assert dismissed.json()["dismissed_reason"] == "Not their format"
    no_plan = client.post(
        f"/api/opportunities/{up.pk}/accept/", {"add_to_plan": True}, "application/json"
    )
    assert no_plan.status_code == 400
    viewer = login("viewer").post(
        f"/api/opportunities/{up.pk}/dismiss/", {"reason": "x"}, "application/json"
    )
    assert viewer.status_code == 403


def test_share_of_wallet_and_estimates(login, world, categories, portfolio):
    client = login("kam1")
    created = client.post(
        "/api/share-of-wallet/estimates/",
        {"account": world["own"].pk, "category": categories["Dairy"].pk, "year": YEAR,
         "estimated_spend": "20000.00"},
        "application/json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    body = client.get(f"/api/share-of-wallet/?account={world['own'].pk}&year={YEAR}").json()
    dairy = next(c for c in body["categories"] if c["category_name"] == "Dairy")
    assert dairy["ours"] == "5000.00" and dairy["share"] == 0.25 and dairy["headroom"] == "15000.00"
    assert body["total_estimate"] == "20000.00" and body["share"] == 0.25
    snacks = next(c for c in body["categories"] if c["category_name"] == "Snacks")
    assert snacks["estimate"] is None and snacks["headroom"] is None
    estimate = WalletEstimate.objects.get()
    patched = client.patch(
        f"/api/share-of-wallet/estimates/{estimate.pk}/",
        {"estimated_spend": "10000.00"},
        "application/json",
    )
    assert patched.status_code == 200
    assert WalletEstimate.objects.get().estimated_spend == Decimal(10000)
    assert client.get(f"/api/share-of-wallet/?account={world['foreign'].pk}").status_code == 404
    assert client.get("/api/share-of-wallet/?account=abc").status_code == 400
    assert client.get("/api/share-of-wallet/").status_code == 400

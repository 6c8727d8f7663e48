from __future__ import annotations

from django.urls import reverse

from openkam.winback.models import Campaign, CampaignAccount


def test_the_win_back_list_with_the_pages_filters(client, users, lost_world):
    client.force_login(users["kam1"])
    rows = client.get(reverse("api:win-back")).json()["results"]
    assert [(r["account_name"], r["state"]) for r in rows] == [
        ("Shared Stores", "shrinking"),
        ("Own Mart", "lost"),
    ]
    assert rows[1]["margin_at_stake"] == "20000.00" and rows[1]["is_key"] is True
    lost = client.get(reverse("api:win-back"), {"state": "lost"}).json()["results"]
    assert [r["account_name"] for r in lost] == ["Own Mart"]
    assert client.get(reverse("api:win-back"), {"reason": "nonsense"}).status_code == 400


def test_create_a_campaign_with_accounts_and_read_its_results(client, users, lost_world):
    client.force_login(users["kam1"])
    body = {
        "name": "Come back",
        "offer_kind": "special_offer",
        "budget": "200.00",
        "starts_on": "2026-07-01",
        "ends_on": "2026-07-31",
        "accounts": [lost_world["own"].pk, lost_world["shared"].pk],
    }
    created = client.post(reverse("api:campaign-list"), body, content_type="application/json")
    assert created.status_code == 201, created.content
    campaign = Campaign.objects.get(name="Come back")
    assert created.json()["results"] is None or created.json()["results"]["accounts"] == 2
    accounts = client.get(reverse("api:campaign-accounts", args=[campaign.pk])).json()
    assert [(a["account_name"], a["offer_cost"]) for a in accounts] == [
        ("Own Mart", "100.00"),
        ("Shared Stores", "100.00"),
    ]
    detail = client.get(reverse("api:campaign-detail", args=[campaign.pk])).json()
    assert detail["results"]["accounts"] == 2 and detail["results"]["regained"] == 0
    kinds = client.get(reverse("api:campaign-results")).json()
    assert [(k["offer_kind"], k["accounts"]) for k in kinds] == [("special_offer", 2)]


def test_an_invalid_campaign_says_what_to_fix(client, users, lost_world):
    client.force_login(users["kam1"])
    body = {
        "name": "Backwards",
        "offer_kind": "gift",
        "starts_on": "2026-07-31",
        "ends_on": "2026-07-01",
    }
    response = client.post(reverse("api:campaign-list"), body, content_type="application/json")
    assert response.status_code == 400
    assert "ends before it starts" in response.json()["ends_on"][0]


def test_the_account_team_sets_a_campaign_accounts_status(client, users, campaign):
    client.force_login(users["kam1"])
    target = campaign.targets.get()
    url = reverse("api:campaignaccount-detail", args=[target.pk])
    answer = client.patch(url, {"status": "accepted"}, content_type="application/json")
    assert answer.status_code == 200
    assert CampaignAccount.objects.get(pk=target.pk).status == "accepted"
    client.force_login(users["kam2"])
    assert (
        client.patch(url, {"status": "declined"}, content_type="application/json").status_code
        == 404
    )


def test_odd_query_parameters_are_refused_not_crashed(client, users, lost_world, campaign):
    client.force_login(users["director"])
    for params in (
        {"segment": "99999999999999999999"},
        {"competitor": "0"},
        {"country": "XX"},
        {"order": "sideways"},
        {"key": "maybe"},
    ):
        assert client.get(reverse("api:win-back"), params).status_code == 400, params
    assert client.get(reverse("api:win-back"), {"ordering": "-clv"}).status_code == 200
    huge = {"campaign": "99999999999999999999"}
    assert client.get(reverse("api:campaignaccount-list"), huge).status_code == 400
    body = {
        "name": "X",
        "offer_kind": "gift",
        "starts_on": "2026-07-01",
        "ends_on": "2026-07-02",
        "accounts": [99999999999999999999],
    }
    response = client.post(reverse("api:campaign-list"), body, content_type="application/json")
    assert response.status_code == 400
    url = reverse("api:campaign-accounts", args=[campaign.pk])
    taken = {"accounts": [lost_world["own"].pk]}  # in the campaign already
    assert client.post(url, taken, content_type="application/json").status_code == 400


def test_filters_work_before_any_analysis(client, users, world):
    client.force_login(users["kam1"])
    response = client.get(reverse("api:win-back"), {"key": "true", "reason": "price"})
    assert response.status_code == 200 and response.json()["results"] == []
    assert client.get(reverse("winback:list"), {"key": "true", "owner": "kam1"}).status_code == 200

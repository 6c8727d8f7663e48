from __future__ import annotations

import pytest
import vobject
from django.urls import reverse

from openkam.marketing.models import TargetList

pytestmark = pytest.mark.django_db


def test_target_lists_through_the_api(login, world):
    client = login("marketing")
    made = client.post(
        reverse("api:targetlist-list"),
        {"name": "Experts", "kind": "rule", "tier": 2, "rule_status": "key", "rule_country": "TH"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    members = client.get(reverse("api:targetlist-members", args=[pk])).json()
    assert [m["name"] for m in members["results"]] == ["Foreign Foods", "Own Mart", "Shared Stores"]
    frozen = client.post(reverse("api:targetlist-freeze", args=[pk]), {}, "application/json")
    assert frozen.status_code == 201 and frozen.json()["kind"] == "static"
    static = frozen.json()["id"]
    removed = client.post(
        reverse("api:targetlist-remove-members", args=[static]),
        {"accounts": [world["shared"].pk]},
        content_type="application/json",
    )
    assert removed.status_code == 200
    assert TargetList.objects.get(pk=static).accounts.count() == 2
    unknown = client.post(
        reverse("api:targetlist-add-members", args=[static]),
        {"accounts": [2**40]},
        content_type="application/json",
    )
    assert unknown.status_code == 404
    bad = client.post(
        reverse("api:targetlist-list"),
        {"name": "Bad", "kind": "rule", "rule_country": "XX"},
        content_type="application/json",
    )
    assert bad.status_code == 400


def test_the_vcard_actions_answer_text_vcard(login, world, static_list):
    client = login("viewer")
    response = client.get(
        reverse("api:targetlist-vcard", args=[static_list.pk]), {"version": "4.0"}
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/vcard")
    cards = list(vobject.readComponents(b"".join(response.streaming_content).decode()))
    assert {c.version.value for c in cards} == {"4.0"} and len(cards) == 2
    wrong = client.get(reverse("api:targetlist-vcard", args=[static_list.pk]), {"version": "2.1"})
    assert wrong.status_code == 400
    one = client.get(reverse("api:stakeholder-vcard", args=[world["own_person"].pk]))
    assert vobject.readOne(b"".join(one.streaming_content).decode()).fn.value == "Buyer of Own Mart"


def test_programmes_with_steps_touches_and_engagement(login, world, static_list):
    client = login("marketing")
    both = client.post(
        reverse("api:programme-list"),
        {
            "name": "X",
            "account": world["own"].pk,
            "target_list": static_list.pk,
            "starts_on": "2026-01-01",
        },
        content_type="application/json",
    )
    assert both.status_code == 400 and "exactly one" in both.content.decode()
    made = client.post(
        reverse("api:programme-list"),
        {
            "name": "Launch",
            "account": world["own"].pk,
            "starts_on": "2026-01-01",
            "sales_owner": "kam1",
        },
        content_type="application/json",
    ).json()
    kam = login("kam1")
    step = kam.post(
        reverse("api:programmestep-list"),
        {"programme": made["id"], "kind": "event", "title": "Tasting", "on": "2026-02-02"},
        content_type="application/json",
    )
    assert step.status_code == 201, step.content
    touch = kam.post(
        reverse("api:touch-list"),
        {"step": step.json()["id"], "stakeholder": world["own_person"].pk, "kind": "attended"},
        content_type="application/json",
    )
    assert touch.status_code == 201 and touch.json()["on"] == "2026-02-02"
    detail = kam.get(reverse("api:programme-detail", args=[made["id"]])).json()
    assert [s["title"] for s in detail["steps"]] == ["Tasting"]
    engagement = kam.get(reverse("api:programme-engagement", args=[made["id"]])).json()
    [person] = engagement["people"]
    assert person["touches"] == {str(step.json()["id"]): ["attended"]} and person["score"] == 3
    assert engagement["accounts"][0]["score"] == 3

from __future__ import annotations

import io

import pytest
import vobject
from django.urls import reverse
from openpyxl import load_workbook

from openkam.accounts.models import Account
from openkam.marketing import services
from openkam.marketing.models import Programme, TargetList

pytestmark = pytest.mark.django_db


def _many_accounts(users, count: int) -> list[Account]:
    return [
        Account.objects.create(name=f"Chain {n:02d}", status="key", country="TH")
        for n in range(count)
    ]


def test_the_list_index_shows_tiers_in_few_queries(
    login, users, static_list, django_assert_max_num_queries
):
    client = login("viewer")
    for n in range(5):
        services.targetlist_create(
            actor=users["marketing"], kind="rule", data={"name": f"Rule {n}", "rule_status": "key"}
        )
    with django_assert_max_num_queries(8):
        response = client.get(reverse("marketing:lists"))
    assert response.status_code == 200
    assert "Launch accounts" in response.content.decode()


def test_the_members_page_and_its_export(
    login, users, world, metrics, django_assert_max_num_queries
):
    actor = users["marketing"]
    rule = services.targetlist_create(
        actor=actor,
        kind="rule",
        data={"name": "Key in TH", "rule_status": "key", "rule_country": "TH"},
    )
    _many_accounts(users, 60)
    client = login("marketing")
    url = reverse("marketing:list_detail", args=[rule.pk])
    with django_assert_max_num_queries(16):
        response = client.get(url)
    page = response.content.decode()
    assert "63 accounts" in page and "Chain 00" in page and "Page 1 of 2" in page
    with django_assert_max_num_queries(16):
        assert client.get(url, {"page": 2}).status_code == 200
    export = client.get(url, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 64  # the header and 63 accounts
    own = next(r for r in rows if r[0] == "Own Mart")
    assert own[6] == "A" and own[7] == "Red"


def test_a_list_is_made_and_accounts_added_from_the_page(login, users, world):
    client = login("marketing")
    response = client.post(
        reverse("marketing:list_create"),
        {"kind": "static", "name": "Image makers", "tier": 1, "owner": users["marketing"].pk},
    )
    made = TargetList.objects.get(name="Image makers")
    assert response.status_code == 302 and response["Location"] == made.get_absolute_url()
    client.post(reverse("marketing:member_add", args=[made.pk]), {"account": world["own"].pk})
    assert list(made.accounts.values_list("name", flat=True)) == ["Own Mart"]
    bad = client.post(reverse("marketing:list_create"), {"kind": "rule", "name": "Nothing"})
    assert bad.status_code == 400 and "at least one criterion" in bad.content.decode()


def test_the_contact_cards_download_and_print(login, static_list):
    client = login("viewer")
    response = client.get(reverse("marketing:list_vcard", args=[static_list.pk]))
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert 'filename="contacts.vcf"' in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    names = [card.fn.value for card in vobject.readComponents(text)]
    assert names == ["Buyer of Foreign Foods", "Buyer of Own Mart"]
    cards = client.get(reverse("marketing:list_cards", args=[static_list.pk])).content.decode()
    assert cards.count('class="contact-card"') == 2 and "@media print" in cards


def test_one_stakeholders_card(login, world):
    client = login("kam1")
    own = client.get(reverse("marketing:stakeholder_vcard", args=[world["own_person"].pk]))
    card = vobject.readOne(b"".join(own.streaming_content).decode())
    assert card.fn.value == "Buyer of Own Mart"
    foreign = client.get(reverse("marketing:stakeholder_vcard", args=[world["foreign_person"].pk]))
    assert foreign.status_code == 404


def test_the_programme_page_and_its_engagement_table(login, users, world, programme):
    services.touch_create(
        actor=users["kam1"],
        step=programme.steps.get(title="Trade show"),
        stakeholder=world["own_person"],
        data={"kind": "attended"},
    )
    client = login("kam1")
    page = client.get(reverse("marketing:programme_detail", args=[programme.pk])).content.decode()
    assert "Trade show" in page and "Buyer of Own Mart" in page and "Attended" in page
    response = client.post(
        reverse("marketing:touch_create", args=[programme.pk]),
        {
            "step": programme.steps.get(title="Store walk").pk,
            "stakeholder": world["own_person"].pk,
            "kind": "met",
        },
    )
    assert response.status_code == 302
    assert programme.steps.get(title="Store walk").touches.count() == 1


def test_the_programme_index_in_few_queries(login, users, world, django_assert_max_num_queries):
    for n in range(10):
        services.programme_create(
            actor=users["marketing"],
            data={"name": f"P{n}", "account": world["own"], "starts_on": "2026-01-01"},
        )
    client = login("kam1")
    with django_assert_max_num_queries(8):
        page = client.get(reverse("marketing:programmes")).content.decode()
    assert page.count("/marketing/programmes/") >= 10
    assert Programme.objects.count() == 10

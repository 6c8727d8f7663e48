"""The Growth tab, the list across accounts and its export."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from openkam.growth import services
from openkam.growth.models import GrowthOpportunity, OpportunityKind
from openkam.growth.sync import opportunities_sync

YEAR = timezone.localdate().year


@pytest.fixture
def suggested(portfolio):
    opportunities_sync(portfolio)
    return {o.kind: o for o in GrowthOpportunity.objects.all()}


def test_the_tab_explains_each_suggestion_and_names_only_visible_accounts(login, world, suggested):
    page = login("kam1").get(reverse("growth:account", args=[world["own"].pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Drinks" in html and "Snacks" in html
    assert "Shared Stores" in html  # kam1 supports it: named
    assert "Foreign Foods" not in html  # kam2's alone: counted, not named
    assert "1 account you do not see" in html
    assert "100%" in html.replace("\xa0", "").replace(" ", "")


def test_accept_and_dismiss_through_the_tab(login, world, suggested):
    client = login("kam1")
    up, cross = suggested[OpportunityKind.UP_SELL], suggested[OpportunityKind.CROSS_SELL]
    response = client.post(reverse("growth:accept", args=[up.pk]), {"expected_value": "900"})
    assert response.status_code == 302
    client.post(reverse("growth:dismiss", args=[cross.pk]), {"reason": "They brew their own"})
    up.refresh_from_db()
    cross.refresh_from_db()
    assert up.status == "accepted" and up.expected_value == Decimal(900)
    assert cross.status == "dismissed"
    html = client.get(reverse("growth:account", args=[world["own"].pk])).content.decode()
    assert "They brew their own" in html


def test_dismissing_without_a_reason_changes_nothing(login, suggested):
    cross = suggested[OpportunityKind.CROSS_SELL]
    login("kam1").post(reverse("growth:dismiss", args=[cross.pk]), {"reason": ""})
    cross.refresh_from_db()
    assert cross.status == "suggested"


def test_the_list_is_the_kams_own_and_the_directors_all(login, world, users, portfolio, categories):
    opportunities_sync(portfolio)
    GrowthOpportunity.objects.create(
        account=world["foreign"], category=categories["Frozen"], kind="cross_sell",
        expected_revenue=Decimal(50), as_of=portfolio.as_of,
    )  # fmt: skip
    kam = login("kam1").get(reverse("growth:list")).content.decode()
    assert "Own Mart" in kam and "Foreign Foods" not in kam
    director = login("director").get(reverse("growth:list") + "?kind=cross_sell")
    html = director.content.decode()
    assert "Foreign Foods" in html and "Snacks" not in html


def test_the_list_exports_to_excel(login, suggested):
    response = login("director").get(reverse("growth:list") + "?format=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="opportunities-')


def test_the_list_takes_a_fixed_number_of_queries(
    login, world, portfolio, categories, django_assert_max_num_queries
):
    opportunities_sync(portfolio)
    for category in categories.values():
        for key in ("foreign", "shared", "own_sub"):
            GrowthOpportunity.objects.create(
                account=world[key], category=category, kind="up_sell",
                expected_revenue=Decimal(10), as_of=portfolio.as_of, why={"band": 1},
            )  # fmt: skip
    client = login("director")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("growth:list")).status_code == 200


def test_share_of_wallet_per_category_with_headroom(login, users, world, categories, portfolio):
    services.wallet_estimate_create(
        actor=users["kam1"],
        account=world["own"],
        data={"category": categories["Dairy"], "year": YEAR, "estimated_spend": Decimal(20000)},
    )
    html = login("kam1").get(reverse("growth:account", args=[world["own"].pk])).content.decode()
    assert "25%" in html.replace("\xa0", "").replace(" ", "")  # 5,000 of 20,000
    assert "15,000" in html  # the headroom


def test_the_rule_button_estimates_the_rest(login, world, portfolio):
    client = login("kam1")
    response = client.post(reverse("growth:estimate_rule", args=[world["own"].pk]))
    assert response.status_code == 302
    html = client.get(reverse("growth:account", args=[world["own"].pk])).content.decode()
    assert "Estimated by the rule" in html


def test_the_plan_shows_the_share_from_the_category_estimates(
    login, users, world, categories, portfolio
):
    from openkam.plans import services as plan_services

    plan = plan_services.account_plan_create(actor=users["kam1"], account=world["own"], year=YEAR)
    services.wallet_estimate_create(
        actor=users["kam1"],
        account=world["own"],
        data={"category": categories["Dairy"], "year": YEAR, "estimated_spend": Decimal(20000)},
    )
    html = login("kam1").get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "From the category estimates" in html

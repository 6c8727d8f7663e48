"""Deciding on suggestions and estimating the wallet."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from openkam.core.models import ChangeLogEntry
from openkam.growth import services
from openkam.growth.models import GrowthOpportunity, OpportunityKind, WalletEstimate, WalletSource
from openkam.growth.sync import opportunities_sync
from openkam.plans import services as plan_services

YEAR = timezone.localdate().year


@pytest.fixture
def suggested(portfolio):
    opportunities_sync(portfolio)
    return {o.kind: o for o in GrowthOpportunity.objects.select_related("account", "category")}


def test_accepting_without_a_value_takes_the_suggested_revenue(users, suggested):
    up = suggested[OpportunityKind.UP_SELL]
    services.opportunity_accept(actor=users["kam1"], opportunity=up)
    up.refresh_from_db()
    assert up.status == "accepted" and up.expected_value == Decimal("1700.00")
    assert up.decided_by == users["kam1"] and up.plan_action is None
    assert ChangeLogEntry.objects.filter(object_id=str(up.pk)).exists()


def test_accepting_into_the_plan_makes_an_action_under_a_growth_objective(users, world, suggested):
    plan = plan_services.account_plan_create(actor=users["kam1"], account=world["own"], year=YEAR)
    cross = suggested[OpportunityKind.CROSS_SELL]
    services.opportunity_accept(
        actor=users["kam1"], opportunity=cross, expected_value=Decimal(800), add_to_plan=True
    )
    cross.refresh_from_db()
    action = cross.plan_action
    assert action.objective.plan == plan and action.owner == users["kam1"]
    assert action.title == "Sell Drinks"
    up = suggested[OpportunityKind.UP_SELL]
    services.opportunity_accept(actor=users["kam1"], opportunity=up, add_to_plan=True)
    up.refresh_from_db()
    assert up.plan_action.objective == action.objective  # one growth objective per plan


def test_accepting_into_a_plan_that_does_not_exist_says_so(users, suggested):
    with pytest.raises(ValidationError) as error:
        services.opportunity_accept(
            actor=users["kam1"], opportunity=suggested[OpportunityKind.UP_SELL], add_to_plan=True
        )
    assert "add_to_plan" in error.value.message_dict


def test_dismissing_needs_a_reason_and_the_right(users, suggested):
    cross = suggested[OpportunityKind.CROSS_SELL]
    with pytest.raises(ValidationError):
        services.opportunity_dismiss(actor=users["kam1"], opportunity=cross, reason="  ")
    for role in ("kam2", "marketing", "viewer"):
        with pytest.raises(PermissionDenied):
            services.opportunity_dismiss(actor=users[role], opportunity=cross, reason="No")
    services.opportunity_dismiss(actor=users["director"], opportunity=cross, reason="Exclusive")
    services.opportunity_reopen(actor=users["kam1"], opportunity=cross)
    cross.refresh_from_db()
    assert cross.status == "suggested" and cross.dismissed_reason == ""


def test_an_entered_estimate_replaces_the_rules(users, world, categories, portfolio):
    own = world["own"]
    made = services.wallet_estimates_by_rule(actor=users["kam1"], account=own, year=YEAR)
    # Own Mart buys Dairy 5,000 (band median 4,000) and Snacks 300 (median 2,000); its band
    # buys nothing else with 3 buyers or more. No entered estimates: the default share 40 %.
    assert {(e.category.name, e.estimated_spend) for e in made} == {
        ("Dairy", Decimal("12500.00")),  # 5,000 / 0.4
        ("Snacks", Decimal("5000.00")),  # max(300, 2,000) / 0.4
    }
    assert all(e.source == WalletSource.RULE for e in made)
    entered = services.wallet_estimate_create(
        actor=users["kam1"],
        account=own,
        data={"category": categories["Dairy"], "year": YEAR, "estimated_spend": Decimal(10000)},
    )
    rows = WalletEstimate.objects.filter(account=own, year=YEAR).order_by("category__name")
    assert [(e.category.name, e.source) for e in rows] == [("Dairy", "entered"), ("Snacks", "rule")]
    again = services.wallet_estimates_by_rule(actor=users["kam1"], account=own, year=YEAR)
    assert [e.category.name for e in again] == ["Snacks"]  # the entered one is kept
    assert WalletEstimate.objects.get(pk=entered.pk).estimated_spend == Decimal(10000)


def test_the_typical_share_comes_from_three_entered_estimates(users, world, categories, portfolio):
    dairy = categories["Dairy"]
    for key, spend in (("foreign", 8000), ("shared", 10000), ("own_sub", 1)):
        services.wallet_estimate_create(
            actor=users["director"],
            account=world[key],
            data={"category": dairy, "year": YEAR, "estimated_spend": Decimal(spend)},
        )
    # shares: Foreign 4,000/8,000 = 0.5, Shared 3,000/10,000 = 0.3; Own Mart Vietnam buys no
    # Dairy (not counted): two estimates are too few, so the default 40 % still applies
    assert services.typical_shares(YEAR) == {}
    services.wallet_estimate_create(
        actor=users["director"],
        account=world["own"],
        data={"category": dairy, "year": YEAR, "estimated_spend": Decimal(12500)},
    )
    assert services.typical_shares(YEAR) == {dairy.pk: Decimal("0.4")}  # median of .3 .4 .5


def test_estimates_are_the_account_teams(users, world, categories):
    data = {"category": categories["Dairy"], "year": YEAR, "estimated_spend": Decimal(1)}
    for role in ("kam2", "marketing", "viewer"):
        with pytest.raises(PermissionDenied):
            services.wallet_estimate_create(actor=users[role], account=world["own"], data=data)
    with pytest.raises(ValidationError):
        services.wallet_estimate_create(
            actor=users["kam1"], account=world["own"], data={**data, "estimated_spend": -5}
        )

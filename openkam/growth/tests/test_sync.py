"""Suggestions from a snapshot: made, refreshed, kept when decided, removed when gone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from openkam.growth import services
from openkam.growth.models import GrowthOpportunity, OpportunityKind, OpportunityStatus
from openkam.growth.sync import opportunities_sync, similar_buyers

from .conftest import AS_OF, make_snapshot


def _by_key():
    return {
        (o.account.name, o.category.name, o.kind): o
        for o in GrowthOpportunity.objects.select_related("account", "category")
    }


def test_cross_sell_and_up_sell_become_suggestions_with_why(world, portfolio):
    assert opportunities_sync(portfolio) == {"new": 2, "updated": 0, "removed": 0, "decided": 0}
    rows = _by_key()
    cross = rows[("Own Mart", "Drinks", OpportunityKind.CROSS_SELL)]
    assert cross.expected_revenue == Decimal("1234.50") and cross.status == "suggested"
    # Own Mart buys 2 categories; similar = accounts buying at least one of them: Foreign
    # Foods and Shared Stores (2 in common each), not Own Mart Vietnam (0). Both buy Drinks;
    # Shared Stores spent more on it, so it comes first.
    assert cross.why["share"] == 1.0 and cross.why["similar_count"] == 2
    assert cross.why["similar"] == [world["shared"].pk, world["foreign"].pk]
    up = rows[("Own Mart", "Snacks", OpportunityKind.UP_SELL)]
    assert up.expected_revenue == Decimal("1700.00")
    assert up.why == {
        "band": 1, "bands": 10, "band_buyers": 3, "band_median": "2000.00", "spend": "300.00",
    }  # fmt: skip


def test_similar_accounts_need_half_the_categories_in_common(world, categories):
    own, foreign, shared = world["own"], world["foreign"], world["shared"]
    dairy, snacks, drinks, frozen = (categories[k] for k in ("Dairy", "Snacks", "Drinks", "Frozen"))
    snapshot = make_snapshot(
        spend=[
            # own buys 4 categories; foreign shares 2 of them (similar), shared 1 (not)
            (own, dairy, "10", 1, 1, "10", None),
            (own, snacks, "10", 1, 1, "10", None),
            (own, drinks, "10", 1, 1, "10", None),
            (own, frozen, "10", 1, 1, "10", None),
            (foreign, dairy, "10", 1, 1, "10", None),
            (foreign, snacks, "10", 1, 1, "10", None),
            (shared, dairy, "10", 1, 1, "10", None),
        ],
        cross_sell=[(foreign, drinks, 0.5, 10.0)],
    )
    why = similar_buyers(snapshot)
    # foreign buys 2: similar are accounts with ≥ 1 in common: own (2) and shared (1); of
    # those only own buys Drinks → 1 of 2
    assert why[(foreign.pk, drinks.pk)] == {
        "share": 0.5, "similar_count": 2, "similar": [own.pk],
    }  # fmt: skip


def test_a_dismissed_suggestion_stays_dismissed_in_later_snapshots(world, users, portfolio):
    opportunities_sync(portfolio)
    cross = GrowthOpportunity.objects.get(kind=OpportunityKind.CROSS_SELL)
    services.opportunity_dismiss(
        actor=users["kam1"], opportunity=cross, reason="They own a brewery"
    )
    up = GrowthOpportunity.objects.get(kind=OpportunityKind.UP_SELL)
    services.opportunity_accept(actor=users["kam1"], opportunity=up, expected_value=Decimal(900))
    later = make_snapshot(
        AS_OF + dt.timedelta(days=31),
        spend=[(world["own"], up.category, "100.00", 1, 3, "2000.00", "1900.00")],
        cross_sell=[(world["own"], cross.category, 0.9, 5000.0)],
    )
    result = opportunities_sync(later)
    assert result == {"new": 0, "updated": 0, "removed": 0, "decided": 2}
    cross.refresh_from_db()
    up.refresh_from_db()
    assert cross.status == OpportunityStatus.DISMISSED and cross.current
    assert cross.dismissed_reason == "They own a brewery"
    assert cross.expected_revenue == Decimal("1234.50")  # the figure it was dismissed on
    assert up.status == OpportunityStatus.ACCEPTED and up.expected_value == Decimal(900)


def test_an_open_suggestion_no_longer_made_is_removed_and_a_decided_one_marked(
    world, users, portfolio
):
    opportunities_sync(portfolio)
    up = GrowthOpportunity.objects.get(kind=OpportunityKind.UP_SELL)
    services.opportunity_accept(actor=users["kam1"], opportunity=up)
    later = make_snapshot(AS_OF + dt.timedelta(days=31))
    assert opportunities_sync(later) == {"new": 0, "updated": 0, "removed": 1, "decided": 1}
    up.refresh_from_db()
    assert not up.current and up.expected_value == Decimal("1700.00")
    assert not GrowthOpportunity.objects.filter(kind=OpportunityKind.CROSS_SELL).exists()


def test_an_older_snapshot_does_not_write_suggestions(world, portfolio):
    older = make_snapshot(AS_OF - dt.timedelta(days=365), cross_sell=[])
    assert opportunities_sync(older) == {"skipped": 1}
    assert not GrowthOpportunity.objects.exists()

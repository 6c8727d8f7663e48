from __future__ import annotations

import datetime as dt
from decimal import Decimal

from openkam.analytics.tests import facts
from openkam.metrics.models import Snapshot
from openkam.metrics.signals import snapshot_done
from openkam.metrics.tests.conftest import publish
from openkam.winback import outcomes, selectors
from openkam.winback.models import CampaignAccount


def _history(world):
    own, shared = world["own"].pk, world["shared"].pk
    publish(
        [
            facts.line(own, "2026-02-28", 999, cost=1),  # before the start: ignored
            facts.line(own, "2026-03-10", 1000, cost=600),  # regained on 10 March
            facts.line(own, "2026-04-30", 500, cost=300),  # the window's last day
            facts.line(own, "2026-05-01", 777),  # after the window: ignored
            facts.line(shared, "2026-01-10", 300),  # shared bought before only
        ]
    )


def test_measure_stores_the_outcome_per_account(users, world, campaign):
    CampaignAccount.objects.create(campaign=campaign, account=world["shared"], offer_cost=100)
    _history(world)
    assert outcomes.measure() == 2
    own = CampaignAccount.objects.get(campaign=campaign, account=world["own"])
    assert own.regained and own.first_purchase == dt.date(2026, 3, 10)
    assert (own.revenue_after, own.margin_after) == (Decimal("1500.00"), Decimal("600.00"))
    assert own.return_on_offer == 0.5  # (600 − 400) / 400
    shared = CampaignAccount.objects.get(campaign=campaign, account=world["shared"])
    assert shared.regained is False and shared.revenue_after == Decimal("0.00")
    assert shared.margin_after is None
    results = selectors.results_by_campaign(user=users["director"], campaigns=[campaign])
    summary = results[campaign.pk]
    assert (summary.accounts, summary.regained, summary.cost) == (2, 1, Decimal("500.00"))
    assert summary.regain_rate == 0.5
    # gain: 600 margin (own) + 0 revenue (shared, no costs): (600 − 500) / 500
    assert summary.return_on_offer == 0.2
    kinds = selectors.results_by_offer_kind(user=users["kam1"])
    assert [(kind, r.accounts) for kind, _label, r in kinds] == [("discount", 2)]


def test_a_kam_sees_the_results_of_their_accounts_only(users, world, campaign):
    CampaignAccount.objects.create(campaign=campaign, account=world["foreign"], offer_cost=100)
    results = selectors.results_by_campaign(user=users["kam1"], campaigns=[campaign])
    assert results[campaign.pk].accounts == 1


def test_without_sales_history_nothing_is_measured(world, campaign):
    assert outcomes.measure() == 0
    assert CampaignAccount.objects.get().regained is None


def test_every_analysis_measures_the_campaigns_again(
    world, campaign, django_capture_on_commit_callbacks
):
    _history(world)
    snapshot = Snapshot.objects.create(as_of=dt.date(2026, 6, 30), reporting_currency="USD")
    with django_capture_on_commit_callbacks(execute=True):
        snapshot_done.send(sender=Snapshot, snapshot=snapshot)
    assert CampaignAccount.objects.get().regained is True

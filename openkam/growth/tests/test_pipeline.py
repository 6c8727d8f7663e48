"""From order lines to suggestions: the analysis stores the account × category table and the
task makes the suggestions from it."""

from __future__ import annotations

import datetime as dt

from openkam.analytics.tests import facts
from openkam.growth.models import CategorySpend, GrowthOpportunity
from openkam.metrics.services import snapshot_create
from openkam.metrics.tests.conftest import publish

AS_OF = dt.date(2026, 6, 30)


def test_an_analysis_ends_with_spend_per_category_and_suggestions(
    world, categories, django_capture_on_commit_callbacks
):
    dairy, snacks, drinks = (categories[k].pk for k in ("Dairy", "Snacks", "Drinks"))
    lines = []
    for month in (1, 2, 3, 4, 5):
        day = dt.date(2026, month, 10)
        for key in ("foreign", "shared"):
            lines.append(facts.line(world[key].pk, day, 1000, category=dairy))
            lines.append(facts.line(world[key].pk, day, 500, category=drinks))
        lines.append(facts.line(world["own"].pk, day, 1000, category=dairy))
        lines.append(facts.line(world["own_sub"].pk, day, 800, category=snacks))
    publish(lines)
    with django_capture_on_commit_callbacks(execute=True):
        snapshot = snapshot_create(as_of=AS_OF)
    spend = {
        (row.account_id, row.category_id): row.revenue
        for row in CategorySpend.objects.filter(snapshot=snapshot)
    }
    assert spend[(world["own"].pk, dairy)] == 5000
    assert spend[(world["foreign"].pk, drinks)] == 2500
    cross = GrowthOpportunity.objects.filter(account=world["own"], category_id=drinks)
    assert cross.get().kind == "cross_sell"
    assert cross.get().why["share"] == 1.0

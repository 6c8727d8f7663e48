"""The demo's two finished campaigns, measured from the generated sales history."""

from __future__ import annotations

import datetime as dt

import pytest

from openkam.accounts.models import Account
from openkam.demo.generator import generate_demo, load_demo
from openkam.demo.winback import load_comeback_orders, load_winback
from openkam.sales.demo_history import load_demo_sales_history
from openkam.winback.models import Campaign, CampaignStep

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 1)


def test_one_campaign_worked_and_one_did_not():
    load_demo(plan=generate_demo(seed=7, accounts=60, today=TODAY))
    load_demo_sales_history(seed=7, lines=20_000, end_date=TODAY)
    comeback = load_comeback_orders(seed=7, today=TODAY)
    assert comeback is not None and comeback.imported > 0 and comeback.rejected == 0
    assert load_winback(seed=7, today=TODAY) > 0
    worked = Campaign.objects.get(name="Come-back discount")
    failed = Campaign.objects.get(name="Welcome-back gift")
    for campaign in (worked, failed):
        assert campaign.window_end < TODAY  # finished
        assert not campaign.targets.filter(measured_at__isnull=True).exists()
    assert worked.targets.filter(regained=True).exists()
    assert not failed.targets.filter(regained=True).exists()
    # lost accounts came back, not only shrinking ones that never stopped buying
    came_back = Account.objects.filter(environment_notes__contains="Came back")
    assert came_back.exists()
    assert worked.targets.filter(regained=True, account__in=came_back).count() == came_back.count()
    regained = worked.targets.filter(regained=True).first()
    assert regained.revenue_after > 0
    assert CampaignStep.objects.filter(campaign_account__campaign=worked).exists()
    count = worked.targets.count() + failed.targets.count()
    assert load_winback(seed=7, today=TODAY) == count  # loaded again: the same, once
    assert Campaign.objects.count() == 2

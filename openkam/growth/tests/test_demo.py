"""The demo's growth plays: suggestions from its analysis, some decided, wallet estimates."""

from __future__ import annotations

import time
from io import StringIO

import pytest
from django.core.management import call_command

from openkam.accounts.models import AccountStatus
from openkam.growth.models import GrowthOpportunity, WalletEstimate
from openkam.sales.demo_history import reset_sales_history

pytestmark = pytest.mark.django_db


def test_the_demo_decides_some_suggestions_and_estimates_key_wallets(monkeypatch):
    from openkam.demo import growth

    timings = []
    original = growth.load_growth

    def timed(**kwargs):
        started = time.perf_counter()
        result = original(**kwargs)
        timings.append(time.perf_counter() - started)
        return result

    monkeypatch.setattr("openkam.demo.management.commands.demo.load_growth", timed)
    try:
        call_command("demo", seed=42, accounts=60, orders=20000, stdout=StringIO())
        statuses = set(GrowthOpportunity.objects.values_list("status", flat=True))
        assert statuses == {"suggested", "accepted", "dismissed"}
        dismissed = GrowthOpportunity.objects.filter(status="dismissed")
        assert all(o.dismissed_reason for o in dismissed)
        assert not GrowthOpportunity.objects.filter(
            status="accepted", expected_value__isnull=True
        ).exists()
        estimates = WalletEstimate.objects.select_related("account")
        assert estimates.exists()
        assert {e.account.status for e in estimates} == {AccountStatus.KEY}
        assert timings and timings[0] < 2.0
    finally:
        reset_sales_history()

"""The demo's sell-out: the retail key accounts' stores over 24 months, imported through the
importer, some growing by shoppers, others by visits or baskets."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.utils import timezone

from openkam.demo.generator import generate_demo, load_demo
from openkam.demo.sellout import MONTHS, load_sellout, retail_key_accounts
from openkam.sellout.models import SelloutMonth, SelloutSummary

pytestmark = pytest.mark.django_db


def test_demo_sellout_grows_by_different_levers():
    today = timezone.localdate()
    load_demo(plan=generate_demo(seed=7, accounts=60, today=today))
    retailers = list(retail_key_accounts())
    assert retailers
    started = time.perf_counter()
    batch = load_sellout(seed=7, today=today)
    assert time.perf_counter() - started < 5
    assert batch.rejected == 0 and batch.imported > 0
    assert set(SelloutSummary.objects.values_list("account_id", flat=True)) == {
        a.pk for a in retailers
    }
    months = SelloutMonth.objects.dates("period", "month")
    assert len(months) == MONTHS and months.last() < today.replace(day=1)
    largest = {
        max(("shoppers", "frequency", "spend"), key=lambda lever: getattr(s, lever))
        for s in SelloutSummary.objects.all()
        if s.change > 0
    }
    if len(retailers) >= 3:
        assert {"shoppers", "frequency"} <= largest
    again = load_sellout(seed=7, today=today)
    assert again.imported == 0 and again.duplicates == batch.imported
    assert isinstance(months.first(), dt.date)

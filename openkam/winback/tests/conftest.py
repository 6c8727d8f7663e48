from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from openkam.metrics.models import AccountMetrics, AccountPeriodMetrics, Snapshot, SnapshotStatus
from openkam.winback.models import Campaign, CampaignAccount

AS_OF = dt.date(2026, 6, 30)


def make_snapshot(rows: dict, as_of: dt.date = AS_OF) -> Snapshot:
    """A finished snapshot with the given accounts' state: account → dict of AccountMetrics
    fields plus `revenue`, `revenue_prev`, `window_revenue`, `window_margin`, `is_key` of the
    year period."""
    snapshot = Snapshot.objects.create(
        as_of=as_of,
        status=SnapshotStatus.DONE,
        finished_at=timezone.now(),
        reporting_currency="USD",
    )
    period_fields = {"revenue", "revenue_prev", "window_revenue", "window_margin", "is_key"}
    for account, values in rows.items():
        state = {k: v for k, v in values.items() if k not in period_fields}
        period = {k: v for k, v in values.items() if k in period_fields}
        AccountMetrics.objects.create(snapshot=snapshot, account=account, **state)
        AccountPeriodMetrics.objects.create(
            snapshot=snapshot, account=account, period="year", **period
        )
    return snapshot


@pytest.fixture
def lost_world(world):
    """`own` (kam1) lost a year ago after 100,000 a year at a 20 % margin; `foreign` (kam2)
    lost with 50,000 at 50 %; `shared` (kam2, kam1 supports) shrank from 80,000 to 30,000 (no
    costs); `own_sub` is fine."""
    make_snapshot(
        {
            world["own"]: {
                "lost": True,
                "lost_since": dt.date(2025, 6, 30),
                "revenue_before_loss": Decimal("100000"),
                "clv": 500.0,
                "window_revenue": Decimal("300000"),
                "window_margin": Decimal("60000"),
                "is_key": True,
            },
            world["foreign"]: {
                "lost": True,
                "lost_since": dt.date(2026, 1, 31),
                "revenue_before_loss": Decimal("50000"),
                "clv": 100.0,
                "window_revenue": Decimal("100000"),
                "window_margin": Decimal("50000"),
            },
            world["shared"]: {
                "shrinking": True,
                "revenue_before_loss": Decimal("30000"),
                "revenue": Decimal("30000"),
                "revenue_prev": Decimal("80000"),
                "window_revenue": Decimal("200000"),
                "clv": 9000.0,
            },
            world["own_sub"]: {"revenue_before_loss": Decimal("1000"), "revenue": Decimal("5")},
        }
    )
    return world


@pytest.fixture
def campaign(users, world):
    """kam1's finished discount campaign for `own` (written directly)."""
    made = Campaign.objects.create(
        name="Spring discount",
        offer_kind="discount",
        budget=Decimal("1000"),
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 3, 31),
        measure_days=30,
        owner=users["kam1"],
    )
    CampaignAccount.objects.create(campaign=made, account=world["own"], offer_cost=Decimal("400"))
    return made

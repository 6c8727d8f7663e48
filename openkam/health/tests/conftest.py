import datetime as dt
from decimal import Decimal

import pytest

from openkam.metrics.models import (
    AccountMetrics,
    AccountPeriodMetrics,
    Period,
    Snapshot,
    SnapshotStatus,
)

AS_OF = dt.date(2026, 6, 30)
USABLE_MODEL = {"usable": True, "bgnbd_check": {"ok": True, "reasons": []}}


def make_snapshot(
    as_of: dt.date = AS_OF, *, model: dict | None = None, accounts: dict | None = None
) -> Snapshot:
    """A finished snapshot with metrics rows, without running the engine. `accounts`:
    account id → dict of AccountMetrics fields plus `revenue` and `growth` (the year)."""
    snapshot = Snapshot.objects.create(
        as_of=as_of,
        status=SnapshotStatus.DONE,
        reporting_currency="THB",
        model=USABLE_MODEL if model is None else model,
    )
    for account_id, values in (accounts or {}).items():
        values = dict(values)
        revenue = values.pop("revenue", 1000)
        growth = values.pop("growth", None)
        AccountMetrics.objects.create(snapshot=snapshot, account_id=account_id, **values)
        AccountPeriodMetrics.objects.create(
            snapshot=snapshot,
            account_id=account_id,
            period=Period.YEAR,
            revenue=Decimal(revenue),
            growth_year_ago=growth,
            revenue_year_ago=None if growth is None else Decimal(revenue) / Decimal(1 + growth),
        )
    return snapshot


@pytest.fixture
def snapshot(world):
    """As of AS_OF: `own` on rhythm and growing, `own_sub` silent three times its rhythm and
    shrinking, `foreign` mid-way, `shared` with one purchase only (no rhythm, no growth)."""
    return make_snapshot(
        accounts={
            world["own"].pk: {
                "days_since_purchase": 10,
                "median_interval": 30,
                "prob_alive": 0.95,
                "revenue": 12000,
                "growth": 0.2,
            },
            world["own_sub"].pk: {
                "days_since_purchase": 90,
                "median_interval": 30,
                "prob_alive": 0.2,
                "revenue": 4000,
                "growth": -0.5,
            },
            world["foreign"].pk: {
                "days_since_purchase": 60,
                "median_interval": 30,
                "prob_alive": 0.6,
                "revenue": 9000,
                "growth": -0.1,
            },
            world["shared"].pk: {"days_since_purchase": 400, "revenue": 0},
        }
    )

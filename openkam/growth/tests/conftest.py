from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from openkam.catalog.models import ProductCategory
from openkam.growth.models import CategorySpend
from openkam.metrics.models import CrossSellOpportunity, Snapshot, SnapshotStatus

AS_OF = dt.date(2026, 6, 30)


@pytest.fixture
def categories(db) -> dict[str, ProductCategory]:
    return {
        name: ProductCategory.objects.create(name=name)
        for name in ("Dairy", "Snacks", "Drinks", "Frozen")
    }


def make_snapshot(
    as_of: dt.date = AS_OF,
    *,
    spend: list[tuple] = (),
    cross_sell: list[tuple] = (),
) -> Snapshot:
    """A finished snapshot without the engine. `spend`: (account, category, revenue, band,
    buyers, median, gap); `cross_sell`: (account, category, affinity, expected revenue)."""
    snapshot = Snapshot.objects.create(
        as_of=as_of,
        status=SnapshotStatus.DONE,
        reporting_currency="THB",
        config={"up_sell_bands": 10},
    )
    CategorySpend.objects.bulk_create(
        CategorySpend(
            snapshot=snapshot,
            account=account,
            category=category,
            revenue=Decimal(revenue),
            size_band=band,
            band_buyers=buyers,
            band_median=Decimal(median),
            gap=None if gap is None else Decimal(gap),
        )
        for account, category, revenue, band, buyers, median, gap in spend
    )
    CrossSellOpportunity.objects.bulk_create(
        CrossSellOpportunity(
            snapshot=snapshot,
            account=account,
            category=category,
            rank=rank,
            affinity=affinity,
            expected_revenue=expected,
        )
        for rank, (account, category, affinity, expected) in enumerate(cross_sell, start=1)
    )
    return snapshot


@pytest.fixture
def portfolio(world, categories):
    """Own Mart buys Dairy and Snacks; Foreign Foods and Shared Stores buy Dairy, Snacks and
    Drinks; Own Mart Vietnam buys Frozen only. Own Mart is offered Drinks (cross-sell) and
    buys little Snacks for its band (up-sell)."""
    own, sub, foreign, shared = (world[k] for k in ("own", "own_sub", "foreign", "shared"))
    dairy, snacks, drinks, frozen = (categories[k] for k in ("Dairy", "Snacks", "Drinks", "Frozen"))
    return make_snapshot(
        spend=[
            (own, dairy, "5000.00", 1, 3, "4000.00", None),
            (own, snacks, "300.00", 1, 3, "2000.00", "1700.00"),
            (foreign, dairy, "4000.00", 1, 3, "4000.00", None),
            (foreign, snacks, "2000.00", 1, 3, "2000.00", None),
            (foreign, drinks, "900.00", 1, 2, "950.00", None),
            (shared, dairy, "3000.00", 1, 3, "4000.00", None),
            (shared, snacks, "2500.00", 1, 3, "2000.00", None),
            (shared, drinks, "1000.00", 1, 2, "950.00", None),
            (sub, frozen, "700.00", 1, 1, "700.00", None),
        ],
        cross_sell=[(own, drinks, 0.8, 1234.5)],
    )

"""A stored snapshot with losses, made directly (no engine run), and loss records on it.

As of 2026-06-30, quarters: `foreign` (kam2) was lost in the latest quarter, `shared` (kam2,
kam1 supports it) in the quarter before and is still lost, `own_sub` (kam2, a subsidiary of
kam1's `own`) was regained in the latest quarter and is shrinking, `own` is healthy.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from openkam.analytics.periods import period_bounds
from openkam.competitors.models import AccountCompetitor, Competitor
from openkam.losses.models import AccountLoss
from openkam.metrics.models import (
    AccountMetrics,
    AccountPeriodMetrics,
    Period,
    SeriesPoint,
    Snapshot,
    SnapshotStatus,
)
from openkam.tenders.models import Tender

AS_OF = dt.date(2026, 6, 30)
WINDOWS = {"month": 12, "quarter": 8, "year": 3}


def make_snapshot(as_of: dt.date = AS_OF) -> Snapshot:
    periods = {
        period: {
            "bounds": [
                [start.isoformat(), end.isoformat()]
                for start, end in (period_bounds(as_of, period, i) for i in range(n))
            ],
            "headline": {},
            "matrix": [],
        }
        for period, n in WINDOWS.items()
    }
    return Snapshot.objects.create(
        as_of=as_of,
        status=SnapshotStatus.DONE,
        finished_at=timezone.now(),  # pages share parsed snapshots by id and finish time
        reporting_currency="THB",
        periods=periods,
    )


def account_rows(snapshot: Snapshot, account, *, period=Period.QUARTER, state=None, flags=None):
    AccountMetrics.objects.create(snapshot=snapshot, account=account, **(state or {}))
    AccountPeriodMetrics.objects.create(
        snapshot=snapshot, account=account, period=period, **(flags or {})
    )


def series_point(snapshot: Snapshot, index: int, *, group="portfolio", key="", **values):
    start, end = period_bounds(snapshot.as_of, Period.QUARTER, index)
    return SeriesPoint.objects.create(
        snapshot=snapshot,
        period=Period.QUARTER,
        group=group,
        key=key,
        index=index,
        start=start,
        end=end,
        **values,
    )


@pytest.fixture
def rivals(db):
    return {
        "a": Competitor.objects.create(name="Rival A"),
        "b": Competitor.objects.create(name="Rival B"),
    }


@pytest.fixture
def losses(world, users, rivals):
    snapshot = make_snapshot()
    account_rows(
        snapshot,
        world["own"],
        state={"first_purchase": dt.date(2024, 1, 10), "revenue_before_loss": Decimal(12000)},
    )
    account_rows(
        snapshot,
        world["foreign"],
        state={
            "lost": True,
            "lost_since": dt.date(2026, 5, 10),
            "revenue_before_loss": Decimal(9000),
        },
        flags={"lost_in_period": True},
    )
    account_rows(
        snapshot,
        world["shared"],
        state={
            "lost": True,
            "lost_since": dt.date(2026, 2, 1),
            "revenue_before_loss": Decimal(4000),
        },
    )
    account_rows(
        snapshot,
        world["own_sub"],
        state={"shrinking": True, "revenue_before_loss": Decimal(3000)},
        flags={"regained_in_period": True},
    )
    series_point(snapshot, 0, lost=1, regained=1, shrinking=1, revenue_lost=Decimal(9000))
    series_point(snapshot, 1, lost=1, revenue_lost=Decimal(4000))
    AccountLoss.objects.create(
        account=world["foreign"],
        lost_on=dt.date(2026, 5, 10),
        reason="price",
        competitor=rivals["a"],
        details="Their prices were 8 % lower",
    )
    AccountLoss.objects.create(
        account=world["shared"], lost_on=dt.date(2026, 2, 1), reason="service"
    )
    Tender.objects.create(
        account=world["foreign"],
        title="Range review 2026",
        status="lost",
        decided_on=dt.date(2026, 4, 20),
        lost_reason="price",
        winner=rivals["a"],
    )
    Tender.objects.create(  # at a healthy account: not a reason for a loss
        account=world["own"],
        title="Private label 2026",
        status="lost",
        decided_on=dt.date(2026, 4, 22),
        lost_reason="quality",
    )
    AccountCompetitor.objects.create(
        account=world["shared"], competitor=rivals["b"], won_account_on=dt.date(2026, 2, 1)
    )
    return snapshot

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from openkam.alerts.models import Alert
from openkam.metrics.models import AccountPeriodMetrics, Period, Snapshot, SnapshotStatus

TODAY = timezone.localdate()


def make_snapshot(as_of: dt.date = TODAY, revenue: dict | None = None) -> Snapshot:
    """A finished snapshot with 12-month revenue per account id (the value at risk)."""
    snapshot = Snapshot.objects.create(
        as_of=as_of, status=SnapshotStatus.DONE, reporting_currency="THB"
    )
    AccountPeriodMetrics.objects.bulk_create(
        AccountPeriodMetrics(
            snapshot=snapshot, account_id=pk, period=Period.YEAR, revenue=Decimal(value)
        )
        for pk, value in (revenue or {}).items()
    )
    return snapshot


def make_alert(account, *, rule="overdue", cause="c1", value=None, as_of=TODAY, **extra) -> Alert:
    return Alert.objects.create(
        account=account,
        rule=rule,
        cause=cause,
        evidence="No purchase since %(last)s.",
        params={"last": "2025-01-31"},
        as_of=as_of,
        value_at_risk=value,
        **extra,
    )


@pytest.fixture
def snapshot(world):
    return make_snapshot(
        revenue={world["own"].pk: 500000, world["foreign"].pk: 900000, world["shared"].pk: 100}
    )


@pytest.fixture
def alert(world):
    return make_alert(world["own"], value=Decimal(500000))

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from openkam.health.models import HealthScore
from openkam.marketing import services
from openkam.metrics.models import AccountPeriodMetrics, Snapshot, SnapshotStatus

START = dt.date(2026, 3, 1)


@pytest.fixture
def metrics(world):
    """A finished snapshot: `own` is an A account (red), `foreign` a B (green), `shared` a C."""
    snapshot = Snapshot.objects.create(
        as_of=dt.date(2026, 6, 30),
        status=SnapshotStatus.DONE,
        reporting_currency="THB",
        finished_at=timezone.now(),
    )
    for key, abc, level in (("own", "A", "red"), ("foreign", "B", "green"), ("shared", "C", "")):
        account = world[key]
        AccountPeriodMetrics.objects.create(
            snapshot=snapshot, account=account, period="year", abc=abc
        )
        if level:
            HealthScore.objects.create(
                account=account, snapshot=snapshot, as_of=snapshot.as_of, score=40, level=level
            )
    return snapshot


@pytest.fixture
def static_list(users, world):
    return services.targetlist_create(
        actor=users["marketing"],
        kind="static",
        data={"name": "Launch accounts", "tier": 1},
        accounts=[world["own"], world["foreign"]],
    )


@pytest.fixture
def programme(users, world):
    """marketing's programme for `own` (kam1's account), with an event and a visit."""
    actor = users["marketing"]
    made = services.programme_create(
        actor=actor,
        data={
            "name": "Snack aisle 2026",
            "account": world["own"],
            "marketing_owner": actor,
            "sales_owner": users["kam1"],
            "starts_on": START,
            "ends_on": dt.date(2026, 6, 30),
        },
    )
    services.step_create(
        actor=actor,
        programme=made,
        data={"kind": "event", "title": "Trade show", "on": dt.date(2026, 3, 10)},
    )
    services.step_create(
        actor=actor,
        programme=made,
        data={"kind": "visit", "title": "Store walk", "on": dt.date(2026, 4, 2)},
    )
    return made

import datetime as dt

import pytest

from openkam.analytics.tests import facts
from openkam.metrics import services
from openkam.metrics.tests.conftest import AS_OF, publish


@pytest.fixture
def history(world):
    """Two years of purchases to the snapshot's date: `own` (kam1, TH) buys 1,000 a month,
    `foreign` (kam2, TH) 3,000 a quarter, `own_sub` (kam2, VN; kam1 sees it through its
    parent) 500 in March 2026, `shared` (kam2, kam1 supports) once in 2025."""
    lines = []
    for year in (2024, 2025, 2026):
        for month in range(1, 13):
            day = dt.date(year, month, 5)
            if day > AS_OF or day < dt.date(2024, 7, 1):
                continue
            lines.append(facts.line(world["own"].pk, day, 1000, cost=700, discount=50))
            if month % 3 == 1:
                lines.append(facts.line(world["foreign"].pk, day, 3000, cost=2000, discount=600))
    lines.append(facts.line(world["own_sub"].pk, "2026-03-09", 500))
    lines.append(facts.line(world["shared"].pk, "2025-03-03", 500))
    publish(lines)
    return world


@pytest.fixture
def snapshot(history):
    return services.snapshot_create(as_of=AS_OF)


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()

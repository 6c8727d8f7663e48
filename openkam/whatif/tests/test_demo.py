"""The demo's sales history gives the what-if a sensible basis at once (the snapshot stores it)."""

import pytest

from openkam.demo.tests.test_demo_data import run_demo
from openkam.metrics.models import Snapshot
from openkam.users.models import User
from openkam.whatif import selectors
from openkam.whatif.models import CohortAge


@pytest.mark.django_db
def test_the_demo_has_a_sensible_retention_what_if():
    # 120 accounts: with the tests' usual 40, every account of two years buys again, and a
    # retention of 100 % cannot rise
    output = run_demo(accounts=120, orders=20_000)
    assert "metrics" in output, output
    snapshot = Snapshot.objects.latest("as_of")
    assert CohortAge.objects.filter(snapshot=snapshot, group="owner").exists()
    result = selectors.retention_what_if(
        user=User.objects.filter(is_superuser=True).first(),
        snapshot=snapshot,
        choice=selectors.Choice(),
        points=5,
    ).result
    assert result.computable and result.active_now > 10
    assert all(0 <= a.retention <= 1 for a in result.assumptions)
    one, three, five = (h.uplift_share for h in result.horizons)
    # more retention is worth more, the more so the longer the horizon; not absurdly so
    assert 0 < one < three < five < 1

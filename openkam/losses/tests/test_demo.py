"""The demo's loss records: most lost accounts have one, with a reason and mostly the
competitor the sales history's story names, dated after the last order; the same for the same
seed."""

from __future__ import annotations

import datetime as dt

import pytest

from openkam.demo.generator import generate_demo, load_demo
from openkam.demo.losses import load_losses
from openkam.demo.risk import accounts_at_risk
from openkam.losses.models import AccountLoss

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 1)


def _picture() -> list:
    return sorted(
        AccountLoss.objects.values_list(
            "account__name", "lost_on", "reason", "competitor__name", "details"
        )
    )


def test_demo_losses_are_plausible_and_deterministic():
    load_demo(plan=generate_demo(seed=7, accounts=120, today=TODAY))
    lost = {pk: r for pk, r in accounts_at_risk(seed=7, today=TODAY).items() if r.lost_on}
    assert len(lost) >= 5
    made = load_losses(seed=7, today=TODAY)
    records = list(AccountLoss.objects.select_related("competitor", "recorded_by"))
    assert made == len(records)
    assert 0.5 * len(lost) <= len(records) <= len(lost)  # most, not every one
    assert {r.account_id for r in records} <= set(lost)
    for record in records:
        assert lost[record.account_id].lost_on < record.lost_on <= TODAY
        assert record.recorded_by is not None
    with_competitor = [r for r in records if r.competitor_id]
    assert with_competitor and len(with_competitor) < len(records)  # some unknown
    assert len({r.reason for r in records}) >= 2
    first = _picture()
    AccountLoss.objects.all().delete()
    load_losses(seed=7, today=TODAY)
    assert _picture() == first

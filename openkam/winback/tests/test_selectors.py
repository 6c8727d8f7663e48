from __future__ import annotations

import datetime as dt
from decimal import Decimal

from openkam.activities.models import Activity, ActivityKind
from openkam.competitors.models import Competitor
from openkam.losses.models import AccountLoss
from openkam.winback import selectors


def _names(rows) -> list[str]:
    return [row.account.name for row in rows]


def test_ranked_by_the_margin_at_stake_then_the_expected_value(lost_world, users):
    rows = list(selectors.win_back_list(user=users["director"]))
    # own: 100,000 × 20 % = 20,000; foreign: 50,000 × 50 % = 25,000; shared: shrank by
    # 50,000, no costs, so its revenue: 50,000
    assert _names(rows) == ["Shared Stores", "Foreign Foods", "Own Mart"]
    by_name = {row.account.name: row for row in rows}
    assert by_name["Own Mart"].margin_at_stake == Decimal("20000")
    assert by_name["Foreign Foods"].revenue_at_stake == Decimal("50000")
    assert by_name["Shared Stores"].revenue_at_stake == Decimal("50000")
    assert by_name["Own Mart"].is_key and not by_name["Foreign Foods"].is_key


def test_a_kam_sees_their_own_accounts(lost_world, users):
    assert _names(selectors.win_back_list(user=users["kam1"])) == ["Shared Stores", "Own Mart"]


def test_reason_competitor_relationship_and_last_contact(lost_world, users):
    own = lost_world["own"]
    rival = Competitor.objects.create(name="Rival Foods")
    AccountLoss.objects.create(account=own, lost_on=dt.date(2025, 1, 5), reason="quality")
    AccountLoss.objects.create(
        account=own, lost_on=dt.date(2025, 7, 5), reason="price", competitor=rival
    )
    person = lost_world["own_person"]
    person.relationship_strength = 4
    person.save()
    when = dt.datetime(2026, 2, 3, 10, tzinfo=dt.UTC)
    Activity.objects.create(
        account=own, kind=ActivityKind.objects.get(code="call"), occurred_at=when, subject="Hi"
    )
    row = next(r for r in selectors.win_back_list(user=users["kam1"]) if r.account_id == own.pk)
    assert (row.loss_reason, row.competitor_name) == ("price", "Rival Foods")  # the latest
    assert (row.people_left, row.strongest) == (1, 4)
    assert row.last_contact == when


def test_no_snapshot_no_rows(world, users):
    assert list(selectors.win_back_list(user=users["director"])) == []

import datetime as dt
from decimal import Decimal

import pytest

from openkam.accounts.models import Account, AccountTeamMember
from openkam.keyaccounts.models import KeyAccountTypeAssignment
from openkam.losses.models import AccountLoss
from openkam.losses.selectors import DrillDown, LossQuery, drill_down, loss_dynamics
from openkam.metrics.models import AccountPeriodMetrics

from .conftest import account_rows, series_point

pytestmark = pytest.mark.django_db


def _names(rows) -> list[str]:
    return sorted(row.name for row in rows)


def test_a_director_reads_the_engines_series(users, losses):
    dynamics = loss_dynamics(user=users["director"], query=LossQuery(), snapshot=losses)
    assert dynamics.series_scope == "portfolio"
    assert len(dynamics.series) == 8
    latest, before = dynamics.series[0], dynamics.series[1]
    assert (latest.lost, latest.regained, latest.shrinking) == (1, 1, 1)
    assert latest.revenue_lost == Decimal(9000)
    assert (before.lost, before.revenue_lost) == (1, Decimal(4000))
    assert dynamics.series[2].lost == 0  # no point stored: nothing happened


def test_the_latest_period_by_owner(users, world, losses):
    dynamics = loss_dynamics(user=users["director"], query=LossQuery(), snapshot=losses)
    [kam2] = dynamics.breakdown  # foreign (lost) and own_sub (regained, shrinking)
    assert kam2.label == "kam2"
    assert (kam2.lost, kam2.regained, kam2.shrinking) == (1, 1, 1)
    assert kam2.revenue_lost == Decimal(9000)
    assert dynamics.total.lost == 1


def test_reasons_come_from_loss_records_and_lost_tenders(users, losses):
    dynamics = loss_dynamics(user=users["director"], query=LossQuery(), snapshot=losses)
    reasons = {(r.source, r.reason): (r.accounts, r.revenue) for r in dynamics.reasons}
    assert reasons == {
        ("loss", "price"): (1, Decimal(9000)),
        ("loss", "service"): (1, Decimal(4000)),
        ("tender", "price"): (1, None),  # the quality tender was lost at a healthy account
    }
    assert dynamics.without_reason == 0


def test_where_they_went(users, losses):
    dynamics = loss_dynamics(user=users["director"], query=LossQuery(), snapshot=losses)
    went = {c.name: (c.accounts, c.revenue, c.tenders_won) for c in dynamics.competitors}
    assert went == {"Rival A": (1, Decimal(9000), 1), "Rival B": (1, Decimal(4000), 0)}
    assert dynamics.destination_unknown == 0


def test_a_kam_sees_the_accounts_they_may_see_only(users, losses):
    """kam1 sees own, own_sub and shared, not foreign: the figures are added up from them."""
    dynamics = loss_dynamics(user=users["kam1"], query=LossQuery(), snapshot=losses)
    assert dynamics.series_scope == "computed"
    latest, before = dynamics.series[0], dynamics.series[1]
    assert (latest.lost, latest.regained, latest.shrinking) == (0, 1, 1)
    assert (before.lost, before.revenue_lost) == (1, Decimal(4000))  # shared, still lost
    assert before.regained is None  # not known per account for an earlier period
    assert {r.reason for r in dynamics.reasons} == {"service"}
    assert [c.name for c in dynamics.competitors] == ["Rival B"]


def test_key_accounts_only_and_a_type(users, world, losses):
    AccountPeriodMetrics.objects.filter(snapshot=losses, account=world["foreign"]).update(
        is_key=True
    )
    key_only = loss_dynamics(
        user=users["director"], query=LossQuery(key_only=True), snapshot=losses
    )
    assert key_only.series_scope == "computed"  # this snapshot stores no key-account series
    assert key_only.series[0].lost == 1
    assert key_only.series[1].lost == 0  # shared was no key account
    series_point(losses, 0, group="key", lost=1, revenue_lost=Decimal(9000))
    stored = loss_dynamics(user=users["director"], query=LossQuery(key_only=True), snapshot=losses)
    assert stored.series_scope == "key"
    KeyAccountTypeAssignment.objects.create(
        account=world["shared"],
        type="supporter",
        reason="A fifth of revenue",
        set_by=users["director"],
    )
    by_type = loss_dynamics(
        user=users["director"], query=LossQuery(type="supporter", group="type"), snapshot=losses
    )
    assert by_type.series[1].lost == 1
    assert [r.reason for r in by_type.reasons] == ["service"]


def test_the_breakdown_by_type(users, world, losses):
    KeyAccountTypeAssignment.objects.create(
        account=world["foreign"], type="expert", reason="Knows the market", set_by=users["director"]
    )
    dynamics = loss_dynamics(user=users["director"], query=LossQuery(group="type"), snapshot=losses)
    rows = {row.key: (row.label, row.lost, row.shrinking) for row in dynamics.breakdown}
    assert rows == {"expert": ("Expert", 1, 0), "": ("none", 0, 1)}


def test_drill_down_into_figures_reasons_and_competitors(users, world, losses, rivals):
    director, query = users["director"], LossQuery()

    def names(**which):
        return _names(
            drill_down(user=director, query=query, snapshot=losses, which=DrillDown(**which))
        )

    assert names(measure="lost", index=0) == ["Foreign Foods"]
    assert names(measure="lost", index=1) == ["Shared Stores"]
    assert names(measure="regained") == ["Own Mart Vietnam"]
    assert names(measure="shrinking") == ["Own Mart Vietnam"]
    assert names(reason="price", source="tender") == ["Foreign Foods"]
    assert names(reason="service") == ["Shared Stores"]
    assert names(competitor=rivals["a"].pk) == ["Foreign Foods"]
    assert names(competitor=rivals["b"].pk) == ["Shared Stores"]  # took it, by its presence
    [row] = drill_down(
        user=director, query=query, snapshot=losses, which=DrillDown(competitor=rivals["a"].pk)
    )
    assert row.owner_username == "kam2"
    assert row.lost_since == dt.date(2026, 5, 10)
    assert row.revenue_before_loss == Decimal(9000)
    assert (row.loss_reason, row.loss_competitor) == ("price", "Rival A")


def test_a_kam_drills_into_nothing_they_may_not_see(users, losses, rivals):
    rows = drill_down(
        user=users["kam1"],
        query=LossQuery(),
        snapshot=losses,
        which=DrillDown(competitor=rivals["a"].pk),
    )
    assert list(rows) == []


def test_the_page_reads_a_fixed_number_of_queries(
    users, world, losses, rivals, django_assert_max_num_queries
):
    """However many accounts are lost: twelve more, in every quarter, change nothing."""
    for n in range(12):
        account = Account.objects.create(name=f"Lost Mart {n}", status="lost", country="TH")
        AccountTeamMember.objects.create(account=account, user=users["kam1"], role="owner")
        lost_since = dt.date(2026, 6, 20) - dt.timedelta(days=60 * n)
        account_rows(
            losses,
            account,
            state={"lost": True, "lost_since": lost_since, "revenue_before_loss": Decimal(n)},
            flags={"lost_in_period": n == 0},
        )
        AccountLoss.objects.create(
            account=account, lost_on=lost_since, reason="price", competitor=rivals["b"]
        )
    with django_assert_max_num_queries(12):
        loss_dynamics(user=users["director"], query=LossQuery(), snapshot=losses)
    with django_assert_max_num_queries(11):
        loss_dynamics(user=users["kam1"], query=LossQuery(group="type"), snapshot=losses)

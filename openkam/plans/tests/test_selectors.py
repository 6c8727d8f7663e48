import datetime as dt
from decimal import Decimal

from django.utils import timezone

from openkam.metrics.models import AccountPeriodMetrics, Snapshot
from openkam.plans import selectors, services

from .conftest import YEAR


def _snapshot(world, as_of, status="done", revenue="90000", currency=None):
    from django.conf import settings

    snapshot = Snapshot.objects.create(
        as_of=as_of,
        status=status,
        finished_at=timezone.now(),
        reporting_currency=currency or settings.REPORTING_CURRENCY,
    )
    AccountPeriodMetrics.objects.create(
        snapshot=snapshot, account=world["own"], period="year", revenue=revenue, margin="27000"
    )
    return snapshot


def test_actuals_come_from_the_latest_finished_snapshot_of_the_year(users, world, plan):
    services.account_plan_update(
        actor=users["kam1"], plan=plan, data={"wallet_estimate": 300000, "margin_target": 30000}
    )
    _snapshot(world, dt.date(YEAR, 3, 31), revenue="10000")
    _snapshot(world, dt.date(YEAR, 6, 30), revenue="90000")
    _snapshot(world, dt.date(YEAR, 9, 30), status="running", revenue="1")
    _snapshot(world, dt.date(YEAR + 1, 1, 31), revenue="2")  # another year
    fresh = selectors.plan_list(user=users["kam1"]).get(pk=plan.pk)
    assert fresh.actual_as_of == dt.date(YEAR, 6, 30)
    goals = {g.code: g for g in selectors.goals(fresh)}
    assert goals["revenue"].actual == Decimal("90000")
    assert goals["revenue"].reached == 0.75
    assert goals["margin"].actual == Decimal("27000")
    assert goals["share_of_wallet"].actual == Decimal("30.00")


def test_no_snapshot_no_actuals(users, plan):
    fresh = selectors.plan_list(user=users["kam1"]).get(pk=plan.pk)
    assert [g.actual for g in selectors.goals(fresh)] == [None, None, None]


def test_another_currency_is_not_compared(users, world, plan):
    _snapshot(world, dt.date(YEAR, 6, 30), currency="ZZZ")
    fresh = selectors.plan_list(user=users["kam1"]).get(pk=plan.pk)
    assert selectors.goals(fresh)[0].actual is None


def test_a_kam_lists_only_their_plans(users, plan, foreign_plan):
    assert list(selectors.plan_list(user=users["kam1"])) == [plan]
    assert set(selectors.plan_list(user=users["director"])) == {plan, foreign_plan}
    assert set(selectors.plan_list(user=users["viewer"])) == {plan, foreign_plan}

"""Shares from activities and entries, per period; account hours, over-served, neglected."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from openkam.accounts.models import AccountStatus
from openkam.metrics.models import AccountPeriodMetrics, Snapshot, SnapshotStatus
from openkam.timesplit import selectors
from openkam.timesplit.periods import Range, whole_periods

from .conftest import MONDAY, activity, entry

pytestmark = pytest.mark.django_db


def test_share_counts_attended_activities_authored_ones_and_entries(users, world):
    kam1, kam2 = users["kam1"], users["kam2"]
    # 2 h key-account meeting attended by kam1 and kam2: each spent the 2 h
    activity(world["own"], MONDAY, 120, "key_account", people=[kam1, kam2], author=kam1)
    # 1 h new-business call nobody of ours was recorded at: counts for its author
    activity(world["own"], MONDAY + dt.timedelta(days=1), 60, "new_business", author=kam1)
    # kam2 wrote this one, kam1 was not there: not kam1's time
    activity(world["foreign"], MONDAY, 600, "other", people=[kam2], author=kam2)
    entry(kam1, MONDAY, 5, "key_account")
    entry(kam1, MONDAY, 2, "other")
    share = selectors.key_account_share(user=kam1, start=MONDAY, end=MONDAY + dt.timedelta(days=6))
    assert share == pytest.approx(7 / 10)
    share2 = selectors.key_account_share(user=kam2, start=MONDAY, end=MONDAY)
    assert share2 == pytest.approx(2 / 12)


def test_share_is_none_without_time(users, world):
    assert selectors.key_account_share(user=users["kam1"], start=MONDAY, end=MONDAY) is None


def test_share_outside_the_range_is_left_out(users, world):
    kam1 = users["kam1"]
    activity(world["own"], MONDAY - dt.timedelta(days=1), 600, "other", people=[kam1])
    entry(kam1, MONDAY + dt.timedelta(days=7), 10, "other")
    activity(world["own"], MONDAY, 60, "key_account", people=[kam1])
    share = selectors.key_account_share(user=kam1, start=MONDAY, end=MONDAY + dt.timedelta(6))
    assert share == 1.0


def test_an_entry_counts_in_the_month_of_its_thursday(users, world):
    kam1 = users["kam1"]
    week = dt.date(2026, 3, 30)  # Monday 30 March; Thursday 2 April
    entry(kam1, week, 4, "key_account")
    march = selectors.key_account_share(
        user=kam1, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31)
    )
    april = selectors.key_account_share(
        user=kam1, start=dt.date(2026, 4, 1), end=dt.date(2026, 4, 30)
    )
    assert (march, april) == (None, 1.0)
    span = whole_periods("month", dt.date(2026, 3, 1), dt.date(2026, 4, 30))
    [split] = selectors.people_split(user=kam1, span=span)
    assert [p.hours.total for p in split.periods] == [0, 4]


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("week", [1.0, None, 0.5]),
        ("month", [0.75]),
        ("quarter", [0.75]),
    ],
)
def test_people_split_per_period(users, world, period, expected):
    kam1 = users["kam1"]
    activity(world["own"], MONDAY, 120, "key_account", people=[kam1])  # week 1
    third = MONDAY + dt.timedelta(days=14)
    activity(world["own"], third, 60, "key_account", people=[kam1])  # week 3
    entry(kam1, third, 1, "new_business")
    span = whole_periods(period, MONDAY, MONDAY + dt.timedelta(days=15))
    [split] = selectors.people_split(user=kam1, span=span)
    assert [p.hours.share for p in split.periods] == expected
    assert split.hours.total == 4
    assert split.share == 0.75
    assert split.on_target is False


def test_quarters_and_months_are_whole():
    span = whole_periods("quarter", dt.date(2026, 2, 10), dt.date(2026, 5, 3))
    assert (span.start, span.end) == (dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert [b.start for b in span.buckets()] == [dt.date(2026, 1, 1), dt.date(2026, 4, 1)]
    weeks = whole_periods("week", None, dt.date(2026, 3, 4))
    assert weeks.end == dt.date(2026, 3, 8) and len(weeks.buckets()) == 12
    with pytest.raises(ValueError):
        whole_periods("week", dt.date(2026, 3, 9), dt.date(2026, 3, 1))
    with pytest.raises(ValueError):
        whole_periods("week", dt.date(2000, 1, 1), dt.date(2026, 3, 1))


def test_director_sees_every_manager_and_a_kam_only_themselves(users, world):
    kam1, kam2 = users["kam1"], users["kam2"]
    activity(world["own"], MONDAY, 60, "key_account", people=[kam1])
    entry(users["director"], MONDAY, 3, "other")
    span = Range("week", MONDAY, MONDAY + dt.timedelta(days=6))
    everyone = selectors.people_split(user=users["director"], span=span)
    names = [s.user.username for s in everyone]
    assert names == ["director", "kam1", "kam2"]  # KAMs, and whoever recorded time
    mine = selectors.people_split(user=kam1, span=span, person=kam2)  # asks for kam2: ignored
    assert [s.user for s in mine] == [kam1]
    only = selectors.people_split(user=users["director"], span=span, person=kam2)
    assert [s.user for s in only] == [kam2] and only[0].share is None


def _snapshot(rows: dict, as_of=dt.date(2026, 3, 31)) -> Snapshot:
    snapshot = Snapshot.objects.create(
        as_of=as_of, status=SnapshotStatus.DONE, reporting_currency="THB"
    )
    AccountPeriodMetrics.objects.bulk_create(
        AccountPeriodMetrics(
            snapshot=snapshot,
            account=account,
            period="year",
            revenue=Decimal(revenue),
            growth_prev=growth,
        )
        for account, (revenue, growth) in rows.items()
    )
    return snapshot


def test_account_hours_revenue_and_flags(users, world):
    kam1, kam2, director = users["kam1"], users["kam2"], users["director"]
    own, foreign, shared, own_sub = (
        world["own"],
        world["foreign"],
        world["shared"],
        world["own_sub"],
    )
    span = Range("week", MONDAY, MONDAY + dt.timedelta(days=6))
    # own: 2 people × 3 h + a 4 h entry = 10 h, on 100,000 of shrinking revenue
    activity(own, MONDAY, 180, "key_account", people=[kam1, kam2])
    entry(kam1, MONDAY, 4, "key_account", account=own)
    # foreign: 2 h on 400,000; shared: 2 h on 500,000; own_sub: nothing (a key account)
    activity(foreign, MONDAY, 120, "key_account", people=[kam2])
    activity(shared, MONDAY, 120, "key_account", author=kam2)
    _snapshot(
        {
            own: ("100000", -0.1),
            foreign: ("400000", 0.05),
            shared: ("500000", 0.0),
            own_sub: ("300000", 0.2),
        }
    )
    report = selectors.account_time(user=director, span=span)
    rows = {r.account.name: r for r in report.rows}
    assert rows["Own Mart"].hours == 10
    assert rows["Foreign Foods"].hours == 2
    assert rows["Shared Stores"].hours == 2
    assert rows["Own Mart Vietnam"].hours == 0
    yearly = 365 / 7
    assert rows["Own Mart"].hours_per_thousand == pytest.approx(10 * yearly / 100)
    assert rows["Own Mart"].over_served  # 20× the others, and shrinking
    assert not rows["Foreign Foods"].over_served
    assert rows["Own Mart Vietnam"].neglected  # a key account nobody spent time on
    assert not rows["Own Mart"].neglected
    assert report.as_of == dt.date(2026, 3, 31) and report.currency == "THB"
    # flagged rows come first
    assert {r.account.name for r in report.rows[:2]} == {"Own Mart", "Own Mart Vietnam"}


def test_over_served_needs_revenue_not_growing(users, world):
    span = Range("week", MONDAY, MONDAY + dt.timedelta(days=6))
    activity(world["own"], MONDAY, 600, "key_account", people=[users["kam1"]])
    activity(world["foreign"], MONDAY, 60, "key_account", people=[users["kam2"]])
    activity(world["shared"], MONDAY, 60, "key_account", people=[users["kam2"]])
    _snapshot(
        {
            world["own"]: ("100000", 0.3),
            world["foreign"]: ("100000", 0.0),
            world["shared"]: ("100000", 0.0),
        }
    )
    report = selectors.account_time(user=users["director"], span=span)
    assert not any(r.over_served for r in report.rows)


def test_a_kam_sees_the_accounts_they_may_see(users, world):
    span = Range("week", MONDAY, MONDAY + dt.timedelta(days=6))
    activity(world["foreign"], MONDAY, 60, "key_account", people=[users["kam2"]])
    activity(world["shared"], MONDAY, 60, "key_account", people=[users["kam2"]])
    report = selectors.account_time(user=users["kam1"], span=span)
    names = {r.account.name for r in report.rows}
    assert names == {"Own Mart", "Own Mart Vietnam", "Shared Stores"}
    assert {r.account.name: r.hours for r in report.rows}["Shared Stores"] == 1
    assert report.as_of is None and all(r.revenue is None for r in report.rows)
    # a director narrowing to kam2: the accounts of kam2's team
    narrowed = selectors.account_time(user=users["director"], span=span, person=users["kam2"])
    assert {r.account.name for r in narrowed.rows} == {
        "Own Mart Vietnam",
        "Foreign Foods",
        "Shared Stores",
    }


def test_neglected_is_little_time_against_the_other_key_accounts(users, world):
    span = Range("week", MONDAY, MONDAY + dt.timedelta(days=6))
    for account in ("own", "foreign", "shared"):
        activity(world[account], MONDAY, 600, "key_account", people=[users["kam2"]])
    activity(world["own_sub"], MONDAY, 60, "key_account", people=[users["kam2"]])
    report = selectors.account_time(user=users["director"], span=span)
    flagged = {r.account.name for r in report.rows if r.neglected}
    assert flagged == {"Own Mart Vietnam"}  # 1 h against a median of 10 h
    world["own_sub"].status = AccountStatus.ACTIVE
    world["own_sub"].save()
    report = selectors.account_time(user=users["director"], span=span)
    assert not any(r.neglected for r in report.rows)  # only key accounts are neglected

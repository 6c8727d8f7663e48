"""The loss states on hand-worked examples: each lost criterion, the revenue before the loss,
shrinking (its boundary and its history), and the series' counts — the portfolio, the groups
and the key accounts only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from openkam.analytics.config import AnalyticsConfig
from openkam.analytics.suite import compute

from . import facts, scenario

AS_OF = scenario.AS_OF  # 31 December 2026


def by_account(table) -> dict[int, dict]:
    return {row["account_id"]: row for row in table.to_pylist()}


def points(results, period: str, group: str = "portfolio", key: str = "") -> dict[int, dict]:
    rows = results.periods[period].series.to_pylist()
    return {r["index"]: r for r in rows if r["group"] == group and r["key"] == key}


@pytest.fixture(scope="module")
def silence():
    return compute(
        facts.on_duckdb(scenario.lines()),
        as_of=AS_OF,
        dimension=scenario.accounts(),
        history_start=scenario.HISTORY_START,
    )


def test_silence_lost_since_and_revenue_before_loss(silence):
    accounts = by_account(silence.accounts)
    # 3 bought 500 on 15 Jan and 15 Feb 2025: silent 684 days; the silence passed 365 days on
    # 15 Feb 2025 + 366 = 16 Feb 2026; the 12 months to 15 Feb 2025 hold both purchases
    assert accounts[3]["lost"] and accounts[3]["lost_since"] == dt.date(2026, 2, 16)
    assert accounts[3]["revenue_before_loss"] == Decimal("1000.00")
    assert accounts[3]["lost_after_days"] == 365
    # everyone else: not lost, and the revenue of the last 12 months
    assert accounts[1]["lost_since"] is None
    assert accounts[1]["revenue_before_loss"] == Decimal("1200.00")  # 12 × 100 in 2026
    assert accounts[4]["revenue_before_loss"] == Decimal("-100.00")  # 200 − 300 credit
    assert accounts[5]["revenue_before_loss"] == Decimal("800.00")


def test_shrinking_now(silence):
    accounts = by_account(silence.accounts)
    # 4: −100 in 2026 against 50 in 2025 (−300 %); 1 is flat, 2 grows, 5 and 6 are new, 3 is
    # lost (lost is never also shrinking)
    assert {a for a, row in accounts.items() if row["shrinking"]} == {4}
    assert silence.periods["year"].headline["accounts_shrinking"] == 1


def test_series_count_lost_shrinking_and_revenue_lost(silence):
    year = points(silence, "year")
    assert (year[0]["lost"], year[0]["shrinking"]) == (1, 1)
    assert year[0]["revenue_lost"] == Decimal("1000.00")  # 3's 12 months before its loss
    assert year[1]["revenue_lost"] == Decimal("0.00") and year[1]["shrinking"] == 0
    # lost on 16 Feb 2026: Q1 2026 is quarter 3 back, February month 10 back
    assert points(silence, "quarter")[3]["revenue_lost"] == Decimal("1000.00")
    assert points(silence, "month")[10]["lost"] == 1
    owner = points(silence, "year", "owner", "11")  # accounts 3 and 4
    assert (owner[0]["lost"], owner[0]["shrinking"], owner[0]["revenue_lost"]) == (
        1,
        1,
        Decimal("1000.00"),
    )
    headline = silence.periods["year"].headline
    assert (headline["shrinking"], headline["revenue_lost"]) == (1, "1000.00")


def test_key_accounts_only_is_a_group_of_its_own(silence):
    key = points(silence, "year", "key")
    assert key[0]["active"] == 1 and key[0]["revenue"] == Decimal("3000.00")  # account 2 only
    assert (key[0]["lost"], key[0]["shrinking"]) == (0, 0)
    # with the shrinking and the lost account nominated, the key group counts them
    dimension = facts.dimension(
        [(1, 10, "TH", 1, False), (3, 11, "VN", 2, True), (4, 11, "VN", None, True)]
    )
    nominated = compute(
        facts.on_duckdb(scenario.lines()),
        as_of=AS_OF,
        dimension=dimension,
        history_start=scenario.HISTORY_START,
    )
    key = points(nominated, "year", "key")
    assert (key[0]["lost"], key[0]["shrinking"], key[0]["revenue_lost"]) == (
        1,
        1,
        Decimal("1000.00"),
    )
    assert key[0]["active"] == 1  # 4 bought in 2026; 3 did not; 2 and 5 are not key accounts


def _rhythm_lines() -> list[dict]:
    rows = scenario.lines()
    # 7: a monthly buyer (the 1st, January to June 2026: median 31 days) silent since 1 June
    rows += [facts.line(7, dt.date(2026, month, 1), 100) for month in range(1, 7)]
    # 8: monthly (the 10th, January to April), then 183 days of silence, back on 10 October
    rows += [facts.line(8, dt.date(2026, month, 10), 50) for month in (1, 2, 3, 4, 10)]
    # 9: weekly in October 2026 (median 7 days), silent for 70 days since 22 October
    rows += [facts.line(9, dt.date(2026, 10, day), 10) for day in (1, 8, 15, 22)]
    return rows


@pytest.fixture(scope="module")
def by_rhythm():
    return compute(
        facts.on_duckdb(_rhythm_lines()),
        as_of=AS_OF,
        history_start=scenario.HISTORY_START,
        config=AnalyticsConfig(lost_criterion="rhythm"),
    )


def test_rhythm_criterion_per_account(by_rhythm):
    accounts = by_account(by_rhythm.accounts)
    # 7: 3 × 31 = 93 days; silent 213 → lost on 1 June + 94 days = 3 September
    assert accounts[7]["lost_after_days"] == 93
    assert accounts[7]["lost"] and accounts[7]["lost_since"] == dt.date(2026, 9, 3)
    assert accounts[7]["revenue_before_loss"] == Decimal("600.00")
    # 9: 3 × 7 = 21 is under the floor of 60 days; silent 70 → lost on 22 Oct + 61 = 22 Dec
    assert accounts[9]["lost_after_days"] == 60
    assert accounts[9]["lost_since"] == dt.date(2026, 12, 22)
    # 2: yearly (median 228.5): 685 days; silent 121, not lost
    assert accounts[2]["lost_after_days"] == 685 and not accounts[2]["lost"]
    # 3 and 4 have two purchases, no rhythm yet: the silence criterion (365 days)
    assert accounts[3]["lost_after_days"] == 365 and accounts[3]["lost"]
    assert accounts[4]["lost_after_days"] == 365 and not accounts[4]["lost"]
    assert {a for a, row in accounts.items() if row["lost"]} == {3, 7, 9}


def test_rhythm_criterion_dates_history_the_same_way(by_rhythm):
    year = points(by_rhythm, "year")
    # lost in 2026: 3 (16 Feb), 8 (10 Apr + 94 = 13 Jul), 7 (3 Sep), 9 (22 Dec); 8 came back
    assert (year[0]["lost"], year[0]["regained"]) == (4, 1)
    # before the loss: 3: 1,000; 8: 4 × 50 to 10 April; 7: 600; 9: 4 × 10
    assert year[0]["revenue_lost"] == Decimal("1840.00")
    quarter = points(by_rhythm, "quarter")
    assert (quarter[1]["lost"], quarter[0]["regained"], quarter[0]["lost"]) == (2, 1, 1)
    month = points(by_rhythm, "month")
    assert month[5]["lost"] == 1 and month[5]["revenue_lost"] == Decimal("200.00")  # July: 8
    accounts = by_account(by_rhythm.accounts)
    assert not accounts[8]["lost"] and accounts[8]["lost_since"] is None
    assert accounts[8]["revenue_before_loss"] == Decimal("250.00")  # regained: its 12 months
    # under the silence criterion none of 7, 8, 9 has been silent for a year
    silence = compute(facts.on_duckdb(_rhythm_lines()), as_of=AS_OF)
    assert {a for a, r in by_account(silence.accounts).items() if r["lost"]} == {3}


def test_the_rhythm_floor_is_configurable():
    config = AnalyticsConfig(lost_criterion="rhythm", lost_rhythm_floor_days=80)
    accounts = by_account(
        compute(facts.on_duckdb(_rhythm_lines()), as_of=AS_OF, config=config).accounts
    )
    assert accounts[9]["lost_after_days"] == 80 and not accounts[9]["lost"]  # silent 70


def test_revenue_before_loss_cuts_twelve_months_as_the_periods_do():
    lines = [
        facts.line(1, "2024-02-15", 100),  # 12 months before 15 Feb 2025: outside
        facts.line(1, "2024-02-16", 10),
        facts.line(1, "2025-02-15", 1),  # the last purchase; silent since
        facts.line(2, "2025-02-28", 100),  # the day the 12 months to 28 Feb 2026 start after
        facts.line(2, "2025-03-01", 10),
        facts.line(2, "2026-02-28", 1),  # a month end: calendar months March to February
        facts.line(3, "2026-12-01", 5),
    ]
    accounts = by_account(compute(facts.on_duckdb(lines), as_of=dt.date(2027, 6, 30)).accounts)
    assert accounts[1]["lost"] and accounts[1]["revenue_before_loss"] == Decimal("11.00")
    assert accounts[2]["lost"] and accounts[2]["revenue_before_loss"] == Decimal("11.00")
    assert accounts[1]["lost_since"] == dt.date(2026, 2, 16)


@pytest.mark.parametrize(
    ("after", "decline", "shrinking"),
    [
        ("700.00", 0.3, False),  # exactly 30 % down is not more than 30 %
        ("699.99", 0.3, True),
        ("700.00", 0.29, True),
        ("0.00", 0.3, False),  # nothing since: lost after 365 days, not shrinking
    ],
)
def test_shrinking_boundary(after: str, decline: float, shrinking: bool):
    lines = [facts.line(1, "2025-03-01", 1000)]
    if after != "0.00":
        lines.append(facts.line(1, "2026-03-01", after))
    lines.append(facts.line(2, "2025-01-05", 10))  # the history starts in January 2025
    results = compute(
        facts.on_duckdb(lines),
        as_of=AS_OF,
        config=AnalyticsConfig(shrinking_decline=decline),
        history_start=dt.date(2025, 1, 1),
    )
    assert by_account(results.accounts)[1]["shrinking"] is shrinking


def test_no_shrinking_without_two_full_years_of_history():
    lines = [facts.line(1, "2025-03-01", 1000), facts.line(1, "2026-03-01", 100)]
    results = compute(facts.on_duckdb(lines), as_of=AS_OF)  # the history starts 1 March 2025
    assert by_account(results.accounts)[1]["shrinking"] is False


def test_shrinking_at_the_end_of_past_periods():
    lines = [
        # 20: 1,000 in 2024, 500 in 2025, 500 in 2026 (1 June each year)
        facts.line(20, "2024-06-01", 1000),
        facts.line(20, "2025-06-01", 500),
        facts.line(20, "2026-06-01", 500),
        # 21: 1,000 on 1 Mar 2024, 100 on 1 Feb 2025, then silent: lost on 2 Feb 2026
        facts.line(21, "2024-03-01", 1000),
        facts.line(21, "2025-02-01", 100),
    ]
    results = compute(facts.on_duckdb(lines), as_of=AS_OF, history_start=dt.date(2024, 1, 1))
    year = points(results, "year")
    # end of 2025: 20 (500 against 1,000) and 21 (100 against 1,000, not lost yet)
    assert year[1]["shrinking"] == 2 and year[0]["shrinking"] == 0
    month = points(results, "month")
    # end of January 2026 (11 back): 20 (Feb 25–Jan 26: 500 against 1,000) and 21 (100
    # against 1,000); end of February: 21 is lost by then; from June 20's years are level
    assert month[11]["shrinking"] == 2
    assert [month[i]["shrinking"] for i in range(10, 5, -1)] == [1, 1, 1, 1, 0]


def test_an_unknown_criterion_is_refused():
    with pytest.raises(ValueError, match="silence, rhythm"):
        AnalyticsConfig(lost_criterion="never")

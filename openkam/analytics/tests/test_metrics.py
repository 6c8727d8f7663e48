"""Every metric on the hand-worked portfolio of `scenario.py` (the arithmetic is in comments)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from openkam.analytics.config import AnalyticsConfig
from openkam.analytics.suite import compute

from . import facts, scenario


@pytest.fixture(scope="module")
def results():
    return compute(
        facts.on_duckdb(scenario.lines()),
        as_of=scenario.AS_OF,
        dimension=scenario.accounts(),
        history_start=scenario.HISTORY_START,
    )


def by_account(table) -> dict[int, dict]:
    return {row["account_id"]: row for row in table.to_pylist()}


def test_revenue_margin_volume_orders_and_growth(results):
    year = by_account(results.periods["year"].accounts)
    assert year[1]["revenue"] == Decimal("1200.00")  # 12 × 100
    assert year[1]["margin"] == Decimal("480.00")  # 12 × (100 − 60)
    assert year[2]["margin"] is None  # no cost in the data: no margin, not 100 %
    assert year[1]["orders"] == 12
    assert year[6]["orders"] == 2 and year[6]["purchase_days"] == 1  # two invoices, one day
    assert year[2]["growth_prev"] == 2.0  # 3,000 after 1,000
    assert year[4]["revenue"] == Decimal("-100.00")  # 200 − 300: the credit note nets
    assert year[4]["growth_prev"] == -3.0  # (−100 − 50) / 50
    assert year[5]["growth_prev"] is None  # nothing before: growth undefined
    month = by_account(results.periods["month"].accounts)
    assert month[1]["revenue_year_ago"] == Decimal("100.00")  # December 2025
    assert month[6]["revenue_prev"] == Decimal("150.00")  # November


def test_lines_after_the_as_of_date_and_without_customer_are_ignored(results):
    year = by_account(results.periods["year"].accounts)
    assert year[5]["revenue"] == Decimal("800.00")  # the 900 of 1 January 2027 is after
    assert results.periods["year"].headline["revenue"] == "5050.00"  # not + 999


def test_abc_by_cumulative_share_and_xyz_by_variation(results):
    year = by_account(results.periods["year"].accounts)
    # window 2024–2026, ranked: 2 (4,000), 1 (2,400), 3 (1,000), 5 (800), 6 (150) of 8,350;
    # share ranked above: 0, .48, .77 → A; .89 → B; .98 → C; 4 has no positive revenue → C
    assert {a: year[a]["abc"] for a in year} == {1: "A", 2: "A", 3: "A", 4: "C", 5: "B", 6: "C"}
    # account 1: 0, 1,200, 1,200 → mean 800, sd 565.7, cv 0.707 → Y
    assert year[1]["revenue_cv"] == pytest.approx(0.7071067811865476)
    assert year[2]["revenue_cv"] == pytest.approx(0.9354143466934856)  # 0, 1,000, 3,000
    assert {a: year[a]["xyz"] for a in year} == {1: "Y", 2: "Y", 3: "Z", 4: None, 5: "Z", 6: "Z"}
    cells = {(c["abc"], c["xyz"]): c for c in results.periods["year"].matrix.to_pylist()}
    assert cells[("A", "Y")]["accounts"] == 2
    assert cells[("A", "Y")]["revenue"] == Decimal("6400.00")


def test_abc_cutoffs_and_measure_are_configurable():
    config = AnalyticsConfig(abc_cutoffs=(0.5, 0.9))
    result = compute(facts.on_duckdb(scenario.lines()), as_of=scenario.AS_OF, config=config)
    year = by_account(result.periods["year"].accounts)
    # shares ranked above: 0, .48 → A; .77, .89 → B; .98 → C
    assert [year[a]["abc"] for a in (2, 1, 3, 5, 6)] == ["A", "A", "B", "B", "C"]
    by_margin = AnalyticsConfig(abc_measure="margin")
    result = compute(facts.on_duckdb(scenario.lines()), as_of=scenario.AS_OF, config=by_margin)
    year = by_account(result.periods["year"].accounts)
    assert year[1]["abc"] == "A" and year[2]["abc"] == "C"  # only account 1 has costs


def test_retention_in_accounts_and_revenue(results):
    headline = results.periods["year"].headline
    # bought in 2025: 1, 2, 3, 4; bought again in 2026: 1, 2, 4
    assert headline["retention_rate"] == 0.75
    # net: 2026 revenue of 2025's buyers (1,200 + 3,000 + 0 − 100) over their 2025 (3,250)
    assert headline["revenue_retention_net"] == pytest.approx(4100 / 3250)
    # gross: each capped at what it spent before and at zero: 1,200 + 1,000 + 0 + 0
    assert headline["revenue_retention_gross"] == pytest.approx(2200 / 3250)
    assert results.periods["month"].headline["retention_rate"] == 0.5  # November: 1 and 6


def test_retention_by_owner_country_and_segment(results):
    series = [r for r in results.periods["year"].series.to_pylist() if r["index"] == 0]
    owner = {r["key"]: r for r in series if r["group"] == "owner"}
    assert owner["10"]["retention_rate"] == 1.0  # accounts 1 and 2
    assert owner["11"]["retention_rate"] == 0.5  # account 3 lost, 4 kept
    country = {r["key"]: r for r in series if r["group"] == "country"}
    assert country["VN"]["lost"] == 1
    segment = {r["key"]: r for r in series if r["group"] == "segment"}
    assert segment[""]["new"] == 2  # accounts 5 and 6 have no segment


def test_pareto_key_account_share_and_top_20(results):
    headline = results.periods["year"].headline
    assert headline["key_account_share"] == pytest.approx(3000 / 5050)
    # four accounts with positive revenue: the top 20 % is one account, 3,000 of 5,150
    assert headline["top20_accounts"] == 1
    assert headline["top20_share"] == pytest.approx(3000 / 5150)
    curve = headline["pareto"]
    assert curve["points"][0] == [0.0, 0.0] and curve["points"][-1] == [1.0, 1.0]
    assert curve["key_accounts"] == [[0.25, round(3000 / 5150, 6), 2]]


def test_rhythm_classes_and_expected_next_purchase(results):
    accounts = by_account(results.accounts)
    assert accounts[1]["rhythm"] == "monthly"
    assert accounts[1]["median_interval"] == 31.0  # 13 intervals of 31 days among 23
    assert accounts[1]["expected_next_purchase"] == dt.date(2027, 1, 10)
    assert accounts[2]["rhythm"] == "yearly"  # 273 and 184 days: median 228.5
    assert accounts[2]["median_interval"] == 228.5
    assert accounts[3]["rhythm"] == "irregular"  # two purchases are not a rhythm yet
    assert accounts[5]["median_interval"] is None  # one purchase: no interval
    assert accounts[5]["expected_next_purchase"] is None


def test_overdue_and_lost(results):
    accounts = by_account(results.accounts)
    assert accounts[3]["lost"] and not accounts[3]["overdue"]  # silent 684 days > 365
    assert accounts[3]["days_since_purchase"] == 684
    assert not accounts[4]["lost"]  # 240 days silent
    config = AnalyticsConfig(overdue_multiple=0.5)  # silence > half the rhythm
    stricter = by_account(
        compute(facts.on_duckdb(scenario.lines()), as_of=scenario.AS_OF, config=config).accounts
    )
    assert stricter[4]["overdue"]  # 240 > 0.5 × 365
    assert stricter[1]["overdue"]  # 21 > 0.5 × 31
    assert stricter[2]["overdue"]  # 121 > 0.5 × 228.5
    assert not stricter[3]["overdue"]  # lost already: lost is not also overdue


def test_lost_regained_and_new_per_period(results):
    year = results.periods["year"].headline
    assert (year["lost"], year["regained"], year["new"]) == (1, 0, 2)  # 3 lost on 16 Feb 2026
    year_accounts = by_account(results.periods["year"].accounts)
    assert year_accounts[3]["lost_in_period"]
    regained = compute(
        facts.on_duckdb([*scenario.lines(), facts.line(3, "2026-10-01", 10)]),
        as_of=scenario.AS_OF,
    )
    assert regained.periods["year"].headline["regained"] == 1
    assert regained.periods["quarter"].headline["regained"] == 1  # 1 October: Q4
    assert by_account(regained.accounts)[3]["lost"] is False


def test_a_past_as_of_date_sees_the_portfolio_as_it_was():
    earlier = compute(facts.on_duckdb(scenario.lines()), as_of=dt.date(2025, 12, 31))
    year = by_account(earlier.periods["year"].accounts)
    assert set(year) == {1, 2, 3, 4}  # 5 and 6 had not bought yet
    assert year[1]["revenue"] == Decimal("1200.00")
    assert not by_account(earlier.accounts)[3]["lost"]  # silent 319 days by then


def test_price_sensitivity(results):
    year = by_account(results.periods["year"].accounts)
    assert year[1]["discount_depth"] == pytest.approx(25 / 125)  # discount ÷ (net + discount)
    assert year[1]["discount_trend"] == 0.0
    assert year[1]["haggler"] is True
    assert year[2]["discount_depth"] is None  # no discounts in its lines


def test_cross_sell_whitespace(results):
    rows = [
        (r["account_id"], r["category_id"], r["rank"], round(r["expected_revenue"], 9))
        for r in results.cross_sell.to_pylist()
    ]
    # e.g. account 5 buys only category 1; half of category 1's buyers (1 and 5) also buy 2;
    # category 2 is typically half of its buyers' revenue: 0.5 × 0.5 × 800 = 200
    assert rows == [
        (1, 3, 1, 100.0),
        (2, 1, 1, 375.0),
        (5, 2, 1, 200.0),
        (6, 1, 1, 37.5),
        (6, 3, 2, 25.0),
    ]


def test_no_lines_in_the_window_gives_empty_figures():
    empty = compute(facts.on_duckdb(scenario.lines()), as_of=dt.date(2020, 1, 1))
    assert empty.accounts.num_rows == 0
    headline = empty.periods["year"].headline
    assert headline["revenue"] == "0.00" and headline["retention_rate"] is None
    assert headline["top20_share"] is None and headline["pareto"]["points"] == []


def test_lines_stored_without_a_credit_flag_are_purchases():
    """Facts imported before the importer always set `is_credit` hold NULL for "not a
    credit": they are purchases, so the accounts are active and have a rhythm."""
    lines = [facts.line(1, f"2026-{month:02d}-10", 100, credit=None) for month in range(1, 7)]
    for line in lines:
        line["is_credit"] = None
    results = compute(facts.on_duckdb(lines), as_of=dt.date(2026, 6, 30))
    month = by_account(results.periods["month"].accounts)
    assert month[1]["active"] and month[1]["retained"]
    state = by_account(results.accounts)[1]
    assert state["purchase_days"] == 6 and state["first_purchase"] == dt.date(2026, 1, 10)

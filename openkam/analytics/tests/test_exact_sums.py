"""The variation of revenue (XYZ) and the discount trend come from integer sums, so they do not
depend on the order in which the local DuckDB adds rows up — which lets it use several threads
and still give every engine bit-identical results."""

from __future__ import annotations

import math

import ibis
import numpy as np
import pyarrow as pa
import pytest

from openkam.analytics.metrics import abc_xyz, price

from . import facts, scenario


def test_revenue_cv_is_the_hand_worked_integer_formula():
    """Scenario account 2, yearly revenue 0, 1,000 and 3,000 over a window of three years:
    cv = √(n·Σr² − (Σr)²) / Σr = √(3 × 10,000,000 − 4,000²) / 4,000, in whole cents."""
    from openkam.analytics.suite import compute

    year = compute(facts.on_duckdb(scenario.lines()), as_of=scenario.AS_OF).periods["year"]
    row = next(r for r in year.accounts.to_pylist() if r["account_id"] == 2)
    cents = [0, 100_000, 300_000]
    spread = 3 * sum(r * r for r in cents) - sum(cents) ** 2  # 1.4 × 10¹¹, exact
    assert row["revenue_cv"] == math.sqrt(spread) / sum(cents)
    assert row["revenue_cv"] == pytest.approx(math.sqrt(14_000_000) / 4_000, rel=1e-15)


def test_discount_trend_is_the_least_squares_slope():
    """Depths 30 %, 20 % and 10 % from the oldest period to the newest: −10 points a period."""
    periods = pa.table(
        {
            "account_id": [1, 1, 1],
            "index": [2, 1, 0],
            "discount": [30, 20, 10],
            "gross": [100, 100, 100],
        }
    )
    table = ibis.duckdb.connect().create_table("periods", periods)
    row = price.discount_depth(table, 3).to_pyarrow().to_pylist()[0]
    assert row["discount_depth"] == pytest.approx(60 / 300)
    assert row["discount_trend"] == pytest.approx(-0.1, abs=1e-12)


def random_periods(seed: int = 7) -> pa.Table:
    """Account × period rows, enough for several row groups (so several threads add up)."""
    rng = np.random.default_rng(seed)
    accounts, periods = 40_000, 12
    account = np.repeat(np.arange(accounts), periods)
    index = np.tile(np.arange(periods), accounts)
    keep = rng.random(len(account)) < 0.7
    n = int(keep.sum())
    gross = rng.integers(1, 10**9, n)
    return pa.table(
        {
            "account_id": account[keep],
            "index": index[keep],
            # large revenues: their squares (10²⁰) would round as floats
            "revenue": rng.integers(-(10**9), 10**10, n),
            "margin": rng.integers(0, 10**6, n),
            "discount": (gross * rng.random(n) * 0.4).astype(np.int64),
            "gross": gross,
        }
    )


@pytest.mark.parametrize("metric", ["cv", "trend"])
def test_results_do_not_depend_on_row_order_or_threads(metric):
    data = random_periods()
    shuffled = data.take(np.random.default_rng(1).permutation(data.num_rows))

    def run(table: pa.Table, threads: int) -> pa.Table:
        periods = ibis.duckdb.connect(threads=threads).create_table("periods", table)
        result = (
            abc_xyz.window_totals(periods, 12)
            if metric == "cv"
            else price.discount_depth(periods, 12)
        )
        return result.order_by("account_id").to_pyarrow()

    reference = run(data, 1)
    assert run(shuffled, 4).equals(reference)
    assert run(data, 4).equals(reference)

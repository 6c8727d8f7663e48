"""Up-sell gaps on a hand-worked account × category table (money in whole cents)."""

from __future__ import annotations

import ibis
import pyarrow as pa
import pytest

from openkam.analytics.metrics.upsell import up_sell


def _table(rows: list[tuple[int, int, int]]) -> pa.Table:
    accounts, categories, revenue = zip(*rows, strict=True)
    return pa.table(
        {
            "account_id": pa.array(accounts, pa.int64()),
            "category_id": pa.array(categories, pa.int64()),
            "revenue": pa.array(revenue, pa.int64()),
        }
    )


@pytest.fixture
def local():
    backend = ibis.duckdb.connect()
    yield backend
    backend.disconnect()


def _run(local, rows, **options) -> dict[tuple[int, int], dict]:
    table = local.create_table("bought", _table(rows))
    result = up_sell(table, **options).to_pyarrow().to_pylist()
    return {(row["account_id"], row["category_id"]): row for row in result}


# Four accounts in two bands of two; category 7 is bought by all, category 8 by two.
#   account  size   band   cat 7   cat 8
#   1         300     1     100     200
#   2         500     1     500       —
#   3       1,000     2     100     900
#   4       2,000     2   2,000       —
ROWS = [(1, 7, 100), (1, 8, 200), (2, 7, 500), (3, 7, 100), (3, 8, 900), (4, 7, 2000)]


def test_bands_medians_and_gaps_by_hand(local):
    rows = _run(local, ROWS, bands=2, threshold=0.5, min_buyers=2)
    assert {key: row["size_band"] for key, row in rows.items()} == {
        (1, 7): 1, (1, 8): 1, (2, 7): 1, (3, 7): 2, (3, 8): 2, (4, 7): 2,
    }  # fmt: skip
    # band 1, category 7: median of 100 and 500 = 300; account 1 spends 100 < 150 → gap 200
    assert rows[(1, 7)]["band_median"] == 300 and rows[(1, 7)]["gap"] == 200
    assert rows[(2, 7)]["gap"] is None  # 500 is above the median
    # band 2, category 7: median of 100 and 2,000 = 1,050; 100 < 525 → gap 950
    assert rows[(3, 7)]["band_median"] == 1050 and rows[(3, 7)]["gap"] == 950
    # category 8 has one buyer per band: too few to compare with
    assert rows[(1, 8)]["band_buyers"] == 1 and rows[(1, 8)]["gap"] is None
    assert rows[(3, 8)]["gap"] is None


def test_a_median_of_half_cents_is_rounded_down(local):
    # one band: the median of 100, 151, 502 and 2,000 is (151 + 502) / 2 = 326.5, rounded
    # down to 326 cents; half of it is 163, and 100 and 151 are below it
    rows = _run(
        local,
        [(1, 7, 100), (2, 7, 502), (3, 7, 151), (4, 7, 2000)],
        bands=1,
        threshold=0.5,
        min_buyers=3,
    )
    assert rows[(1, 7)]["band_median"] == 326
    assert rows[(1, 7)]["gap"] == 226  # 100 < 163
    assert rows[(3, 7)]["gap"] == 175  # 151 < 163
    assert rows[(2, 7)]["gap"] is None and rows[(4, 7)]["gap"] is None


def test_ties_in_size_go_by_account_id(local):
    rows = _run(local, [(5, 1, 100), (3, 1, 100), (4, 1, 100), (6, 1, 100)], bands=2)
    assert {account: row["size_band"] for (account, _), row in rows.items()} == {
        3: 1, 4: 1, 5: 2, 6: 2,
    }  # fmt: skip


def test_an_empty_table_gives_no_rows(local):
    empty = local.create_table(
        "empty",
        pa.table(
            {
                "account_id": pa.array([], pa.int64()),
                "category_id": pa.array([], pa.int64()),
                "revenue": pa.array([], pa.int64()),
            }
        ),
    )
    assert up_sell(empty).to_pyarrow().num_rows == 0


def test_the_suite_returns_every_category_bought_in_decimal_money():
    from decimal import Decimal

    from openkam.analytics.suite import compute

    from . import facts, scenario

    results = compute(facts.on_duckdb(scenario.lines()), as_of=scenario.AS_OF)
    rows = results.up_sell.to_pylist()
    assert rows, "the scenario buys categories"
    assert results.up_sell.schema.field("revenue").type == pa.decimal128(18, 2)
    assert all(isinstance(row["revenue"], Decimal) and row["revenue"] > 0 for row in rows)
    assert all(row["gap"] is None or row["gap"] > 0 for row in rows)
    keys = [(row["account_id"], row["category_id"]) for row in rows]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert "up_sell" in results.timings

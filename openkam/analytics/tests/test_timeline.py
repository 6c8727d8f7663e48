"""One account's months and large orders, on DuckDB (the engines test runs them elsewhere)."""

from __future__ import annotations

import datetime as dt

from openkam.analytics.timeline import account_months, large_orders

from .facts import line, on_duckdb

AS_OF = dt.date(2025, 6, 30)


def _lines():
    return [
        line(1, "2025-01-05", 100, document="A"),
        line(1, "2025-01-05", 50, document="A"),  # same invoice: one order of 150
        line(1, "2025-01-20", 100, document="B"),
        line(1, "2025-02-10", -30, document="C"),  # a credit note: nets, is no order
        line(1, "2025-03-01", 1000, document="D"),  # the large one
        line(1, "2025-07-01", 5000, document="E"),  # after the as-of date
        line(2, "2025-01-05", 9999, document="F"),  # another account
    ]


def test_months_net_credits_and_count_orders():
    rows = account_months(on_duckdb(_lines()), 1, AS_OF).order_by("month").to_pyarrow().to_pylist()
    assert rows == [
        {"month": dt.date(2025, 1, 1), "revenue": 25_000, "orders": 2},
        {"month": dt.date(2025, 2, 1), "revenue": -3_000, "orders": 0},
        {"month": dt.date(2025, 3, 1), "revenue": 100_000, "orders": 1},
    ]


def test_large_orders_are_those_worth_three_times_the_average():
    # orders A 150, B 100, D 1000: average 416.67, three times it 1250 -> none at factor 3
    orders = on_duckdb(_lines())
    assert large_orders(orders, 1, AS_OF).to_pyarrow().num_rows == 0
    rows = large_orders(orders, 1, AS_OF, factor=2).to_pyarrow().to_pylist()
    assert rows == [{"day": dt.date(2025, 3, 1), "document": "D", "revenue": 100_000, "lines": 1}]


def test_an_account_without_history_has_no_rows():
    orders = on_duckdb(_lines())
    assert account_months(orders, 3, AS_OF).to_pyarrow().num_rows == 0
    assert large_orders(orders, 3, AS_OF).to_pyarrow().num_rows == 0

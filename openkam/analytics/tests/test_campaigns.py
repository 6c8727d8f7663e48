"""A win-back campaign's window per account, on DuckDB (the engines test runs it elsewhere)."""

from __future__ import annotations

import datetime as dt

import ibis

from openkam.analytics.campaigns import campaign_outcomes, windows_table

from .facts import line, on_duckdb

START, END = dt.date(2025, 3, 1), dt.date(2025, 5, 30)  # the campaign's end + 60 days


def _lines():
    return [
        # 1: bought again — 200 (cost 150) on the first day, 300 (no cost) on the last day
        line(1, "2025-02-28", 999, cost=1),  # the day before the start: ignored
        line(1, "2025-03-01", 200, cost=150),
        line(1, "2025-05-30", 300),
        line(1, "2025-05-31", 888),  # the day after the window: ignored
        # 2: a credit note only inside the window: no purchase, revenue −40
        line(2, "2025-04-10", -40, cost=-30),
        # 3: the first purchase is the later line; the credit note before it nets
        line(3, "2025-03-05", -10),
        line(3, "2025-03-20", 110, cost=100),
        # 4: nothing at all
        # no account: ignored
        line(None, "2025-04-01", 5000),
    ]


def rows(windows=None) -> dict[int, dict]:
    if windows is None:
        windows = [(10 + a, a, START, END) for a in (1, 2, 3, 4)]
    table = campaign_outcomes(on_duckdb(_lines()), windows_table(windows))
    return {row.pop("key"): row for row in table.to_pyarrow().to_pylist()}


def test_first_purchase_revenue_and_margin_inside_the_window():
    assert rows() == {
        11: {
            "account_id": 1,
            "first_purchase": dt.date(2025, 3, 1),
            "revenue": 50_000,
            "margin": 5_000,  # only the line with a cost: 200 − 150
            "purchase_lines": 2,
        },
        12: {
            "account_id": 2,
            "first_purchase": None,
            "revenue": -4_000,
            "margin": -1_000,
            "purchase_lines": 0,
        },
        13: {
            "account_id": 3,
            "first_purchase": dt.date(2025, 3, 20),
            "revenue": 10_000,
            "margin": 1_000,
            "purchase_lines": 1,
        },
        14: {
            "account_id": 4,
            "first_purchase": None,
            "revenue": 0,
            "margin": None,
            "purchase_lines": 0,
        },
    }


def test_one_account_in_two_campaigns_is_measured_in_each_window():
    got = rows([(1, 1, START, dt.date(2025, 3, 31)), (2, 1, dt.date(2025, 4, 1), END)])
    assert (got[1]["revenue"], got[1]["first_purchase"]) == (20_000, dt.date(2025, 3, 1))
    assert (got[2]["revenue"], got[2]["first_purchase"]) == (30_000, dt.date(2025, 5, 30))


def test_no_windows_no_rows():
    assert rows([]) == {}


def test_the_expression_is_plain_ibis():
    lines = ibis.table(dict(on_duckdb(_lines()).schema()), name="order_lines")
    assert "first_purchase" in campaign_outcomes(lines, windows_table([])).columns

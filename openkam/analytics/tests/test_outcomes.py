"""Revenue before and after a date per account, on DuckDB (the engines test runs it elsewhere)."""

from __future__ import annotations

import datetime as dt

import ibis
import pytest

from openkam.analytics.outcomes import account_outcomes, history_end, went_bad, windows

from .facts import line, on_duckdb

AS_OF = dt.date(2025, 6, 30)


def _lines():
    return [
        # 1: steady — 1,000 before, 1,000 after
        line(1, "2024-07-01", 600),  # first day inside the window before
        line(1, "2024-06-30", 5000),  # one day too early: ignored
        line(1, "2025-06-30", 400),  # the date itself counts before
        line(1, "2025-07-01", 1000),  # the day after counts after
        line(1, "2026-07-01", 7000),  # past the 12 months after: ignored
        # 2: shrinks — 1,000 before, 900 − 300 credit note = 600 after
        line(2, "2025-01-10", 1000),
        line(2, "2025-09-10", 900),
        line(2, "2025-10-10", -300),
        # 3: a credit note only after: lost (no purchase) though revenue "after" is −50
        line(3, "2025-03-10", 500),
        line(3, "2025-08-10", -50),
        # 4: new after the date: nothing before
        line(4, "2026-01-10", 300),
        # no account: ignored
        line(None, "2025-01-10", 999),
    ]


def rows(as_of=AS_OF) -> dict[int, dict]:
    table = account_outcomes(on_duckdb(_lines()), as_of)
    return {row.pop("account_id"): row for row in table.to_pyarrow().to_pylist()}


def test_windows_are_twelve_months_each_side_keeping_month_ends():
    w = windows(AS_OF)
    assert (w.before_start, w.after_end) == (dt.date(2024, 6, 30), dt.date(2026, 6, 30))
    assert windows(dt.date(2024, 2, 29)).after_end == dt.date(2025, 2, 28)


def test_revenue_before_and_after_per_account():
    assert rows() == {
        1: {"revenue_before": 100_000, "revenue_after": 100_000, "purchases_after": 1},
        2: {"revenue_before": 100_000, "revenue_after": 60_000, "purchases_after": 1},
        3: {"revenue_before": 50_000, "revenue_after": -5_000, "purchases_after": 0},
        4: {"revenue_before": 0, "revenue_after": 30_000, "purchases_after": 1},
    }


def test_history_end_is_the_last_line_with_an_account():
    lines = on_duckdb([*_lines(), line(None, "2027-01-01", 5)])
    assert history_end(lines).to_pyarrow().as_py() == dt.date(2026, 7, 1)
    empty = on_duckdb([line(None, "2027-01-01", 5)])
    assert history_end(empty).to_pyarrow().as_py() is None


@pytest.mark.parametrize(
    ("before", "after", "purchases", "expected"),
    [
        (100_000, 100_000, 1, False),
        (100_000, 70_000, 1, False),  # exactly 30 % down: not more than 30 %
        (100_000, 69_999, 1, True),
        (100_000, 60_000, 1, True),
        (50_000, -5_000, 0, True),  # lost
        (100_000, 200_000, 0, True),  # credit notes only and no purchase: lost
        (0, 30_000, 1, None),  # nothing before: left out
        (-10, 0, 0, None),
    ],
)
def test_went_bad(before, after, purchases, expected):
    assert went_bad(before, after, purchases) is expected


def test_the_expression_is_plain_ibis():
    lines = ibis.table(dict(on_duckdb(_lines()).schema()), name="order_lines")
    assert "revenue_before" in account_outcomes(lines, AS_OF).columns

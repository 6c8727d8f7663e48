import datetime as dt

import ibis
import pytest

from openkam.analytics.periods import months_back, period_bounds, period_index, shift_months

D = dt.date


def _months_back(day: dt.date, as_of: dt.date) -> int:
    return ibis.duckdb.connect().to_pyarrow(months_back(ibis.literal(day), as_of)).as_py()


@pytest.mark.parametrize(
    ("day", "as_of", "expected"),
    [
        (D(2026, 3, 15), D(2026, 3, 15), 0),  # the as-of date is in period 0
        (D(2026, 2, 16), D(2026, 3, 15), 0),  # (15 Feb, 15 Mar] is period 0
        (D(2026, 2, 15), D(2026, 3, 15), 1),
        (D(2024, 2, 29), D(2024, 3, 28), 0),  # leap day after 28 Feb
        (D(2024, 2, 29), D(2024, 3, 29), 1),
        (D(2024, 2, 29), D(2024, 3, 31), 1),  # month end: calendar months
        (D(2024, 3, 1), D(2024, 3, 31), 0),
        (D(2025, 1, 31), D(2025, 2, 28), 1),  # 28 Feb 2025 is a month end: January is period 1
        (D(2025, 12, 31), D(2026, 12, 31), 12),
        (D(2026, 1, 1), D(2026, 12, 31), 11),
    ],
)
def test_months_back_cuts_periods_at_the_as_of_day(day, as_of, expected):
    assert _months_back(day, as_of) == expected


@pytest.mark.parametrize(
    ("as_of", "period", "index", "bounds"),
    [
        (D(2026, 12, 31), "year", 0, (D(2026, 1, 1), D(2026, 12, 31))),
        (D(2026, 12, 31), "quarter", 1, (D(2026, 7, 1), D(2026, 9, 30))),
        (D(2024, 3, 31), "month", 1, (D(2024, 2, 1), D(2024, 2, 29))),
        (D(2026, 3, 15), "month", 0, (D(2026, 2, 16), D(2026, 3, 15))),
        (D(2024, 3, 30), "month", 0, (D(2024, 3, 1), D(2024, 3, 30))),  # 30 Mar − 1 month = 29 Feb
        (D(2026, 11, 23), "year", 1, (D(2024, 11, 24), D(2025, 11, 23))),
    ],
)
def test_period_bounds(as_of, period, index, bounds):
    assert period_bounds(as_of, period, index) == bounds


def test_bounds_and_index_agree_on_every_day_of_a_leap_year():
    con = ibis.duckdb.connect()
    for as_of in (D(2024, 2, 29), D(2024, 3, 30), D(2024, 5, 31), D(2024, 7, 15)):
        days = [as_of - dt.timedelta(days=offset) for offset in range(800)]
        table = ibis.memtable({"day": days})
        for period in ("month", "quarter", "year"):
            indices = con.to_pyarrow(table.select(i=period_index(table.day, as_of, period)))
            for day, index in zip(days, indices["i"].to_pylist(), strict=True):
                start, end = period_bounds(as_of, period, index)
                assert start <= day <= end, (as_of, period, day, index, start, end)


def test_shift_months_keeps_month_ends():
    assert shift_months(D(2024, 2, 29), -12) == D(2023, 2, 28)
    assert shift_months(D(2023, 2, 28), 12) == D(2024, 2, 29)
    assert shift_months(D(2024, 1, 30), 1) == D(2024, 2, 29)

"""Periods the imported history does not cover: no growth against them, no "new" at its start.

The Online Retail case: the history starts on 1 December 2010 and the portfolio is analysed
as of 9 December 2011. "The previous 12 months" then hold nine days of data; growth on them
(+2,524.7 % in the cockpit) compares a year with nine days.
"""

from __future__ import annotations

import datetime as dt

import pytest

from openkam.analytics.periods import FULL, NONE, PARTIAL, coverage
from openkam.analytics.suite import compute

from . import facts

START = dt.date(2010, 12, 1)
AS_OF = dt.date(2011, 12, 9)


@pytest.mark.parametrize(
    ("bounds", "expected"),
    [
        ((dt.date(2010, 12, 1), dt.date(2010, 12, 31)), FULL),  # starts on the first day
        ((dt.date(2010, 11, 1), dt.date(2010, 11, 30)), NONE),
        ((dt.date(2010, 11, 15), dt.date(2010, 12, 1)), PARTIAL),  # one day of it
        ((dt.date(2011, 1, 1), dt.date(2011, 1, 31)), FULL),
    ],
)
def test_coverage_of_a_period(bounds, expected):
    assert coverage(bounds, START) == expected
    assert coverage(bounds, None) == NONE  # no history at all


@pytest.fixture(scope="module")
def results():
    lines = []
    # account 1 buys every month from the first day of the history; account 2 is first seen
    # on 5 January 2011 (a month after the start: it may have bought before it); account 3
    # is first seen on 3 December 2011, more than a year after the start: new
    day = START
    while day <= AS_OF:
        lines.append(facts.line(1, day, 100))
        day = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    lines += [facts.line(2, "2011-01-05", 500), facts.line(2, "2011-12-05", 700)]
    lines.append(facts.line(3, "2011-12-03", 300))
    return compute(facts.on_duckdb(lines), as_of=AS_OF)


def test_no_growth_against_a_period_the_history_covers_in_part(results):
    assert results.history_start == START
    assert results.history_end == dt.date(2011, 12, 5)  # the last purchase, not the as-of day
    year = results.periods["year"]
    covered = year.headline["coverage"]
    assert covered["history_start"] == "2010-12-01"
    assert (covered["current"], covered["previous"], covered["year_ago"]) == (
        FULL,
        PARTIAL,
        PARTIAL,
    )
    rows = {row["account_id"]: row for row in year.accounts.to_pylist()}
    assert rows[1]["revenue_prev"] is not None  # the nine days' revenue is still shown
    assert all(row["growth_prev"] is None for row in rows.values())
    # quarters: the previous quarter is covered, the same quarter a year before only in part
    quarter = results.periods["quarter"]
    assert quarter.headline["coverage"]["previous"] == FULL
    assert quarter.headline["coverage"]["year_ago"] == PARTIAL
    rows = {row["account_id"]: row for row in quarter.accounts.to_pylist()}
    assert rows[1]["growth_prev"] == 0.0  # 300 in each quarter
    assert rows[1]["growth_year_ago"] is None


def test_periods_before_the_history_are_marked_in_the_series(results):
    month = results.periods["month"].headline["coverage"]
    # month 0 is 10 Nov – 9 Dec 2011 … month 12 would be 10 Nov – 9 Dec 2010
    assert month["periods"][:2] == [FULL, FULL]
    assert month["periods"][11] == FULL  # 10 Dec 2010 – 9 Jan 2011
    assert len(month["periods"]) == 12


def test_the_start_of_the_history_is_not_the_day_every_account_was_won(results):
    year = results.periods["year"]
    rows = {row["account_id"]: row for row in year.accounts.to_pylist()}
    assert not rows[1]["new_in_period"]  # first seen on the first day of the history
    assert not rows[2]["new_in_period"]  # first seen a month later: may have bought before
    assert rows[3]["new_in_period"]  # first seen more than the lost criterion after it
    assert year.headline["new"] == 1
    assert year.headline["coverage"]["new_from"] == "2011-12-02"  # start + 365 + 1 days


def test_a_stated_history_start_overrides_the_first_invoice():
    lines = [facts.line(1, "2011-01-10", 100), facts.line(1, "2011-12-09", 100)]
    stated = compute(facts.on_duckdb(lines), as_of=AS_OF, history_start=dt.date(2009, 1, 1))
    quarter = stated.periods["year"]
    assert quarter.headline["coverage"]["previous"] == FULL
    assert quarter.accounts.to_pylist()[0]["new_in_period"]

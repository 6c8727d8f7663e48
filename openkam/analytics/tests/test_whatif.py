"""The retention what-if on a cohort example worked out by hand.

As of 2025-12-31 the years are calendar years: index 0 = 2025, 1 = 2024, 2 = 2023.

    account  first year  2023   2024   2025          cohort (years back)
    A        2023        100    200    300           2
    B        2023        100    100    –             2
    C        2023         50    –      –             2
    D        2024        –      100    150           1
    E        2024        –       80    –             1
    G        2024        –      100    credit −20    1   (a credit note is no purchase)
    F        2025        –      –       40           0

Transitions (year on year):
    age 1: 2023→2024 of cohort 2023: A, B, C bought, A and B again (200 + 100);
           2024→2025 of cohort 2024: D, E, G bought, D again (150)
           → previously active 6, retained 3, revenue 450: retention 50 %, 150 per account
    age 2: 2024→2025 of cohort 2023: A, B bought, A again (300)
           → previously active 2, retained 1, revenue 300: retention 50 %, 300 per account
    age 3 and older: never observed → age 2's 50 % and 300.
Active now (2025): F at age 0 (40), D at age 1 (150), A at age 2 (300).

Baseline, year 1: F 0.5·150 + D 0.5·300 + A 0.5·300 = 375; year 2: 3 · 0.25·300 = 225;
year 3: 3 · 0.125·300 = 112.5; year 4: 56.25; year 5: 28.125.
    1 year 375.00, 3 years 712.50, 5 years 796.875 → 796.88
Raised by 5 points (55 %): year 1: 0.55·150 + 2 · 0.55·300 = 412.5; year 2: 3 · 0.3025·300 =
272.25; year 3: 3 · 0.166375·300 = 149.7375; year 4: 82.355625; year 5: 45.29559375.
    1 year 412.50 (+10 %), 3 years 834.4875 → 834.49 (+17.12 %),
    5 years 962.13871875 → 962.14 (+20.74 %)
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from openkam.analytics import whatif
from openkam.analytics.whatif import AgeRow

from . import facts

AS_OF = dt.date(2025, 12, 31)
A, B, C, D, E, F, G = 1, 2, 3, 4, 5, 6, 7


def example_lines() -> list[dict]:
    return [
        facts.line(A, "2023-03-01", 100),
        facts.line(A, "2024-03-01", 200),
        facts.line(A, "2025-03-01", 120),
        facts.line(A, "2025-09-01", 180),
        facts.line(B, "2023-05-01", 100),
        facts.line(B, "2024-05-01", 100),
        facts.line(C, "2023-07-01", 50),
        facts.line(D, "2024-02-01", 100),
        facts.line(D, "2025-02-01", 150),
        facts.line(E, "2024-06-01", 80),
        facts.line(G, "2024-06-01", 100),
        facts.line(G, "2025-06-01", -20),
        facts.line(F, "2025-10-01", 40),
        facts.line(F, "2026-01-05", 999),  # after the as-of date: ignored
    ]


def basis_rows(dimension=None, groups=None) -> list[dict]:
    lines = facts.on_duckdb(example_lines())
    dim = None
    if dimension is not None:
        dim = lines._find_backend().create_table("dimension", facts.dimension(dimension))
    table = whatif.basis_from_lines(lines, AS_OF, dimension=dim, groups=groups)
    return table.order_by("group", "key", "age").to_pyarrow().to_pylist()


def test_the_basis_counts_transitions_per_cohort_age():
    rows = basis_rows()
    columns = ("group", "key", "age", "previously_active", "retained", "retained_revenue",
               "active_now", "revenue_now")  # fmt: skip
    assert [tuple(row[c] for c in columns) for row in rows] == [
        ("portfolio", "", 0, 0, 0, 0, 1, 4000),
        ("portfolio", "", 1, 6, 3, 45000, 1, 15000),
        ("portfolio", "", 2, 2, 1, 30000, 1, 30000),
    ]


def test_the_basis_per_owner_keeps_accounts_without_one_under_the_empty_key():
    # A, B, D owned by 10; C, E, F, G by 20; account 99 never bought
    owners = {A: 10, B: 10, D: 10, C: 20, E: 20, F: 20, G: 20}
    dimension = [(a, owner, None, None, False) for a, owner in owners.items() if a != G]
    rows = basis_rows(dimension, {"owner": "owner_id"})
    owner_rows = [(r["key"], r["age"], r["previously_active"], r["retained"]) for r in rows
                  if r["group"] == "owner"]  # fmt: skip
    # G is not in the dimension: its key is ""
    assert owner_rows == [
        ("", 1, 1, 0),
        ("10", 1, 3, 3),  # A, B (2023→24) and D (2024→25), all bought again
        ("10", 2, 2, 1),
        ("20", 0, 0, 0),
        ("20", 1, 2, 0),  # C and E
    ]


def _rows() -> list[AgeRow]:
    return [
        AgeRow(0, active_now=1, revenue_now=Decimal("40")),
        AgeRow(1, 6, 3, Decimal("450"), 1, Decimal("150")),
        AgeRow(2, 2, 1, Decimal("300"), 1, Decimal("300")),
    ]


def test_what_if_projects_baseline_and_raised_revenue_by_hand():
    result = whatif.what_if(_rows(), points=5)
    assert [(h.years, h.baseline, h.raised) for h in result.horizons] == [
        (1, Decimal("375.00"), Decimal("412.50")),
        (3, Decimal("712.50"), Decimal("834.49")),
        (5, Decimal("796.88"), Decimal("962.14")),
    ]
    assert result.horizons[0].uplift_share == pytest.approx(0.10)
    assert result.horizons[1].uplift_share == pytest.approx(
        834.49 / 712.50 - 1
    )  # of the rounded sums
    assert result.horizons[2].uplift_share == pytest.approx(962.14 / 796.88 - 1)
    assert result.yearly_baseline == [Decimal(v) for v in
                                      ("375.00", "225.00", "112.50", "56.25", "28.12")]  # fmt: skip
    assert result.active_now == 3 and result.revenue_now == Decimal("490")
    assert [row.age for row in result.current] == [0, 1, 2]


def test_the_assumptions_fill_unobserved_ages_from_the_nearest_younger_one():
    result = whatif.what_if(_rows(), points=5)
    by_age = {a.age: a for a in result.assumptions}
    assert by_age[1].retention == Decimal("0.5") and by_age[1].revenue_per_retained == 150
    assert by_age[2].observed and by_age[2].revenue_per_retained == 300
    assert not by_age[3].observed and by_age[3].retention == Decimal("0.5")
    assert by_age[3].raised_retention == Decimal("0.55")
    assert max(by_age) == 3  # shown: the observed ages and the first one beyond


def test_raised_retention_is_capped_at_one_hundred_percent():
    rows = [AgeRow(0, active_now=2, revenue_now=Decimal(10)), AgeRow(1, 4, 4, Decimal(80))]
    result = whatif.what_if(rows, points=50)
    assert all(a.raised_retention == 1 for a in result.assumptions)
    # everyone already stays: raising retention changes nothing
    assert [h.uplift for h in result.horizons] == [Decimal(0)] * 3
    assert result.horizons[0].baseline == Decimal("40.00")  # 2 accounts · 20


def test_zero_points_is_the_baseline():
    result = whatif.what_if(_rows(), points=0)
    assert all(h.raised == h.baseline for h in result.horizons)


def test_without_any_transition_nothing_is_projected():
    result = whatif.what_if([AgeRow(0, active_now=3, revenue_now=Decimal(90))])
    assert not result.computable and result.horizons == []
    assert whatif.what_if([]).horizons == []


def test_the_engine_ignores_what_is_older_than_the_observed_years():
    lines = facts.on_duckdb(example_lines())
    table = whatif.basis_from_lines(lines, AS_OF, observed=2)  # 2024 and 2025 only
    rows = table.order_by("age").to_pyarrow().to_pylist()
    # only the 2024→2025 transitions: cohort 2024 at age 1, cohort 2023 at age 2
    assert [(r["age"], r["previously_active"], r["retained"]) for r in rows] == [
        (0, 0, 0),
        (1, 3, 1),
        (2, 2, 1),
    ]

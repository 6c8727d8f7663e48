"""Converting to the reporting currency: the fast DOUBLE path rounds exactly as the DECIMAL one."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import duckdb
from hypothesis import example, given, settings
from hypothesis import strategies as st

from openkam.facts.pipeline import _cents_times_rate, _times_rate

CONVERTED = (
    f"SELECT {_times_rate('amount', 'cents')} FROM "
    f"(SELECT *, {_cents_times_rate('amount')} AS cents FROM "
    "(SELECT CAST($1 AS DECIMAL(18,4)) AS amount, CAST($2 AS {rate_type}) AS fx_rate))"
)


def converted(amount: Decimal, rate: Decimal, rate_type: str = "DECIMAL(18,8)") -> Decimal:
    sql = CONVERTED.format(rate_type=rate_type)
    return duckdb.execute(sql, [str(amount), str(rate)]).fetchone()[0]


def exact(amount: Decimal, rate: Decimal) -> Decimal:
    """Round half away from zero, as DuckDB rounds a DECIMAL."""
    return (amount * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


amounts = st.decimals(
    min_value=Decimal("-99999999999.9999"), max_value=Decimal("99999999999.9999"), places=4
)
rates = st.decimals(min_value=Decimal("0.00000001"), max_value=Decimal("99999.99999999"), places=8)


@settings(max_examples=400, deadline=None)
@given(amounts, rates)
@example(Decimal("1.0000"), Decimal("0.00500000"))  # exactly half a cent: away from zero
@example(Decimal("-1.0000"), Decimal("0.00500000"))
@example(Decimal("0.0100"), Decimal("0.50000000"))
@example(Decimal("1205.0000"), Decimal("0.02800000"))
@example(Decimal("12345678.9050"), Decimal("1.00000000"))  # a tie the DOUBLE cannot hold
@example(Decimal("99999999999.9999"), Decimal("99999.99999999"))  # beyond a DOUBLE's cents
@example(Decimal("5610000.0000"), Decimal("0.00004000"))
def test_converted_amounts_round_like_the_exact_product(amount, rate):
    assert converted(amount, rate) == exact(amount, rate)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.sampled_from([Decimal("0.02800000"), Decimal("0.00004000"), Decimal("1.08000000")]),
)
def test_products_a_hair_from_a_half_cent_round_exactly(cents, rate):
    """Amounts whose product lies at, or within 1e-12 of, a half cent: the DOUBLE cannot
    tell which way they go, the exact path must."""
    for nudge in (Decimal(0), Decimal("1e-4"), Decimal("-1e-4")):
        amount = ((Decimal(cents) + Decimal("0.5")) / 100 / rate).quantize(Decimal("1e-4"))
        amount += nudge
        if abs(amount) < Decimal("1e14"):
            assert converted(amount, rate) == exact(amount, rate)


def test_a_reporting_currency_rate_of_one_keeps_the_amount():
    # the facts use `CASE WHEN currency = reporting THEN 1 ELSE rate END`: a wider type
    assert converted(Decimal("-1234.5650"), Decimal(1), "DECIMAL(19,8)") == Decimal("-1234.57")
    assert converted(Decimal("0.0049"), Decimal(1), "INTEGER") == Decimal("0.00")

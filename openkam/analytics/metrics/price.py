"""Price sensitivity: how deep the discounts an account gets are, and where they are heading."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

# A period's discount depth enters the trend as a whole number of parts per trillion, so
# every sum is an exact integer and the trend does not depend on the order in which an engine
# adds up (whatever its number of threads). Depths beyond ±1,000 (a discount a thousand times
# the list value: a data error) are clipped so that the sums cannot overflow.
DEPTH_UNITS = 10**12
DEPTH_LIMIT = 1_000


def discount_depth(periods: ir.Table, window: int) -> ir.Table:
    """Per account over the window: average discount depth (discount ÷ value before discount,
    weighted by value) and its trend, the least-squares slope of each period's depth per
    period, oldest to newest (positive: discounts getting deeper). Accounts whose lines carry
    no discounts have no row."""
    periods = periods.filter(periods.index < window, periods.gross > 0)
    depth = periods.discount.cast("float64") / periods.gross.cast("float64")
    clipped = ibis.least(ibis.greatest(depth, -DEPTH_LIMIT), DEPTH_LIMIT)
    periods = periods.mutate(
        x=window - 1 - periods.index,  # 0 = oldest period of the window
        y=(clipped * DEPTH_UNITS).round().cast("int64"),
    )
    x, y = periods.x, periods.y
    sums = periods.group_by("account_id").aggregate(
        discount=periods.discount.sum(),
        gross=periods.gross.sum(),
        n=periods.count(),
        sx=x.sum(),
        sy=y.sum(),
        sxy=(x * y).sum(),
        sxx=(x * x).sum(),
    )

    def exact(value: ir.IntegerValue) -> ir.DecimalValue:
        return value.cast("decimal(38, 0)")

    # slope = (n·Σxy − Σx·Σy) / (n·Σx² − (Σx)²), numerator and denominator exact integers
    numerator = exact(sums.n) * exact(sums.sxy) - exact(sums.sx) * exact(sums.sy)
    denominator = sums.n * sums.sxx - sums.sx * sums.sx
    return sums.select(
        "account_id",
        discount_depth=sums.discount.cast("float64") / sums.gross.cast("float64"),
        discount_trend=ibis.ifelse(
            (sums.n >= 2) & (denominator > 0),
            numerator.cast("float64") / (denominator.cast("float64") * DEPTH_UNITS),
            ibis.null("float64"),
        ),
    )

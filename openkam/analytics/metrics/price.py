"""Price sensitivity: how deep the discounts an account gets are, and where they are heading."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir


def discount_depth(periods: ir.Table, window: int) -> ir.Table:
    """Per account over the window: average discount depth (discount ÷ value before discount,
    weighted by value) and its trend, the least-squares slope of each period's depth per
    period, oldest to newest (positive: discounts getting deeper). Accounts whose lines carry
    no discounts have no row."""
    periods = periods.filter(periods.index < window, periods.gross > 0)
    depth = periods.discount.cast("float64") / periods.gross.cast("float64")
    x = (window - 1 - periods.index).cast("float64")  # 0 = oldest period of the window
    sums = periods.group_by("account_id").aggregate(
        discount=periods.discount.sum(),
        gross=periods.gross.sum(),
        n=periods.count(),
        sx=x.sum(),
        sy=depth.sum(),
        sxy=(x * depth).sum(),
        sxx=(x * x).sum(),
    )
    n = sums.n.cast("float64")
    denominator = n * sums.sxx - sums.sx * sums.sx
    return sums.select(
        "account_id",
        discount_depth=sums.discount.cast("float64") / sums.gross.cast("float64"),
        discount_trend=ibis.ifelse(
            (sums.n >= 2) & (denominator > 0),
            (n * sums.sxy - sums.sx * sums.sy) / denominator,
            ibis.null("float64"),
        ),
    )

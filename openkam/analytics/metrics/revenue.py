"""Revenue, margin, volume and orders per account and period."""

from __future__ import annotations

import datetime as dt

import ibis
import ibis.expr.types as ir

from ..periods import period_index


def account_periods(days: ir.Table, as_of: dt.date, period: str, count: int) -> ir.Table:
    """One row per account and period index (0 = the period ending on `as_of`) for the last
    `count` periods, only where the account had lines. Money stays exact (decimal)."""
    indexed = days.mutate(index=period_index(days.day, as_of, period))
    indexed = indexed.filter(indexed.index < count)
    purchased = indexed.purchase_lines > 0
    return indexed.group_by("account_id", "index").aggregate(
        revenue=indexed.revenue.sum(),
        margin=indexed.margin.sum(),
        quantity=indexed.quantity.sum(),
        orders=indexed.orders.sum(),
        purchase_days=purchased.sum(),
        discount=indexed.discount.sum(),
        gross=indexed.gross.sum(),
    )


def growth(current: ir.NumericValue, before: ir.NumericValue) -> ir.FloatingValue:
    """Relative change; undefined (NULL) when there was no positive revenue before."""
    current, before = current.cast("float64"), before.cast("float64")
    return ibis.ifelse(before > 0, (current - before) / before, ibis.null("float64"))

"""One account's sales history for its relationship timeline: revenue per month, large orders.

Both are reductions of the order lines of a single account, run on the fact engine, so a page
reads a few hundred rows however long the history is. Money comes back as whole cents in the
reporting currency, like `daily.account_days`.
"""

from __future__ import annotations

import datetime as dt

import ibis
import ibis.expr.types as ir

from .daily import account_lines, cents

# An order is "large" when it is worth this many times the account's average order.
LARGE_ORDER_FACTOR = 3.0


def _account(order_lines: ir.Table, account_id: int, as_of: dt.date) -> ir.Table:
    lines = account_lines(order_lines, as_of)
    return lines.filter(lines.account_id == ibis.literal(account_id, "int64"))


def account_months(order_lines: ir.Table, account_id: int, as_of: dt.date) -> ir.Table:
    """Revenue (cents, credit notes netted) and orders (invoices with a purchase) per month:
    columns month (the first day), revenue, orders."""
    lines = _account(order_lines, account_id, as_of)
    purchase = ~lines.is_credit.fill_null(False)
    month = lines.invoice_date.truncate("M").cast("date")
    invoices = lines.group_by(month=month, document=lines.document_number).aggregate(
        revenue=lines.net_amount_rc.sum(),
        purchase_lines=ibis.ifelse(purchase, 1, 0).sum(),
    )
    return invoices.group_by("month").aggregate(
        revenue=cents(invoices.revenue.sum()),
        orders=(invoices.purchase_lines > 0).sum(),
    )


def large_orders(
    order_lines: ir.Table,
    account_id: int,
    as_of: dt.date,
    *,
    factor: float = LARGE_ORDER_FACTOR,
) -> ir.Table:
    """The account's orders worth at least `factor` × its average order: columns day,
    document, revenue (cents), lines. Credit notes are not orders and are left out."""
    lines = _account(order_lines, account_id, as_of)
    lines = lines.filter(~lines.is_credit.fill_null(False), lines.document_number.notnull())
    orders = lines.group_by(day=lines.invoice_date, document=lines.document_number).aggregate(
        revenue=cents(lines.net_amount_rc.sum()), lines=lines.count()
    )
    average = orders.revenue.mean().as_scalar()
    return orders.filter(orders.revenue >= average * factor, orders.revenue > 0)

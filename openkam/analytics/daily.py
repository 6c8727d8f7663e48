"""The first reduction, done on the fact engine: order lines → one row per account and day.

Everything else in the engine starts from this table, which is one to two orders of magnitude
smaller than the order lines, so it is computed once per run (and cached by the engine).
Lines without an account and lines after the as-of date are left out here, once.

Money is carried as whole cents in 64-bit integers (quantities in ten-thousandths) from here
on: exact on every engine like the facts' decimals, and several times faster to add up than
128-bit decimals. `suite` turns them back into decimals for the results.
"""

from __future__ import annotations

import datetime as dt

import ibis
import ibis.expr.types as ir

CENTS = 100
QUANTITY_UNITS = 10_000


def cents(amount: ir.NumericValue) -> ir.IntegerValue:
    """An amount in whole cents (rounded half away from zero on every engine)."""
    return (amount * CENTS).round(0).cast("int64")


def account_lines(order_lines: ir.Table, as_of: dt.date) -> ir.Table:
    """The order lines account analytics look at: with an account, invoiced by `as_of`."""
    return order_lines.filter(
        order_lines.account_id.notnull(), order_lines.invoice_date <= ibis.literal(as_of)
    )


def account_days(lines: ir.Table) -> ir.Table:
    """Per account and invoice date: money (whole cents in the reporting currency), volume,
    orders and whether the account bought that day (a day with credit notes only is no
    purchase: it nets against revenue but does not move the rhythm).

    Orders are the distinct invoices (document numbers) of the day's purchase lines, counted
    in a narrow query of their own and joined: counting distinct values inside the big
    aggregation is about twice as slow. Lines without a document number make one order."""
    purchase = ~lines.is_credit
    with_discount = purchase & lines.discount.notnull()
    days = lines.group_by(account_id=lines.account_id, day=lines.invoice_date).aggregate(
        revenue=cents(lines.net_amount_rc).sum(),
        cost=cents(lines.cost_rc).sum(),
        # margin only over lines that carry a cost, so a missing cost is not a 100 % margin
        margin=cents(lines.net_amount_rc - lines.cost_rc).sum(),
        quantity=(lines.quantity * QUANTITY_UNITS).round(0).cast("int64").sum(),
        lines=lines.count(),
        purchase_lines=ibis.ifelse(purchase, 1, 0).sum(),
        # discount depth: discount over list value (net + discount), non-credit lines only
        discount=cents(lines.discount * lines.fx_rate).sum(where=with_discount),
        gross=cents((lines.net_amount + lines.discount) * lines.fx_rate).sum(where=with_discount),
    )
    invoices = (
        lines.filter(purchase)
        .select(account_id=lines.account_id, day=lines.invoice_date, document=lines.document_number)
        .distinct()
    )
    orders = invoices.group_by("account_id", "day").aggregate(orders=invoices.count())
    joined = days.left_join(orders, ["account_id", "day"])
    return joined.select(
        *(joined[name] for name in days.columns), orders=joined.orders.fill_null(0)
    )


def account_categories(lines: ir.Table) -> ir.Table:
    """Revenue per account and product category (for the cross-sell whitespace)."""
    lines = lines.filter(lines.category_id.notnull())
    return lines.group_by("account_id", "category_id").aggregate(
        revenue=cents(lines.net_amount_rc).sum()
    )

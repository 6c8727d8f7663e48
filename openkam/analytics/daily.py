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
    """Per account and invoice date: money (exact decimals in the reporting currency), volume,
    orders and whether the account bought that day (a day with credit notes only is no
    purchase: it nets against revenue but does not move the rhythm).

    Two steps — per document, then per day — because counting distinct documents inside
    one aggregation is several times slower on every engine. Lines without a document
    number count as one order per day."""
    purchase = ~lines.is_credit
    with_discount = purchase & lines.discount.notnull()
    documents = lines.group_by(
        account_id=lines.account_id, day=lines.invoice_date, document=lines.document_number
    ).aggregate(
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
    return documents.group_by("account_id", "day").aggregate(
        revenue=documents.revenue.sum(),
        cost=documents.cost.sum(),
        margin=documents.margin.sum(),
        quantity=documents.quantity.sum(),
        lines=documents.lines.sum(),
        orders=ibis.ifelse(documents.purchase_lines > 0, 1, 0).sum(),
        purchase_lines=documents.purchase_lines.sum(),
        discount=documents.discount.sum(),
        gross=documents.gross.sum(),
    )


def account_categories(lines: ir.Table) -> ir.Table:
    """Revenue per account and product category (for the cross-sell whitespace)."""
    lines = lines.filter(lines.category_id.notnull())
    return lines.group_by("account_id", "category_id").aggregate(
        revenue=cents(lines.net_amount_rc).sum()
    )

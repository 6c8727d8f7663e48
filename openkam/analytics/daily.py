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
    """A decimal amount in whole cents (rounded half away from zero on every engine).

    The amount is narrowed to DECIMAL(18, 2) first: engines widen the sums of decimals to 38
    digits, and multiplying those is several times slower (DuckDB checks every 128-bit product
    for overflow)."""
    return (amount.cast("decimal(18, 2)") * CENTS).cast("int64")


def units(quantity: ir.NumericValue) -> ir.IntegerValue:
    """A decimal quantity in ten-thousandths (rounded as `cents`)."""
    return (quantity.cast("decimal(18, 4)") * QUANTITY_UNITS).cast("int64")


def account_lines(order_lines: ir.Table, as_of: dt.date) -> ir.Table:
    """The order lines account analytics look at: with an account, invoiced by `as_of`."""
    return order_lines.filter(
        order_lines.account_id.notnull(), order_lines.invoice_date <= ibis.literal(as_of)
    )


def account_days(lines: ir.Table) -> ir.Table:
    """Per account and invoice date: money (whole cents in the reporting currency), volume,
    orders and whether the account bought that day (a day with credit notes only is no
    purchase: it nets against revenue but does not move the rhythm).

    One pass over the lines, grouped by account, day and invoice (document number), then the
    invoices are added up per day: orders are the invoices with a purchase line, so no second
    scan and no distinct count (lines without a document number make one order). The lines'
    decimals are summed as decimals (exact on every engine) and turned into whole cents on the
    small table; discounts in a foreign currency are converted and rounded to the cent line
    by line, as the reporting-currency amounts are."""
    # Facts imported before the importer always set the flag hold NULL for "not a credit"
    # (files without a document type): counted as purchases, not as nothing.
    purchase = ~lines.is_credit.fill_null(False)
    with_discount = purchase & lines.discount.notnull()
    discount = (lines.discount * lines.fx_rate).round(2)
    list_value = ((lines.net_amount + lines.discount) * lines.fx_rate).round(2)
    invoices = lines.group_by(
        account_id=lines.account_id, day=lines.invoice_date, document=lines.document_number
    ).aggregate(
        revenue=lines.net_amount_rc.sum(),
        # margin only over lines that carry a cost, so a missing cost is not a 100 % margin
        margin=(lines.net_amount_rc - lines.cost_rc).sum(),
        quantity=lines.quantity.sum(),
        purchase_lines=ibis.ifelse(purchase, 1, 0).sum(),
        # discount depth: discount over list value (net + discount), non-credit lines only
        discount=discount.sum(where=with_discount),
        gross=list_value.sum(where=with_discount),
    )
    return invoices.group_by("account_id", "day").aggregate(
        revenue=cents(invoices.revenue.sum()),
        margin=cents(invoices.margin.sum()),
        quantity=units(invoices.quantity.sum()),
        purchase_lines=invoices.purchase_lines.sum(),
        orders=(invoices.purchase_lines > 0).sum(),
        discount=cents(invoices.discount.sum()),
        gross=cents(invoices.gross.sum()),
    )


def account_categories(lines: ir.Table) -> ir.Table:
    """Revenue per account and product category (for the cross-sell whitespace)."""
    lines = lines.filter(lines.category_id.notnull())
    return lines.group_by("account_id", "category_id").aggregate(
        revenue=cents(lines.net_amount_rc.sum())
    )

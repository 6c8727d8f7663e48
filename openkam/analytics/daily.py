"""The first reduction, done on the fact engine: order lines → one row per account and day.

Everything else in the engine starts from this table, which is one to two orders of magnitude
smaller than the order lines, so it is computed once per run (and cached by the engine).
Lines without an account and lines after the as-of date are left out here, once.
"""

from __future__ import annotations

import datetime as dt

import ibis
import ibis.expr.types as ir

MONEY = "decimal(18, 2)"


def account_lines(order_lines: ir.Table, as_of: dt.date) -> ir.Table:
    """The order lines account analytics look at: with an account, invoiced by `as_of`."""
    return order_lines.filter(
        order_lines.account_id.notnull(), order_lines.invoice_date <= ibis.literal(as_of)
    )


def account_days(lines: ir.Table) -> ir.Table:
    """Per account and invoice date: money (exact decimals in the reporting currency), volume,
    orders and whether the account bought that day (a day with credit notes only is no
    purchase: it nets against revenue but does not move the rhythm)."""
    purchase = ~lines.is_credit
    gross = (lines.net_amount + lines.discount) * lines.fx_rate
    return lines.group_by(account_id=lines.account_id, day=lines.invoice_date).aggregate(
        revenue=lines.net_amount_rc.sum().cast(MONEY),
        cost=lines.cost_rc.sum().cast(MONEY),
        # margin only over lines that carry a cost, so a missing cost is not a 100 % margin
        margin=(lines.net_amount_rc - lines.cost_rc).sum().cast(MONEY),
        quantity=lines.quantity.sum(),
        lines=lines.count(),
        orders=lines.document_number.nunique(where=purchase),
        purchase_lines=purchase.sum(),
        # discount depth: discount over list value (net + discount), non-credit lines only
        discount=(lines.discount * lines.fx_rate).sum(where=purchase & lines.discount.notnull()),
        gross=gross.sum(where=purchase & lines.discount.notnull()),
    )


def account_categories(lines: ir.Table) -> ir.Table:
    """Revenue per account and product category (for the cross-sell whitespace)."""
    lines = lines.filter(lines.category_id.notnull())
    return lines.group_by("account_id", "category_id").aggregate(
        revenue=lines.net_amount_rc.sum().cast(MONEY)
    )

"""What a win-back campaign's accounts bought within the campaign's measurement window.

A campaign runs from its start to its end; its outcome is measured from the start to the end
plus N days (the window closes later than the offer, since a regained customer may order a few
weeks after accepting it). Per (account, window): the first purchase inside it, the revenue
and the margin inside it. One join of the order lines with the small table of windows on the
fact engine, grouped by window, so it runs on DuckDB, PostgreSQL and Spark alike.

Money comes back as whole cents in the reporting currency (like `daily.account_days`); credit
notes net against revenue but are no purchase. Margin is summed over the lines that carry a
cost (NULL when none does: a missing cost is not a 100 % margin).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from .daily import cents

WINDOW_SCHEMA = pa.schema(
    [
        ("key", pa.int64()),  # the caller's id for the window (a campaign account)
        ("account_id", pa.int64()),
        ("start", pa.date32()),  # inclusive
        ("end", pa.date32()),  # inclusive: the campaign's end + the measurement days
    ]
)


def windows_table(rows: Iterable[tuple[int, int, dt.date, dt.date]]) -> ir.Table:
    """(key, account_id, start, end) rows as an Ibis memtable the fact engine can join."""
    keys, accounts, starts, ends = [], [], [], []
    for key, account_id, start, end in rows:
        keys.append(key)
        accounts.append(account_id)
        starts.append(start)
        ends.append(end)
    data = pa.table([keys, accounts, starts, ends], schema=WINDOW_SCHEMA)
    return ibis.memtable(data)


def campaign_outcomes(order_lines: ir.Table, windows: ir.Table) -> ir.Table:
    """One row per window (`key`): first_purchase (the first invoice date of a purchase line
    inside the window, NULL without one), revenue (cents, credit notes netted, 0 without
    lines), margin (cents over the lines with a cost, NULL without any) and purchase_lines."""
    w = windows.select(
        window_key=windows.key,
        window_account=windows.account_id,
        window_start=windows.start,
        window_end=windows.end,
    )
    lines = order_lines.filter(order_lines.account_id.notnull())
    inside = lines.join(
        w,
        [
            lines.account_id == w.window_account,
            lines.invoice_date >= w.window_start,
            lines.invoice_date <= w.window_end,
        ],
    )
    purchase = ~inside.is_credit.fill_null(False)
    totals = inside.group_by(outcome_key=inside.window_key).aggregate(
        first_purchase=inside.invoice_date.min(where=purchase),
        revenue=cents(inside.net_amount_rc.sum()),
        margin=cents((inside.net_amount_rc - inside.cost_rc).sum()),
        purchase_lines=ibis.ifelse(purchase, 1, 0).sum(),
    )
    every = windows.left_join(totals, windows.key == totals.outcome_key)
    return every.select(
        key=every.key,
        account_id=every.account_id,
        first_purchase=every.first_purchase,
        revenue=every.revenue.fill_null(0),
        margin=every.margin,
        purchase_lines=every.purchase_lines.fill_null(0).cast("int64"),
    )

"""What happened to each account after a date: its revenue in the 12 months before and after.

The health score's backtest labels an account "went bad" as of a past date when, in the
following 12 months, it bought nothing (lost) or its revenue fell by more than 30 % against the
12 months before. One pass over the order lines on the fact engine, grouped by account, so it
runs on DuckDB, PostgreSQL and Spark alike. Money comes back as whole cents in the reporting
currency, like `daily.account_days`; credit notes net against revenue but are no purchase.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from .daily import cents
from .periods import shift_months

HORIZON_MONTHS = 12  # the window before and after the date
SHRINK_SHARE = 0.30  # revenue down by more than this share: it shrank


@dataclass(frozen=True)
class Windows:
    """(before_start, as_of] and (as_of, after_end]: both `HORIZON_MONTHS` long."""

    before_start: dt.date  # exclusive
    as_of: dt.date
    after_end: dt.date  # inclusive


def windows(as_of: dt.date, months: int = HORIZON_MONTHS) -> Windows:
    return Windows(shift_months(as_of, -months), as_of, shift_months(as_of, months))


def account_outcomes(
    order_lines: ir.Table, as_of: dt.date, *, months: int = HORIZON_MONTHS
) -> ir.Table:
    """Per account that has order lines in either window: columns account_id, revenue_before
    and revenue_after (cents, credit notes netted), purchases_after (order lines of a purchase,
    not a credit note, after the date)."""
    w = windows(as_of, months)
    lines = order_lines.filter(
        order_lines.account_id.notnull(),
        order_lines.invoice_date > ibis.literal(w.before_start),
        order_lines.invoice_date <= ibis.literal(w.after_end),
    )
    after = lines.invoice_date > ibis.literal(as_of)
    purchase = ~lines.is_credit.fill_null(False)
    return lines.group_by("account_id").aggregate(
        revenue_before=cents(lines.net_amount_rc.sum(where=~after)).fill_null(0),
        revenue_after=cents(lines.net_amount_rc.sum(where=after)).fill_null(0),
        purchases_after=ibis.ifelse(after & purchase, 1, 0).sum(),
    )


def history_end(order_lines: ir.Table) -> ir.Scalar:
    """The last invoice date of a line with an account (None without any)."""
    lines = order_lines.filter(order_lines.account_id.notnull())
    return lines.invoice_date.max()


def went_bad(
    revenue_before: int, revenue_after: int, purchases_after: int, *, shrink: float = SHRINK_SHARE
) -> bool | None:
    """True when the account was lost (no purchase after the date) or its revenue after is more
    than `shrink` below its revenue before; None when it had no revenue before (nothing to lose:
    left out of the backtest)."""
    if revenue_before <= 0:
        return None
    if purchases_after <= 0:
        return True
    return revenue_after < (1.0 - shrink) * revenue_before

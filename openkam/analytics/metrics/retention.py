"""Retention per period: of the accounts that bought in the previous period, who bought again —
counted in accounts (logo retention) and in revenue (net and gross revenue retention)."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir


def period_pairs(periods: ir.Table, count: int) -> ir.Table:
    """Each account's period `index` beside the period before it (`index + 1`), for the
    indices 0..count-1, wherever the account had lines in either of the two."""
    now = periods.select("account_id", "index", revenue="revenue", active=periods.purchase_days > 0)
    before = periods.select(
        "account_id",
        index=periods.index - 1,
        prev_revenue=periods.revenue,
        prev_active=periods.purchase_days > 0,
    )
    pairs = now.outer_join(before, [now.account_id == before.account_id, now.index == before.index])
    pairs = pairs.select(
        account_id=pairs.account_id.coalesce(pairs.account_id_right),
        index=pairs.index.coalesce(pairs.index_right),
        revenue=pairs.revenue.fill_null(0),
        prev_revenue=pairs.prev_revenue.fill_null(0),
        active=pairs.active.fill_null(False),
        prev_active=pairs.prev_active.fill_null(False),
    )
    return pairs.filter(pairs.index >= 0, pairs.index < count)


def retention_aggregates(pairs: ir.Table) -> dict[str, ir.Value]:
    """The aggregates of a group of period pairs (use in `aggregate`)."""
    base = pairs.prev_active
    zero = ibis.literal(0).cast(pairs.revenue.type())
    kept = ibis.cases((pairs.revenue < zero, zero), else_=pairs.revenue)
    return {
        "revenue": pairs.revenue.sum(),
        "active": pairs.active.sum(),
        "previously_active": base.sum(),
        "retained": (base & pairs.active).sum(),
        "base_revenue": pairs.prev_revenue.sum(where=base),
        # net: everything last period's buyers spent now (expansion included)
        "retained_revenue_net": pairs.revenue.sum(where=base),
        # gross: capped at what each spent before (no expansion, no negative)
        "retained_revenue_gross": ibis.cases(
            (kept > pairs.prev_revenue, pairs.prev_revenue), else_=kept
        ).sum(where=base),
    }


def rates(series: ir.Table) -> ir.Table:
    """Add the three retention rates (NULL where nobody bought in the period before)."""

    def ratio(numerator: ir.NumericValue, denominator: ir.NumericValue) -> ir.FloatingValue:
        denominator = denominator.cast("float64")
        return ibis.ifelse(
            denominator > 0, numerator.cast("float64") / denominator, ibis.null("float64")
        )

    return series.mutate(
        retention_rate=ratio(series.retained, series.previously_active),
        revenue_retention_net=ratio(series.retained_revenue_net, series.base_revenue),
        revenue_retention_gross=ratio(series.retained_revenue_gross, series.base_revenue),
    )

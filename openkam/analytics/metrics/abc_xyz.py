"""ABC by value, XYZ by variability, and the nine-cell matrix."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

ABC = ("A", "B", "C")
XYZ = ("X", "Y", "Z")


def window_totals(periods: ir.Table, window: int) -> ir.Table:
    """Per account over the window (`window` periods): revenue, margin and the coefficient of
    variation of revenue per period, periods without purchases counted as zero.

    With n periods and revenues r (whole cents), cv = √(n·Σr² − (Σr)²) / Σr: the integer
    sums (squares in 38-digit decimals) are exact, so the result does not depend on the order
    in which an engine adds up, whatever the number of threads."""
    periods = periods.filter(periods.index < window)
    revenue = periods.revenue.cast("decimal(38, 0)")
    totals = periods.group_by("account_id").aggregate(
        window_revenue=periods.revenue.sum(),
        window_margin=periods.margin.sum(),
        sum_squares=(revenue * revenue).sum(),
    )
    total = totals.window_revenue.cast("decimal(38, 0)")
    spread = (totals.sum_squares * window - total * total).cast("float64").sqrt()
    cv = ibis.ifelse(
        totals.window_revenue > 0,
        spread / totals.window_revenue.cast("float64"),
        ibis.null("float64"),
    )
    return totals.mutate(revenue_cv=cv).drop("sum_squares")


def abc_classes(totals: ir.Table, measure: str, cutoffs: tuple[float, float]) -> ir.Table:
    """ABC class per account: ranked by the measure (ties: lower account id first); an account
    is A while the value ranked above it is less than the first cut-off share of the total,
    so the account that crosses the line is still A. Accounts with no positive value are C."""
    value = totals[f"window_{measure}"]
    positive = totals.filter(value > 0)
    positive_value = positive[f"window_{measure}"]
    order = [ibis.desc(positive_value), positive.account_id]
    # running and total sums in whole cents (exact), divided as floats
    running = positive_value.sum().over(ibis.cumulative_window(order_by=order))
    total = positive_value.sum().over(ibis.window())
    share_before = (running - positive_value).cast("float64") / total.cast("float64")
    ranked = positive.mutate(
        abc=ibis.cases(
            (share_before < cutoffs[0], "A"), (share_before < cutoffs[1], "B"), else_="C"
        ),
    ).select("account_id", "abc")
    joined = totals.left_join(ranked, "account_id").drop("account_id_right")
    return joined.mutate(abc=joined.abc.fill_null("C"))


def xyz_class(cv: ir.FloatingValue, cutoffs: tuple[float, float]) -> ir.StringValue:
    """X when steady (cv ≤ first cut-off), Y up to the second, Z beyond; NULL without revenue."""
    return ibis.cases(
        (cv.isnull(), ibis.null("string")),
        (cv <= cutoffs[0], "X"),
        (cv <= cutoffs[1], "Y"),
        else_="Z",
    )


def matrix(classified: ir.Table) -> ir.Table:
    """The nine cells: number of accounts and window revenue per ABC × XYZ class."""
    rows = classified.filter(classified.xyz.notnull())
    return rows.group_by("abc", "xyz").aggregate(
        accounts=rows.count(), revenue=rows.window_revenue.sum()
    )

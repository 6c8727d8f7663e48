"""Up-sell: categories an account buys, but far less of than similar accounts of its size.

Accounts are put in size bands by what they bought over the window (the account × category
table, categories with positive revenue): ranked by that size (ties: lower account id first),
the account at 0-based position p of n is in band ⌊p × bands / n⌋ + 1, so band 1 holds the
smallest accounts and every band holds about the same number. Per band and category the
median spend of the band's accounts that buy the category is the yardstick (rounded down to
the cent); an account whose spend in a category it buys is below `threshold` of that median
— in a band where at least `min_buyers` accounts buy it — has an up-sell gap: the median less
its spend, the revenue it would add by buying as much as a typical account of its size.

Every row of the account × category table is returned (the share of wallet needs what the
account buys of each category too); `gap` is NULL where there is no up-sell. Money is in
whole cents here (int64), as everywhere in stage 2.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir


def up_sell(
    bought: ir.Table, *, bands: int = 10, threshold: float = 0.5, min_buyers: int = 3
) -> ir.Table:
    """Per account and category bought: its revenue, size band, the band's buyers and median
    spend in the category, and the up-sell gap (NULL when there is none)."""
    sizes = bought.group_by("account_id").aggregate(size=bought.revenue.sum())
    ranked = sizes.mutate(
        position=ibis.row_number().over(order_by=[sizes.size, sizes.account_id]),
        accounts=sizes.account_id.count().over(),
    )
    banded = ranked.select(
        "account_id",
        size_band=((ranked.position * bands) // ranked.accounts).cast("int64") + 1,
    )
    rows = bought.join(banded, "account_id")
    yardstick = rows.group_by("size_band", "category_id").aggregate(
        band_buyers=rows.account_id.count(),
        band_median=rows.revenue.median().floor().cast("int64"),
    )
    rows = rows.join(yardstick, ["size_band", "category_id"])
    below = (rows.band_buyers >= min_buyers) & (
        rows.revenue.cast("float64") < rows.band_median.cast("float64") * threshold
    )
    return rows.select(
        "account_id",
        "category_id",
        "revenue",
        "size_band",
        "band_buyers",
        "band_median",
        gap=ibis.ifelse(below, rows.band_median - rows.revenue, ibis.null("int64")),
    ).order_by("account_id", "category_id")

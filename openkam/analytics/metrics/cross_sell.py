"""Cross-sell whitespace: what each account buys, and which categories accounts like it buy
that it does not.

"Accounts like it" are the accounts that share its categories: for a category c the account
does not buy, its affinity is the average, over the categories the account does buy, of the
share of their buyers who also buy c (item-to-item association, as in market-basket
analysis). Expected revenue = affinity × the median share of c in its buyers' revenue × the
account's own revenue over the window — so a big account's gap ranks above a small one's.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir


def matrix(categories: ir.Table) -> ir.Table:
    """The account × category matrix (rows where the account bought, with net revenue)."""
    return categories.filter(categories.revenue > 0)


def whitespace(bought: ir.Table, top: int) -> ir.Table:
    """Per account, its `top` whitespace categories ranked by expected revenue (ties: lower
    category id first)."""
    account_total = bought.group_by("account_id").aggregate(total=bought.revenue.sum())
    with_total = bought.join(account_total, "account_id")
    shares = with_total.mutate(
        share=with_total.revenue.cast("float64") / with_total.total.cast("float64")
    )
    category = shares.group_by("category_id").aggregate(
        buyers=shares.count(), typical_share=shares.share.median()
    )
    a = bought.select("account_id", "category_id")
    b = a.view()
    together = a.join(b, a.account_id == b.account_id).select(
        source=a.category_id, target=b.category_id
    )
    together = together.filter(together.source != together.target)
    pairs = together.group_by("source", "target").aggregate(both=together.count())
    pairs = pairs.join(category, pairs.source == category.category_id)
    affinity_rules = pairs.select(
        "source", "target", confidence=pairs.both.cast("float64") / pairs.buyers
    )
    owned = bought.select("account_id", source="category_id")
    n_owned = owned.group_by("account_id").aggregate(n_owned=owned.count())
    candidates = owned.join(affinity_rules, "source")
    candidates = candidates.group_by("account_id", category_id=candidates.target).aggregate(
        confidence_sum=candidates.confidence.sum()
    )
    candidates = candidates.anti_join(bought, ["account_id", "category_id"])
    candidates = candidates.join(n_owned, "account_id").join(account_total, "account_id")
    candidates = candidates.join(category, "category_id")
    affinity = candidates.confidence_sum / candidates.n_owned
    scored = candidates.select(
        "account_id",
        "category_id",
        affinity=affinity,
        # the account's total is in cents
        expected_revenue=affinity
        * candidates.typical_share
        * candidates.total.cast("float64")
        / 100,
    )
    rank = ibis.row_number().over(
        group_by="account_id",
        order_by=[ibis.desc(scored.expected_revenue), scored.category_id],
    )
    ranked = scored.mutate(rank=rank + 1)
    return ranked.filter(ranked.rank <= top)

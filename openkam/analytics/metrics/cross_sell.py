"""Cross-sell whitespace: what each account buys, and which categories accounts like it buy
that it does not.

"Accounts like it" are the accounts that share its categories: for a category c the account
does not buy, its affinity is the average, over the categories the account does buy, of the
share of their buyers who also buy c (item-to-item association, as in market-basket
analysis). Expected revenue = affinity × the median share of c in its buyers' revenue × the
account's own revenue over the window — so a big account's gap ranks above a small one's.
"""

from __future__ import annotations

import ibis.expr.types as ir
import numpy as np
import pyarrow as pa
from scipy import sparse


def matrix(categories: ir.Table) -> ir.Table:
    """The account × category matrix (rows where the account bought, with net revenue)."""
    return categories.filter(categories.revenue > 0)


def whitespace(bought: ir.Table, top: int) -> pa.Table:
    """Per account, its `top` whitespace categories ranked by expected revenue (ties: lower
    category id first).

    The category statistics come from Ibis; the account × category products are sparse and
    dense matrix products in numpy, a few thousand accounts at a time: a join of every
    account's categories with every other would be tens of millions of rows."""
    account_total = bought.group_by("account_id").aggregate(total=bought.revenue.sum())
    with_total = bought.join(account_total, "account_id")
    shares = with_total.mutate(
        share=with_total.revenue.cast("float64") / with_total.total.cast("float64")
    )
    category = (
        shares.group_by("category_id")
        .aggregate(typical_share=shares.share.median())
        .order_by("category_id")
        .to_pyarrow()
    )
    pairs = bought.select("account_id", "category_id").to_pyarrow()
    totals = account_total.order_by("account_id").to_pyarrow()
    if not pairs.num_rows:
        return pa.table({name: pa.array([], kind) for name, kind in WHITESPACE_SCHEMA.items()})
    accounts = totals["account_id"].to_numpy()
    categories = category["category_id"].to_numpy()
    rows = np.searchsorted(accounts, pairs["account_id"].to_numpy())
    columns = np.searchsorted(categories, pairs["category_id"].to_numpy())
    owned = sparse.csr_matrix(
        (np.ones(len(rows)), (rows, columns)), shape=(len(accounts), len(categories))
    )
    together = (owned.T @ owned).toarray()  # accounts buying both categories
    buyers = np.diag(together).copy()
    confidence = together / buyers[:, None]  # P(buys target | buys source)
    np.fill_diagonal(confidence, 0.0)
    linked = (confidence > 0).astype(float)
    typical_share = category["typical_share"].to_numpy()
    total = totals["total"].to_numpy().astype(float) / 100  # cents
    results = []
    for start in range(0, len(accounts), CHUNK):
        block = owned[start : start + CHUNK].toarray()
        n_owned = block.sum(axis=1)
        affinity = (block @ confidence) / n_owned[:, None]
        expected = affinity * typical_share[None, :] * total[start : start + CHUNK, None]
        candidate = (block == 0) & ((block @ linked) > 0)
        ranked = np.argsort(np.where(candidate, -expected, np.inf), axis=1, kind="stable")
        best = ranked[:, :top]
        keep = np.take_along_axis(candidate, best, axis=1)
        row, rank = np.nonzero(keep)
        column = best[row, rank]
        results.append(
            {
                "account_id": accounts[start + row],
                "category_id": categories[column],
                "affinity": affinity[row, column],
                "expected_revenue": expected[row, column],
                "rank": rank + 1,
            }
        )
    return pa.table(
        {
            name: pa.array(np.concatenate([part[name] for part in results]), kind)
            for name, kind in WHITESPACE_SCHEMA.items()
        }
    )


CHUNK = 4096
WHITESPACE_SCHEMA = {
    "account_id": pa.int64(),
    "category_id": pa.int64(),
    "affinity": pa.float64(),
    "expected_revenue": pa.float64(),
    "rank": pa.int64(),
}

"""From a finished snapshot to the growth app's tables: the account × category spend (stored
as the analysis ends) and the suggestions made from it (in a background task).

Suggestions are upserted by account, category and kind: a suggestion still open gets the new
figures, an accepted or dismissed one keeps the KAM's decision (and is only marked as still
suggested, or not, by the latest analysis); an open suggestion the analysis no longer makes
is removed. Only the latest snapshot writes suggestions: recomputing an old date does not
bring back what has changed since.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import numpy as np
import pyarrow as pa

from openkam.accounts.models import Account
from openkam.catalog.models import ProductCategory
from openkam.metrics.models import CrossSellOpportunity, Snapshot, SnapshotStatus

from .models import CategorySpend, GrowthOpportunity, OpportunityKind, OpportunityStatus

BULK = 2000
SIMILAR_NAMED = 3  # similar accounts that buy the category, named on the suggestion
CENT = Decimal("0.01")


def category_spend_store(snapshot: Snapshot, up_sell: pa.Table) -> int:
    """Store the engine's account × category table (`Results.up_sell`) for `snapshot`."""
    known = set(Account.objects.values_list("pk", flat=True))
    categories = set(ProductCategory.objects.values_list("pk", flat=True))
    batch, stored = [], 0
    for record in up_sell.to_batches(max_chunksize=BULK):
        for row in record.to_pylist():
            if row["account_id"] not in known or row["category_id"] not in categories:
                continue
            batch.append(CategorySpend(snapshot=snapshot, **row))
        if batch:
            CategorySpend.objects.bulk_create(batch)
            stored += len(batch)
            batch = []
    return stored


def latest_snapshot() -> Snapshot | None:
    return (
        Snapshot.objects.filter(status=SnapshotStatus.DONE)
        .order_by("-as_of", "-created_at")
        .first()
    )


def similar_buyers(snapshot: Snapshot) -> dict[tuple[int, int], dict[str, Any]]:
    """For each cross-sell suggestion of `snapshot`: the share of the accounts similar to it
    (buying at least half of the categories it buys) that buy the category, how many those
    are, and up to three of them that buy it (most categories in common, then most spent)."""
    rows = list(
        CategorySpend.objects.filter(snapshot=snapshot).values_list(
            "account_id", "category_id", "revenue"
        )
    )
    suggestions = list(
        CrossSellOpportunity.objects.filter(snapshot=snapshot).values_list(
            "account_id", "category_id"
        )
    )
    if not rows or not suggestions:
        return {}
    accounts = np.array(sorted({r[0] for r in rows}))
    categories = np.array(sorted({r[1] for r in rows}))
    row_of = {int(a): i for i, a in enumerate(accounts)}
    column_of = {int(c): j for j, c in enumerate(categories)}
    owned = np.zeros((len(accounts), len(categories)), dtype=np.int32)
    spend = np.zeros((len(accounts), len(categories)))
    for account_id, category_id, revenue in rows:
        owned[row_of[account_id], column_of[category_id]] = 1
        spend[row_of[account_id], column_of[category_id]] = float(revenue)
    bought = owned.sum(axis=1)
    why: dict[tuple[int, int], dict[str, Any]] = {}
    for account_id, category_id in suggestions:
        i, j = row_of.get(account_id), column_of.get(category_id)
        if i is None or j is None:
            why[(account_id, category_id)] = {"share": None, "similar_count": 0, "similar": []}
            continue
        common = owned @ owned[i]
        similar = common * 2 >= bought[i]
        similar[i] = False
        buyers = np.flatnonzero(similar & (owned[:, j] == 1))
        count = int(similar.sum())
        order = np.lexsort((accounts[buyers], -spend[buyers, j], -common[buyers]))
        why[(account_id, category_id)] = {
            "share": len(buyers) / count if count else None,
            "similar_count": count,
            "similar": [int(accounts[k]) for k in buyers[order][:SIMILAR_NAMED]],
        }
    return why


def _money(value: float | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(CENT) if not isinstance(value, Decimal) else value


def opportunities_sync(snapshot: Snapshot) -> dict[str, int]:
    """Bring the suggestions in line with `snapshot` (see the module's docstring)."""
    latest = latest_snapshot()
    if latest is None or latest.pk != snapshot.pk:
        return {"skipped": 1}
    bands = int(snapshot.config.get("up_sell_bands") or 0) or None
    found: dict[tuple[int, int, str], dict[str, Any]] = {}
    similar = similar_buyers(snapshot)
    for row in CrossSellOpportunity.objects.filter(snapshot=snapshot).values(
        "account_id", "category_id", "affinity", "expected_revenue"
    ):
        if not math.isfinite(row["expected_revenue"]):
            continue
        key = (row["account_id"], row["category_id"])
        found[(*key, OpportunityKind.CROSS_SELL)] = {
            "expected_revenue": _money(row["expected_revenue"]),
            "why": {"affinity": row["affinity"], **similar.get(key, {})},
        }
    for row in CategorySpend.objects.filter(snapshot=snapshot, gap__isnull=False).values(
        "account_id", "category_id", "revenue", "size_band", "band_buyers", "band_median", "gap"
    ):
        found[(row["account_id"], row["category_id"], OpportunityKind.UP_SELL)] = {
            "expected_revenue": row["gap"],
            "why": {
                "band": row["size_band"],
                "bands": bands,
                "band_buyers": row["band_buyers"],
                "band_median": str(row["band_median"]),
                "spend": str(row["revenue"]),
            },
        }
    existing = {
        (o.account_id, o.category_id, o.kind): o
        for o in GrowthOpportunity.objects.all().only(
            "id", "account_id", "category_id", "kind", "status", "current"
        )
    }
    new, changed, gone, kept = [], [], [], []
    for key, figures in found.items():
        opportunity = existing.pop(key, None)
        if opportunity is None:
            new.append(
                GrowthOpportunity(
                    account_id=key[0],
                    category_id=key[1],
                    kind=key[2],
                    as_of=snapshot.as_of,
                    **figures,
                )
            )
        elif opportunity.status == OpportunityStatus.SUGGESTED:
            opportunity.expected_revenue = figures["expected_revenue"]
            opportunity.why = figures["why"]
            opportunity.as_of, opportunity.current = snapshot.as_of, True
            changed.append(opportunity)
        else:  # the KAM's decision stands
            opportunity.current = True
            kept.append(opportunity)
    for opportunity in existing.values():
        if opportunity.status == OpportunityStatus.SUGGESTED:
            gone.append(opportunity.pk)
        elif opportunity.current:
            opportunity.current = False
            kept.append(opportunity)
    GrowthOpportunity.objects.bulk_create(new, batch_size=BULK)
    GrowthOpportunity.objects.bulk_update(
        changed, ["expected_revenue", "why", "as_of", "current"], batch_size=BULK
    )
    GrowthOpportunity.objects.bulk_update(kept, ["current"], batch_size=BULK)
    for start in range(0, len(gone), BULK):
        GrowthOpportunity.objects.filter(pk__in=gone[start : start + BULK]).delete()
    return {"new": len(new), "updated": len(changed), "removed": len(gone), "decided": len(kept)}

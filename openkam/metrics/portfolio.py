"""The portfolio's headline figures for any set of accounts, from a snapshot's account rows.

The engine stores the figures of the whole portfolio; a filtered view (one country, one
owner, what a key-account manager may see) adds them up again here from the per-account rows
of the same snapshot, with the engine's definitions, so the two always agree.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from .models import AccountMetrics, AccountPeriodMetrics

ZERO = Decimal("0.00")


def figures(rows: QuerySet[AccountPeriodMetrics], state: QuerySet[AccountMetrics]) -> dict:
    """Headline figures of the accounts in `rows` (one period of one snapshot) and their
    current state (`state`: the same accounts' rhythm and lapse rows)."""
    totals = rows.aggregate(
        total_revenue=Sum("revenue"),
        total_revenue_prev=Sum("revenue_prev"),
        total_revenue_year_ago=Sum("revenue_year_ago"),
        total_active=Count("pk", filter=Q(active=True)),
        total_previously_active=Count("pk", filter=Q(previously_active=True)),
        total_retained=Count("pk", filter=Q(retained=True)),
        total_base_revenue=Sum("revenue_prev", filter=Q(previously_active=True)),
        total_retained_revenue_net=Sum("revenue", filter=Q(previously_active=True)),
        total_key_revenue=Sum("revenue", filter=Q(account__status="key")),
        total_key_accounts=Count("pk", filter=Q(account__status="key")),
        total_lost=Count("pk", filter=Q(lost_in_period=True)),
        total_regained=Count("pk", filter=Q(regained_in_period=True)),
        total_new=Count("pk", filter=Q(new_in_period=True)),
    )
    revenue = totals["total_revenue"] or ZERO
    gross = sum(
        (
            min(max(now, ZERO), before)
            for now, before in rows.filter(previously_active=True).values_list(
                "revenue", "revenue_prev"
            )
        ),
        ZERO,
    )
    positive = sorted(
        (value for value in rows.filter(revenue__gt=0).values_list("revenue", flat=True)),
        reverse=True,
    )
    top = math.ceil(0.2 * len(positive))
    lapse = state.aggregate(
        overdue=Count("pk", filter=Q(overdue=True)), lost=Count("pk", filter=Q(lost=True))
    )
    base = totals["total_base_revenue"] or ZERO
    return {
        "revenue": str(revenue),
        "revenue_prev": str(totals["total_revenue_prev"] or ZERO),
        "revenue_year_ago": str(totals["total_revenue_year_ago"] or ZERO),
        "growth_prev": _growth(revenue, totals["total_revenue_prev"]),
        "growth_year_ago": _growth(revenue, totals["total_revenue_year_ago"]),
        "accounts_active": totals["total_active"],
        "accounts_with_revenue": len(positive),
        "retention_rate": _ratio(totals["total_retained"], totals["total_previously_active"]),
        "revenue_retention_net": _ratio(totals["total_retained_revenue_net"] or ZERO, base),
        "revenue_retention_gross": _ratio(gross, base),
        "key_accounts": totals["total_key_accounts"],
        "key_account_share": _ratio(totals["total_key_revenue"] or ZERO, revenue),
        "top20_accounts": top,
        "top20_share": _ratio(sum(positive[:top], ZERO), sum(positive, ZERO)),
        "lost": totals["total_lost"],
        "regained": totals["total_regained"],
        "new": totals["total_new"],
        "accounts_overdue": lapse["overdue"],
        "accounts_lost": lapse["lost"],
    }


def matrix(rows: QuerySet[AccountPeriodMetrics]) -> list[dict[str, Any]]:
    cells = (
        rows.exclude(xyz="")
        .values("abc", "xyz")
        .annotate(accounts=Count("pk"), revenue=Sum("window_revenue"))
        .order_by("abc", "xyz")
    )
    return [{**cell, "revenue": str(cell["revenue"] or ZERO)} for cell in cells]


def _ratio(numerator, denominator) -> float | None:
    if denominator is None or denominator <= 0:
        return None
    return float(Decimal(numerator) / Decimal(denominator))


def _growth(now, before) -> float | None:
    if before is None or before <= 0:
        return None
    return float((Decimal(now) - Decimal(before)) / Decimal(before))

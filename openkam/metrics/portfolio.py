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
from django.utils.translation import gettext as _

from .models import AccountMetrics, AccountPeriodMetrics

ZERO = Decimal("0.00")
FULL = "full"  # as openkam.analytics.periods says of a period the history covers


def coverage(stored_period: dict[str, Any]) -> dict[str, Any]:
    """What the sales history covers of one period of a snapshot (`snapshot.periods[p]`):
    its start, and `full`, `partial` or `none` for the current, previous and year-ago periods.
    Snapshots made before coverage was recorded say nothing: every period counts as full."""
    return stored_period["headline"].get("coverage") or {}


def growth_figures(
    revenue: Any, revenue_prev: Any, revenue_year_ago: Any, covered: dict[str, Any]
) -> dict[str, Any]:
    """Growth on the previous period and on the same period a year before, as the engine
    defines it — and none against a period the imported history covers only in part (its
    revenue is the days imported, not the period's), with a note that says why."""
    start = covered.get("history_start")
    notes = {}
    figures = {}
    for name, before, comparison, text in (
        ("growth_prev", revenue_prev, "previous",
         _("history starts %(date)s: no full previous period")),
        ("growth_year_ago", revenue_year_ago, "year_ago",
         _("history starts %(date)s: no full period a year before")),
    ):  # fmt: skip
        if covered.get(comparison, FULL) == FULL:
            figures[name] = _growth(revenue, before)
        else:
            figures[name] = None
            notes[name] = text % {"date": start}
    figures["growth_notes"] = notes
    return figures


def figures(
    rows: QuerySet[AccountPeriodMetrics],
    state: QuerySet[AccountMetrics],
    covered: dict[str, Any] | None = None,
) -> dict:
    """Headline figures of the accounts in `rows` (one period of one snapshot) and their
    current state (`state`: the same accounts' rhythm and lapse rows); `covered` is the
    period's `coverage`."""
    totals = rows.aggregate(
        total_revenue=Sum("revenue"),
        total_revenue_prev=Sum("revenue_prev"),
        total_revenue_year_ago=Sum("revenue_year_ago"),
        total_active=Count("pk", filter=Q(active=True)),
        total_previously_active=Count("pk", filter=Q(previously_active=True)),
        total_retained=Count("pk", filter=Q(retained=True)),
        total_base_revenue=Sum("revenue_prev", filter=Q(previously_active=True)),
        total_retained_revenue_net=Sum("revenue", filter=Q(previously_active=True)),
        # key accounts on the snapshot's date, as the engine counted them
        total_key_revenue=Sum("revenue", filter=Q(is_key=True)),
        total_key_accounts=Count("pk", filter=Q(is_key=True)),
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
        **growth_figures(
            revenue,
            totals["total_revenue_prev"],
            totals["total_revenue_year_ago"],
            covered or {},
        ),
        "coverage": covered or {},
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
    """(now − before) ÷ before, None without a positive base (amounts as decimals or their
    strings)."""
    before = Decimal(before or 0)
    if before <= 0:
        return None
    return float((Decimal(now) - before) / before)

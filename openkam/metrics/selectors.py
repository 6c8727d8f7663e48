"""Reading snapshots: which one a page or the API shows, and what it holds."""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from typing import Any

from django.db.models import QuerySet

from openkam.accounts.models import Account
from openkam.users.models import User

from . import portfolio as figures_of
from .models import AccountMetrics, AccountPeriodMetrics, Snapshot, SnapshotStatus


def finished_snapshots() -> QuerySet[Snapshot]:
    return Snapshot.objects.filter(status=SnapshotStatus.DONE)


# Finished snapshots never change, and their portfolio JSON takes ~10 ms to read and parse:
# pages share a few parsed ones, keyed by id and finish time (a replaced snapshot is a new row).
_SNAPSHOTS: OrderedDict[tuple[int, dt.datetime | None], Snapshot] = OrderedDict()
_SNAPSHOTS_LOCK = threading.Lock()
_SNAPSHOTS_KEPT = 4


def snapshot_for(as_of: dt.date | None = None) -> Snapshot | None:
    """The latest finished snapshot as of `as_of` (exactly that date), or the latest date.
    The object is shared between requests: read it, never change it."""
    snapshots = finished_snapshots()
    if as_of is not None:
        snapshots = snapshots.filter(as_of=as_of)
    key = snapshots.order_by("-as_of", "-created_at").values_list("pk", "finished_at").first()
    if key is None:
        return None
    with _SNAPSHOTS_LOCK:
        if key in _SNAPSHOTS:
            _SNAPSHOTS.move_to_end(key)
            return _SNAPSHOTS[key]
    snapshot = Snapshot.objects.filter(pk=key[0]).first()
    if snapshot is None:  # deleted in between
        return None
    with _SNAPSHOTS_LOCK:
        _SNAPSHOTS[key] = snapshot
        while len(_SNAPSHOTS) > _SNAPSHOTS_KEPT:
            _SNAPSHOTS.popitem(last=False)
    return snapshot


def available_dates() -> list[dt.date]:
    return list(finished_snapshots().order_by("-as_of").values_list("as_of", flat=True).distinct())


def account_metrics(
    *, user: User, snapshot: Snapshot, period: str
) -> QuerySet[AccountPeriodMetrics]:
    """The period figures of the accounts `user` may see, with the account and the
    period-independent metrics of the same snapshot."""
    visible = Account.objects.visible_to(user, "view").values("pk")
    return (
        AccountPeriodMetrics.objects.filter(snapshot=snapshot, period=period, account__in=visible)
        .select_related("account")
        .order_by("-revenue", "account_id")
    )


def account_state(snapshot: Snapshot, account_ids: list[int]) -> dict[int, AccountMetrics]:
    rows = AccountMetrics.objects.filter(snapshot=snapshot, account_id__in=account_ids)
    return {row.account_id: row for row in rows}


def snapshot_summary(snapshot: Snapshot) -> dict[str, Any]:
    """What `kam analyze --json` prints: the portfolio per period and the model."""
    portfolio = {}
    for period, data in snapshot.periods.items():
        headline = {k: v for k, v in data["headline"].items() if k != "pareto"}
        headline["coverage"] = figures_of.coverage(data)
        headline.update(
            figures_of.growth_figures(
                headline["revenue"],
                headline["revenue_prev"],
                headline["revenue_year_ago"],
                headline["coverage"],
            )
        )
        headline["start"], headline["end"] = data["bounds"][0]
        headline["abc_xyz"] = data["matrix"]
        portfolio[period] = headline
    return {
        "snapshot": snapshot.pk,
        "as_of": snapshot.as_of.isoformat(),
        "engine": snapshot.engine,
        "reporting_currency": snapshot.reporting_currency,
        "duration_seconds": snapshot.duration_seconds,
        "accounts": snapshot.accounts.count(),
        "portfolio": portfolio,
        "model": snapshot.model,
        "bgnbd": snapshot.model.get("bgnbd"),
        "gamma_gamma": snapshot.model.get("gamma_gamma"),
        "timings": snapshot.timings,
    }


def filtered_accounts(user: User, **filters: Any) -> QuerySet[Account]:
    """The accounts `user` may see, narrowed by the cockpit's filters."""
    accounts = Account.objects.visible_to(user, "view")
    if "country" in filters:
        accounts = accounts.filter(country=filters["country"].upper())
    if "owner" in filters:
        accounts = accounts.filter(team__role="owner", team__user_id=filters["owner"])
    if "segment" in filters:
        accounts = accounts.filter(segment_id=filters["segment"])
    if "status" in filters:
        accounts = accounts.filter(status=filters["status"])
    return accounts


def period_rows(
    snapshot: Snapshot, period: str, accounts: QuerySet[Account]
) -> QuerySet[AccountPeriodMetrics]:
    return AccountPeriodMetrics.objects.filter(
        snapshot=snapshot, period=period, account__in=accounts.values("pk")
    )


SERIES_FIELDS = (
    "index", "start", "end", "revenue", "active", "retention_rate",
    "revenue_retention_net", "revenue_retention_gross", "lost", "regained", "new",
    "shrinking", "revenue_lost",
)  # fmt: skip


def portfolio_series(snapshot: Snapshot, period: str) -> list[dict[str, Any]]:
    """Every period of the window for the whole portfolio, newest first."""
    return series(snapshot, period, "portfolio", "")


def series(snapshot: Snapshot, period: str, group: str, key: str) -> list[dict[str, Any]]:
    """One group's series (the portfolio, an owner, a country, a segment, `key` for the key
    accounts only) over the window, newest first; a period without sales has zeros.
    `covered` says how much of each period the imported history covers (full, partial or
    none: zeros there are no data, not no sales)."""
    stored = {
        point["index"]: point
        for point in snapshot.series.filter(period=period, group=group, key=key).values(
            *SERIES_FIELDS
        )
    }
    covered = figures_of.coverage(snapshot.periods[period]).get("periods") or []
    points = []
    for index, (start, end) in enumerate(snapshot.periods[period]["bounds"]):
        point = stored.get(index) or {
            **dict.fromkeys(SERIES_FIELDS),
            **{"revenue": "0.00", "active": 0, "lost": 0, "regained": 0, "new": 0},
            **{"shrinking": 0, "revenue_lost": "0.00"},
            "index": index,
            "start": dt.date.fromisoformat(start),
            "end": dt.date.fromisoformat(end),
        }
        point["covered"] = covered[index] if index < len(covered) else figures_of.FULL
        points.append(point)
    return points

"""What the portfolio cockpit shows, read from a metrics snapshot under the user's scope.

The whole portfolio (no filter, a user who sees every account) is what the engine stored:
its headline, Pareto curve, ABC–XYZ matrix and time series. A filtered view — a country, an
owner, a segment, a status, or a key account manager's own accounts — adds the figures up
again from the per-account rows of the same snapshot (`metrics.portfolio`), with the engine's
definitions, so the two always agree. Its time series comes from the engine's per-group
series when the filter is one owner, one country or one segment.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    BooleanField,
    CharField,
    Count,
    F,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)

from openkam.accounts.models import AccountTeamMember, TeamRole
from openkam.accounts.querysets import account_scope
from openkam.core.models import ChangeLogEntry
from openkam.metrics import portfolio as figures_of
from openkam.metrics import selectors as metrics
from openkam.metrics.models import AccountMetrics, AccountPeriodMetrics, Snapshot
from openkam.users.models import User

ABC = ("A", "B", "C")
XYZ = ("X", "Y", "Z")
FILTERS = ("country", "owner", "segment", "status")
SERIES_GROUPS = ("owner", "country", "segment")

# The targets the domain brief gives (DOMAIN.md).
RETENTION_TARGET = 0.80
KEY_SHARE_BAND = (0.30, 0.55)
PARETO_SHARE = 0.80  # ~20 % of the customers bring ~80 % of the revenue

# Lists of accounts reached from the cockpit: a headline figure → which rows it counts.
FLAGS = {
    "overdue": "overdue now (silent longer than twice their own rhythm)",
    "lost": "lost now (no purchase for a year)",
    "lost_in_period": "lost in the period",
    "regained_in_period": "regained in the period",
    "new_in_period": "new in the period",
    "key": "key accounts",
    "top20": "the top 20 % by revenue",
}


@dataclass(frozen=True)
class CockpitQuery:
    """The cockpit's choices: which snapshot (None: the latest), which period length and which
    accounts."""

    as_of: dt.date | None = None
    period: str = "year"
    country: str | None = None
    owner: int | None = None
    segment: int | None = None
    status: str | None = None

    def filters(self) -> dict[str, Any]:
        return {
            name: getattr(self, name) for name in FILTERS if getattr(self, name) not in (None, "")
        }


@dataclass
class Cockpit:
    snapshot: Snapshot
    query: CockpitQuery
    scope: str  # "portfolio": the engine's own figures; "filtered": added up again
    headline: dict[str, Any]
    matrix: list[dict[str, Any]]
    pareto: dict[str, list]
    series: list[dict[str, Any]]  # newest first (index 0 = the period ending on the date)
    series_scope: str | None  # portfolio, owner, country, segment, own; None: not available
    start: str = ""
    end: str = ""
    available: list[dt.date] = field(default_factory=list)
    history_end_available: bool = False  # a snapshot exists as of the history's last day

    @property
    def period(self) -> str:
        return self.query.period

    @property
    def targets(self) -> dict[str, Any]:
        return {
            "retention_rate": RETENTION_TARGET,
            "key_account_share": list(KEY_SHARE_BAND),
            "top20_share": PARETO_SHARE,
        }

    @property
    def retention_prev(self) -> float | None:
        """The previous period's retention rate, when the series is there."""
        return self.series[1]["retention_rate"] if len(self.series) > 1 else None

    @property
    def status(self) -> dict[str, str]:
        """Each target figure against its target: ok, low or high (or unknown)."""
        h = self.headline
        retention, share = h.get("retention_rate"), h.get("key_account_share")
        low, high = KEY_SHARE_BAND
        return {
            "retention_rate": "unknown"
            if retention is None
            else ("ok" if retention >= RETENTION_TARGET else "low"),
            "key_account_share": "unknown"
            if share is None
            else ("low" if share < low else "high" if share > high else "ok"),
        }


def sees_everything(user: User) -> bool:
    return account_scope(user, "view") == Q()


def cache_key(*, user: User, params: str, kind: str) -> str:
    """A key under which what the cockpit shows for the request's parameters may be kept: the
    parameters, whose accounts (everyone's, or this user's scope), the finished snapshots
    (never changed once finished: a new or replaced one changes the key) and the latest
    change-log entry — every change to an account, its status or its team is recorded there,
    so a filtered view is recomputed as soon as the accounts change. Two queries."""
    version = ChangeLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    snapshots = metrics.finished_snapshots().aggregate(n=Count("pk"), last=Max("finished_at"))
    last = snapshots["last"].timestamp() if snapshots["last"] else 0
    scope = "all" if sees_everything(user) else f"user-{user.pk}"
    digest = hashlib.sha256(params.encode()).hexdigest()[:32]
    return f"cockpit:{kind}:{snapshots['n']}:{last}:{version}:{scope}:{digest}"


def cockpit(*, user: User, query: CockpitQuery, snapshot: Snapshot | None = None) -> Cockpit | None:
    """The cockpit for `query` as `user` may see it; None when there is no such snapshot."""
    snapshot = snapshot or metrics.snapshot_for(query.as_of)
    if snapshot is None:
        return None
    period = query.period
    stored = snapshot.periods[period]
    filters = query.filters()
    if not filters and sees_everything(user):
        headline = {k: v for k, v in stored["headline"].items() if k != "pareto"}
        headline["coverage"] = figures_of.coverage(stored)
        headline.update(
            figures_of.growth_figures(
                headline["revenue"],
                headline["revenue_prev"],
                headline["revenue_year_ago"],
                headline["coverage"],
            )
        )
        result = Cockpit(
            snapshot,
            query,
            "portfolio",
            headline,
            full_matrix(stored["matrix"]),
            stored["headline"].get("pareto") or {"points": [], "key_accounts": []},
            metrics.portfolio_series(snapshot, period),
            "portfolio",
        )
    else:
        accounts = metrics.filtered_accounts(user, **filters)
        rows = metrics.period_rows(snapshot, period, accounts)
        state = AccountMetrics.objects.filter(snapshot=snapshot, account__in=accounts.values("pk"))
        group, key = _series_group(user, filters)
        result = Cockpit(
            snapshot,
            query,
            "filtered",
            figures_of.figures(rows, state, figures_of.coverage(stored)),
            full_matrix(figures_of.matrix(rows)),
            pareto_curve(rows.filter(revenue__gt=0).values_list("account_id", "revenue", "is_key")),
            metrics.series(snapshot, period, group, key) if group else [],
            "own" if group and not filters else group,
        )
    result.start, result.end = stored["bounds"][0]
    result.available = metrics.available_dates()
    end = figures_of.coverage(stored).get("history_end")
    result.history_end_available = bool(end) and dt.date.fromisoformat(end) in result.available
    return result


def _series_group(user: User, filters: dict[str, Any]) -> tuple[str | None, str]:
    """Which of the engine's per-group series matches the filtered accounts: one owner, one
    country or one segment (for a user who sees every account); a key account manager
    without filters gets the series of the accounts they own. Otherwise none does."""
    if sees_everything(user):
        if len(filters) == 1 and next(iter(filters)) in SERIES_GROUPS:
            name, value = next(iter(filters.items()))
            return name, str(value).upper() if name == "country" else str(value)
        return None, ""
    if not filters or filters == {"owner": user.pk}:
        return "owner", str(user.pk)
    return None, ""


def full_matrix(cells: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The nine cells in order (AX, AY, AZ, BX…), empty ones with zeros, each with its share
    of the accounts and of the revenue."""
    found = {(c["abc"], c["xyz"]): c for c in cells}
    total_accounts = sum(c["accounts"] for c in cells)
    total_revenue = sum((Decimal(str(c["revenue"] or 0)) for c in cells), Decimal(0))
    result = []
    for abc in ABC:
        for xyz in XYZ:
            cell = found.get((abc, xyz), {})
            revenue = Decimal(str(cell.get("revenue") or 0))
            accounts = int(cell.get("accounts") or 0)
            result.append(
                {
                    "abc": abc,
                    "xyz": xyz,
                    "accounts": accounts,
                    "revenue": str(revenue.quantize(Decimal("0.01"))),
                    "account_share": accounts / total_accounts if total_accounts else 0.0,
                    "revenue_share": float(revenue / total_revenue) if total_revenue else 0.0,
                }
            )
    return result


def pareto_curve(rows) -> dict[str, list]:
    """The engine's Pareto curve for any set of accounts: the cumulative revenue share at every
    percent of accounts (largest first, ties by account id) and each key account's point.
    `rows`: (account id, revenue > 0, whether it was a key account on the snapshot's date)."""
    ranked = sorted(rows, key=lambda r: (-r[1], r[0]))
    n = len(ranked)
    if not n:
        return {"points": [], "key_accounts": []}
    cumulative, running = [], Decimal(0)
    for _, revenue, _ in ranked:
        running += revenue
        cumulative.append(running)
    total = cumulative[-1]
    points = [[0.0, 0.0]]
    for percent in range(1, 101):
        count = math.ceil(percent * n / 100)
        points.append([percent / 100, round(float(cumulative[count - 1] / total), 6)])
    marks = [
        [round((i + 1) / n, 6), round(float(cumulative[i] / total), 6), account_id]
        for i, (account_id, _, is_key) in enumerate(ranked)
        if is_key
    ]
    return {"points": points, "key_accounts": marks}


# -- The accounts behind a cell or a figure ----------------------------------------------------


def _state(column: str, output_field) -> Subquery:
    rows = AccountMetrics.objects.filter(
        snapshot=OuterRef("snapshot"), account=OuterRef("account")
    ).values(column)[:1]
    return Subquery(rows, output_field=output_field)


def cockpit_accounts(
    *,
    user: User,
    query: CockpitQuery,
    snapshot: Snapshot,
    abc: str | None = None,
    xyz: str | None = None,
    flag: str | None = None,
) -> QuerySet[AccountPeriodMetrics]:
    """The period rows of the accounts behind a matrix cell (`abc`, `xyz`) or a headline figure
    (`flag`), under the cockpit's filters and the user's scope, largest revenue first, with
    the account, its owner and its rhythm and lapse."""
    accounts = metrics.filtered_accounts(user, **query.filters())
    rows = metrics.period_rows(snapshot, query.period, accounts)
    if abc:
        rows = rows.filter(abc=abc)
    if xyz:
        rows = rows.filter(xyz=xyz)
    if flag in ("lost_in_period", "regained_in_period", "new_in_period"):
        rows = rows.filter(**{flag: True})
    elif flag in ("overdue", "lost"):
        flagged = AccountMetrics.objects.filter(snapshot=snapshot, **{flag: True})
        rows = rows.filter(account_id__in=flagged.values("account_id"))
    elif flag == "key":
        rows = rows.filter(is_key=True)
    elif flag == "top20":
        positive = rows.filter(revenue__gt=0)
        top = math.ceil(0.2 * positive.count())
        ids = positive.order_by("-revenue", "account_id").values_list("account_id", flat=True)
        rows = rows.filter(account_id__in=list(ids[:top]))
    owners = AccountTeamMember.objects.filter(account=OuterRef("account"), role=TeamRole.OWNER)
    return (
        rows.select_related("account", "account__segment")
        .annotate(
            owner_username=Subquery(owners.values("user__username")[:1]),
            rhythm=_state("rhythm", CharField()),
            days_since_purchase=_state("days_since_purchase", IntegerField()),
            is_overdue=_state("overdue", BooleanField()),
            is_lost=_state("lost", BooleanField()),
            prob_alive=_state("prob_alive", FloatField()),
            sort_revenue=F("window_revenue") if (abc or xyz) else F("revenue"),
        )
        .order_by(F("sort_revenue").desc(nulls_last=True), "account_id")
    )

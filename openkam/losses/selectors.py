"""Reads on losses: the dynamics per period (accounts lost, regained, shrinking, the revenue
lost), their breakdown by owner, country, segment or key-account type, the reasons recorded and
where the accounts went — and the accounts behind each figure.

Everything comes from the stored metrics snapshot and the loss records, never from a run of the
engine:

- **The series** over the periods of the window is the engine's own (`SeriesPoint`) when the
  selection is one the engine stores a series for: the whole portfolio, one owner, one country
  or one segment, for someone who sees every account, or a key account manager's own accounts
  (filtered by themselves as owner). Any other selection (a KAM's whole scope, key accounts
  only, a key-account type, several filters) is added up from the per-account rows: the latest
  period exactly, each earlier period's losses as the accounts lost then and still lost
  (regained and shrinking are known for the latest period only).
- **The breakdown** is the latest period's, added up from the per-account rows of the accounts
  the user may see, so a click on any of its figures lists exactly those accounts.
- **Reasons** come from the loss records (`AccountLoss`) and from the tenders lost at accounts
  that are lost or shrinking; **where they went** from the loss records' competitor and the
  competitors recorded as having taken an account (`AccountCompetitor.won_account_on`), both
  within the window.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    CharField,
    Count,
    DateField,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from openkam.accounts.models import Account, AccountTeamMember, Segment, TeamRole
from openkam.competitors.models import AccountCompetitor, Competitor
from openkam.keyaccounts.models import KeyAccountType, KeyAccountTypeAssignment
from openkam.metrics import portfolio as figures_of
from openkam.metrics.models import AccountMetrics, AccountPeriodMetrics, Period, Snapshot
from openkam.portfolio.selectors import sees_everything
from openkam.tenders.models import LostReason, Tender, TenderStatus
from openkam.users.models import User

from .models import AccountLoss, LossReason

ZERO = Decimal("0.00")
GROUPS = {
    "owner": gettext_lazy("Owner"),
    "country": gettext_lazy("Country"),
    "segment": gettext_lazy("Segment"),
    "type": gettext_lazy("Key-account type"),
}
STORED_GROUPS = ("owner", "country", "segment")  # the engine's per-group series
# the engine's series of the key accounts (on the snapshot's date) as one portfolio; snapshots
# made before it existed have none, and the figures are added up from the accounts instead
KEY_SERIES_GROUP = "key"
# What a figure of the dynamics counts; regained, new and shrinking are known for the latest
# period only (index 0) unless the engine's series is shown.
MEASURES = {
    "lost": gettext_lazy("lost"),
    "regained": gettext_lazy("regained"),
    "new": gettext_lazy("new"),
    "shrinking": gettext_lazy("shrinking"),
}
LATEST_ONLY = ("regained", "new", "shrinking")
SOURCES = {"loss": gettext_lazy("marked lost"), "tender": gettext_lazy("lost tenders")}


@dataclass(frozen=True)
class LossQuery:
    """The page's and the API's choices: which snapshot (None: the latest), which period
    length, which accounts, and which dimension the breakdown uses."""

    as_of: dt.date | None = None
    period: str = Period.QUARTER
    owner: int | None = None
    country: str | None = None
    segment: int | None = None
    type: str | None = None
    key_only: bool = False
    group: str = "owner"

    def filters(self) -> dict[str, Any]:
        names = ("owner", "country", "segment", "type")
        found = {n: getattr(self, n) for n in names if getattr(self, n) not in (None, "")}
        if self.key_only:
            found["key_only"] = True
        return found


@dataclass
class LossPoint:
    """One period of the dynamics; None: not known for this selection and period."""

    index: int
    start: dt.date
    end: dt.date
    lost: int
    regained: int | None
    new: int | None
    shrinking: int | None
    revenue_lost: Decimal | None
    covered: str = figures_of.FULL

    @property
    def drillable(self) -> list[tuple[str, int | None]]:
        """The figures after `lost` whose accounts can be listed (in the latest period)."""
        return [("regained", self.regained), ("new", self.new), ("shrinking", self.shrinking)]


@dataclass
class GroupRow:
    key: str
    label: str
    lost: int = 0
    regained: int = 0
    new: int = 0
    shrinking: int = 0
    revenue_lost: Decimal = ZERO

    @property
    def cells(self) -> list[tuple[str, int]]:
        return [
            ("lost", self.lost),
            ("regained", self.regained),
            ("new", self.new),
            ("shrinking", self.shrinking),
        ]


@dataclass
class ReasonRow:
    source: str  # "loss": the loss records; "tender": lost tenders
    reason: str
    label: str
    accounts: int
    records: int
    revenue: Decimal | None  # the accounts' revenue before the loss (loss records only)


@dataclass
class CompetitorRow:
    competitor_id: int
    name: str
    accounts: int
    revenue: Decimal
    tenders_won: int


@dataclass
class LossDynamics:
    snapshot: Snapshot
    query: LossQuery
    start: dt.date  # the window: the oldest period's start …
    end: dt.date  # … to the snapshot's date
    series: list[LossPoint]  # newest first (index 0 ends on the snapshot's date)
    series_scope: str  # portfolio, owner, country, segment, own, or computed
    breakdown: list[GroupRow]
    total: GroupRow
    reasons: list[ReasonRow] = field(default_factory=list)
    without_reason: int = 0  # lost accounts of the window with no reason recorded
    competitors: list[CompetitorRow] = field(default_factory=list)
    destination_unknown: int = 0  # lost accounts of the window gone nobody knows where

    @property
    def period(self) -> str:
        return self.query.period

    @property
    def latest(self) -> LossPoint | None:
        return self.series[0] if self.series else None


# -- The accounts ------------------------------------------------------------------------------


def current_type() -> Subquery:
    """The account's current key-account type (its latest assignment), for an Account row."""
    latest = KeyAccountTypeAssignment.objects.filter(account=OuterRef("pk")).order_by(
        "-created_at", "-id"
    )
    return Subquery(latest.values("type")[:1], output_field=CharField())


def scoped_accounts(*, user: User, query: LossQuery, snapshot: Snapshot) -> QuerySet[Account]:
    """The accounts `user` may see, narrowed by the query's filters (key accounts only: those
    that were key accounts on the snapshot's date)."""
    accounts = Account.objects.visible_to(user, "view")
    if query.country:
        accounts = accounts.filter(country=query.country.upper())
    if query.owner:
        owned = AccountTeamMember.objects.filter(role=TeamRole.OWNER, user_id=query.owner)
        accounts = accounts.filter(pk__in=owned.values("account_id"))
    if query.segment:
        accounts = accounts.filter(segment_id=query.segment)
    if query.type:
        accounts = accounts.annotate(current_type=current_type()).filter(current_type=query.type)
    if query.key_only:
        keys = AccountPeriodMetrics.objects.filter(
            snapshot=snapshot, period=query.period, is_key=True
        )
        accounts = accounts.filter(pk__in=keys.values("account_id"))
    return accounts


def window(snapshot: Snapshot, period: str) -> tuple[dt.date, dt.date]:
    bounds = snapshot.periods[period]["bounds"]
    return dt.date.fromisoformat(bounds[-1][0]), snapshot.as_of


def bounds_of(snapshot: Snapshot, period: str) -> list[tuple[dt.date, dt.date]]:
    return [
        (dt.date.fromisoformat(start), dt.date.fromisoformat(end))
        for start, end in snapshot.periods[period]["bounds"]
    ]


# -- The series --------------------------------------------------------------------------------


def stored_group(user: User, query: LossQuery) -> tuple[str, str] | None:
    """The engine's series that covers exactly the query's accounts, if it stores one."""
    if query.type:
        return None
    filters = {n: v for n, v in query.filters().items() if n in STORED_GROUPS}
    if query.key_only:
        return (KEY_SERIES_GROUP, "") if sees_everything(user) and not filters else None
    if sees_everything(user):
        if not filters:
            return "portfolio", ""
        if len(filters) == 1:
            name, value = next(iter(filters.items()))
            return name, str(value).upper() if name == "country" else str(value)
        return None
    if filters == {"owner": user.pk}:
        return "owner", str(user.pk)
    return None


def _stored_series(snapshot: Snapshot, period: str, group: str, key: str) -> list[LossPoint]:
    stored = {
        row["index"]: row
        for row in snapshot.series.filter(period=period, group=group, key=key).values(
            "index", "lost", "regained", "new", "shrinking", "revenue_lost"
        )
    }
    points = []
    for index, (start, end) in enumerate(bounds_of(snapshot, period)):
        row = stored.get(index, {})
        points.append(
            LossPoint(
                index,
                start,
                end,
                row.get("lost", 0),
                row.get("regained", 0),
                row.get("new", 0),
                row.get("shrinking", 0),
                row.get("revenue_lost") if row else ZERO,
            )
        )
    return points


def _computed_series(
    snapshot: Snapshot, period: str, accounts: QuerySet[Account], latest: GroupRow
) -> list[LossPoint]:
    """The latest period from the per-account rows (`latest`); earlier periods' losses as the
    accounts lost then and still lost, in one aggregate query."""
    bounds = bounds_of(snapshot, period)
    still_lost = AccountMetrics.objects.filter(
        snapshot=snapshot, lost=True, account__in=accounts.values("pk")
    )
    sums: dict[str, Any] = {}
    for index, (start, end) in enumerate(bounds[1:], start=1):
        within = Q(lost_since__gte=start, lost_since__lte=end)
        sums[f"lost_{index}"] = Count("pk", filter=within)
        sums[f"revenue_{index}"] = Sum("revenue_before_loss", filter=within)
    totals = still_lost.aggregate(**sums) if sums else {}
    points = [
        LossPoint(
            0,
            *bounds[0],
            latest.lost,
            latest.regained,
            latest.new,
            latest.shrinking,
            latest.revenue_lost,
        )
    ]
    for index, (start, end) in enumerate(bounds[1:], start=1):
        points.append(
            LossPoint(
                index,
                start,
                end,
                totals[f"lost_{index}"],
                None,
                None,
                None,
                totals[f"revenue_{index}"] or ZERO,
            )
        )
    return points


def _with_coverage(points: list[LossPoint], snapshot: Snapshot, period: str) -> list[LossPoint]:
    covered = figures_of.coverage(snapshot.periods[period]).get("periods") or []
    for point in points:
        if point.index < len(covered):
            point.covered = covered[point.index]
    return points


# -- The latest period, per group --------------------------------------------------------------


def _group_keys(accounts: QuerySet[Account], ids: set[int], group: str) -> dict[int, str]:
    """Each of the accounts `ids`' key in the breakdown dimension ("" when it has none)."""
    rows = accounts.filter(pk__in=ids)
    if group == "owner":
        owners = AccountTeamMember.objects.filter(account=OuterRef("pk"), role=TeamRole.OWNER)
        rows = rows.annotate(
            key=Subquery(owners.values("user_id")[:1], output_field=IntegerField())
        )
    elif group == "type":
        rows = rows.annotate(key=current_type())
    elif group == "segment":
        rows = rows.annotate(key=F("segment_id"))
    else:
        rows = rows.annotate(key=F("country"))
    return {pk: "" if key is None else str(key) for pk, key in rows.values_list("pk", "key")}


def group_labels(group: str, keys: set[str]) -> dict[str, str]:
    labels = {"": _("none")}
    known = {k for k in keys if k}
    if group == "owner" and known:
        users = User.objects.filter(pk__in=[int(k) for k in known if k.isdigit()])
        labels.update({str(pk): name for pk, name in users.values_list("pk", "username")})
    elif group == "segment" and known:
        segments = Segment.objects.filter(pk__in=[int(k) for k in known if k.isdigit()])
        labels.update({str(pk): name for pk, name in segments.values_list("pk", "name")})
    elif group == "type":
        labels.update({str(k): str(label) for k, label in KeyAccountType.choices})
    elif group == "country":
        labels.update({k: countries.name(k) or k for k in known})
    return labels


def latest_breakdown(
    *, snapshot: Snapshot, period: str, accounts: QuerySet[Account], group: str
) -> tuple[list[GroupRow], GroupRow]:
    """The latest period (ending on the snapshot's date) per group of `group`, and the total:
    accounts lost, regained and new in it, shrinking at its end, and the revenue lost (the lost
    accounts' twelve months before the loss). Three queries over the accounts that lost,
    regained, won or shrank, whatever the number of accounts."""
    scope = accounts.values("pk")
    events = AccountPeriodMetrics.objects.filter(
        snapshot=snapshot, period=period, account__in=scope
    ).filter(Q(lost_in_period=True) | Q(regained_in_period=True) | Q(new_in_period=True))
    flags = {
        account_id: (lost, regained, new)
        for account_id, lost, regained, new in events.values_list(
            "account_id", "lost_in_period", "regained_in_period", "new_in_period"
        )
    }
    lost_ids = {pk for pk, (lost, _r, _n) in flags.items() if lost}
    state = AccountMetrics.objects.filter(snapshot=snapshot, account__in=scope).filter(
        Q(shrinking=True) | Q(account_id__in=lost_ids)
    )
    shrinking, revenue = set(), {}
    for account_id, is_shrinking, before in state.values_list(
        "account_id", "shrinking", "revenue_before_loss"
    ):
        if is_shrinking:
            shrinking.add(account_id)
        if account_id in lost_ids:
            revenue[account_id] = before or ZERO
    ids = set(flags) | shrinking
    keys = _group_keys(accounts, ids, group) if ids else {}
    rows: dict[str, GroupRow] = {}
    total = GroupRow("", _("Total"))
    for account_id in ids:
        key = keys.get(account_id, "")
        row = rows.setdefault(key, GroupRow(key, ""))
        lost, regained, new = flags.get(account_id, (False, False, False))
        for target in (row, total):
            target.lost += lost
            target.regained += regained
            target.new += new
            target.shrinking += account_id in shrinking
            target.revenue_lost += revenue.get(account_id, ZERO) if lost else ZERO
    labels = group_labels(group, set(rows))
    for key, row in rows.items():
        row.label = labels.get(key, key)
    ordered = sorted(
        rows.values(), key=lambda r: (-r.revenue_lost, -r.lost, -r.shrinking, r.label.casefold())
    )
    return ordered, total


# -- Reasons and where they went ---------------------------------------------------------------


def _lost_or_shrinking(snapshot: Snapshot) -> QuerySet[AccountMetrics]:
    return AccountMetrics.objects.filter(snapshot=snapshot).filter(Q(lost=True) | Q(shrinking=True))


def loss_records(
    *, user: User, accounts: QuerySet[Account], start: dt.date, end: dt.date
) -> QuerySet[AccountLoss]:
    return AccountLoss.objects.visible_to(user).filter(
        account__in=accounts.values("pk"), lost_on__gte=start, lost_on__lte=end
    )


def lost_tenders(
    *, user: User, accounts: QuerySet[Account], snapshot: Snapshot, start: dt.date, end: dt.date
) -> QuerySet[Tender]:
    """Tenders lost within the window at the accounts that are lost or shrinking."""
    return (
        Tender.objects.visible_to(user)
        .filter(
            status=TenderStatus.LOST,
            decided_on__gte=start,
            decided_on__lte=end,
            account__in=accounts.values("pk"),
        )
        .filter(account__in=_lost_or_shrinking(snapshot).values("account_id"))
    )


def taken_by_competitors(
    *, user: User, accounts: QuerySet[Account], start: dt.date, end: dt.date
) -> QuerySet[AccountCompetitor]:
    return AccountCompetitor.objects.visible_to(user).filter(
        account__in=accounts.values("pk"), won_account_on__gte=start, won_account_on__lte=end
    )


def _revenue_before_loss(snapshot: Snapshot, ids: set[int]) -> dict[int, Decimal]:
    if not ids:
        return {}
    rows = AccountMetrics.objects.filter(snapshot=snapshot, account_id__in=ids)
    return {
        pk: value or ZERO for pk, value in rows.values_list("account_id", "revenue_before_loss")
    }


def reasons_and_destinations(
    *,
    user: User,
    accounts: QuerySet[Account],
    snapshot: Snapshot,
    start: dt.date,
    end: dt.date,
) -> tuple[list[ReasonRow], int, list[CompetitorRow], int]:
    """The reasons recorded within the window (loss records by reason, lost tenders at lost or
    shrinking accounts by reason), how many accounts lost in the window have none, each
    competitor the lost accounts went to (accounts, their revenue before the loss, tenders
    it won from us there) and how many went nobody knows where. Seven queries."""
    records = list(
        loss_records(user=user, accounts=accounts, start=start, end=end).values_list(
            "account_id", "reason", "competitor_id"
        )
    )
    taken = list(
        taken_by_competitors(user=user, accounts=accounts, start=start, end=end).values_list(
            "competitor_id", "account_id"
        )
    )
    tenders = lost_tenders(user=user, accounts=accounts, snapshot=snapshot, start=start, end=end)
    tender_reasons = list(
        tenders.values("lost_reason")
        .annotate(records=Count("pk"), accounts=Count("account", distinct=True))
        .order_by()
    )
    won_tenders = dict(
        tenders.exclude(winner=None)
        .values("winner_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("winner_id", "n")
    )
    lost_in_window = set(
        AccountMetrics.objects.filter(
            snapshot=snapshot,
            lost=True,
            lost_since__gte=start,
            lost_since__lte=end,
            account__in=accounts.values("pk"),
        ).values_list("account_id", flat=True)
    )
    destinations: dict[int, set[int]] = defaultdict(set)
    for account_id, _reason, competitor_id in records:
        if competitor_id is not None:
            destinations[competitor_id].add(account_id)
    for competitor_id, account_id in taken:
        destinations[competitor_id].add(account_id)
    by_reason: dict[str, list[int]] = defaultdict(list)
    for account_id, reason, _competitor in records:
        by_reason[reason].append(account_id)
    involved = {a for a, _r, _c in records} | {a for _c, a in taken}
    revenue = _revenue_before_loss(snapshot, involved)

    reason_labels = dict(LossReason.choices)
    reasons = [
        ReasonRow(
            "loss",
            reason,
            str(reason_labels.get(reason, reason)),
            len(set(ids)),
            len(ids),
            sum((revenue.get(a, ZERO) for a in set(ids)), ZERO),
        )
        for reason, ids in by_reason.items()
    ]
    tender_labels = dict(LostReason.choices)
    reasons += [
        ReasonRow(
            "tender",
            row["lost_reason"],
            str(tender_labels.get(row["lost_reason"], row["lost_reason"])),
            row["accounts"],
            row["records"],
            None,
        )
        for row in tender_reasons
    ]
    reasons.sort(key=lambda r: (r.source != "loss", -r.accounts, -r.records, r.label.casefold()))

    names = dict(
        Competitor.objects.filter(pk__in=set(destinations) | set(won_tenders)).values_list(
            "pk", "name"
        )
    )
    competitors = [
        CompetitorRow(
            competitor_id,
            names.get(competitor_id, ""),
            len(ids),
            sum((revenue.get(a, ZERO) for a in ids), ZERO),
            won_tenders.get(competitor_id, 0),
        )
        for competitor_id, ids in destinations.items()
    ]
    competitors += [
        CompetitorRow(pk, names.get(pk, ""), 0, ZERO, n)
        for pk, n in won_tenders.items()
        if pk not in destinations
    ]
    competitors.sort(key=lambda r: (-r.revenue, -r.accounts, -r.tenders_won, r.name.casefold()))
    explained = {a for a, _r, _c in records}
    gone_somewhere = set().union(*destinations.values()) if destinations else set()
    return (
        reasons,
        len(lost_in_window - explained),
        competitors,
        len(lost_in_window - gone_somewhere),
    )


# -- Everything the page shows -----------------------------------------------------------------


def loss_dynamics(*, user: User, query: LossQuery, snapshot: Snapshot) -> LossDynamics:
    """The dynamics, breakdown, reasons and destinations for `query`, as `user` may see them."""
    accounts = scoped_accounts(user=user, query=query, snapshot=snapshot)
    breakdown, total = latest_breakdown(
        snapshot=snapshot, period=query.period, accounts=accounts, group=query.group
    )
    stored = stored_group(user, query)
    if (
        stored == (KEY_SERIES_GROUP, "")
        and not snapshot.series.filter(period=query.period, group=KEY_SERIES_GROUP).exists()
    ):
        stored = None
    if stored is not None:
        series = _stored_series(snapshot, query.period, *stored)
        scope = "own" if not sees_everything(user) else stored[0]  # key: the key accounts
    else:
        series = _computed_series(snapshot, query.period, accounts, total)
        scope = "computed"
    start, end = window(snapshot, query.period)
    reasons, without_reason, competitors, unknown = reasons_and_destinations(
        user=user, accounts=accounts, snapshot=snapshot, start=start, end=end
    )
    return LossDynamics(
        snapshot,
        query,
        start,
        end,
        _with_coverage(series, snapshot, query.period),
        scope,
        breakdown,
        total,
        reasons,
        without_reason,
        competitors,
        unknown,
    )


# -- The accounts behind a figure --------------------------------------------------------------


@dataclass(frozen=True)
class DrillDown:
    """Which accounts to list: a figure of the dynamics (`measure` in period `index`), a reason
    (`reason` from `source`) or a competitor."""

    measure: str | None = None
    index: int = 0
    reason: str | None = None
    source: str = "loss"
    competitor: int | None = None


def _state(snapshot: Snapshot, column: str, output_field) -> Subquery:
    rows = AccountMetrics.objects.filter(snapshot=snapshot, account=OuterRef("pk"))
    return Subquery(rows.values(column)[:1], output_field=output_field)


def _latest_loss(column: str, output_field) -> Subquery:
    rows = AccountLoss.objects.filter(account=OuterRef("pk")).order_by("-lost_on", "-id")
    return Subquery(rows.values(column)[:1], output_field=output_field)


def drill_down(
    *, user: User, query: LossQuery, snapshot: Snapshot, which: DrillDown
) -> QuerySet[Account]:
    """The accounts behind a figure, reason or competitor, under the query's filters and the
    user's scope, largest revenue before the loss first; each with its owner, the day it was
    lost, its revenue before the loss and the latest loss record's reason and competitor."""
    accounts = scoped_accounts(user=user, query=query, snapshot=snapshot)
    start, end = window(snapshot, query.period)
    period_rows = AccountPeriodMetrics.objects.filter(snapshot=snapshot, period=query.period)
    state = AccountMetrics.objects.filter(snapshot=snapshot)
    if which.measure in ("lost", "regained", "new") and which.index == 0:
        flag = f"{which.measure}_in_period"
        accounts = accounts.filter(pk__in=period_rows.filter(**{flag: True}).values("account_id"))
    elif which.measure == "lost":
        period_start, period_end = bounds_of(snapshot, query.period)[which.index]
        still_lost = state.filter(
            lost=True, lost_since__gte=period_start, lost_since__lte=period_end
        )
        accounts = accounts.filter(pk__in=still_lost.values("account_id"))
    elif which.measure == "shrinking":
        accounts = accounts.filter(pk__in=state.filter(shrinking=True).values("account_id"))
    elif which.reason and which.source == "tender":
        tenders = lost_tenders(
            user=user, accounts=accounts, snapshot=snapshot, start=start, end=end
        ).filter(lost_reason=which.reason)
        accounts = accounts.filter(pk__in=tenders.values("account_id"))
    elif which.reason:
        records = loss_records(user=user, accounts=accounts, start=start, end=end)
        accounts = accounts.filter(pk__in=records.filter(reason=which.reason).values("account_id"))
    elif which.competitor is not None:
        records = loss_records(user=user, accounts=accounts, start=start, end=end).filter(
            competitor_id=which.competitor
        )
        taken = taken_by_competitors(user=user, accounts=accounts, start=start, end=end).filter(
            competitor_id=which.competitor
        )
        accounts = accounts.filter(
            Q(pk__in=records.values("account_id")) | Q(pk__in=taken.values("account_id"))
        )
    else:
        accounts = accounts.none()
    owners = AccountTeamMember.objects.filter(account=OuterRef("pk"), role=TeamRole.OWNER)
    return (
        accounts.annotate(
            owner_username=Subquery(owners.values("user__username")[:1]),
            lost_since=_state(snapshot, "lost_since", DateField()),
            revenue_before_loss=_state(
                snapshot, "revenue_before_loss", DecimalField(max_digits=18, decimal_places=2)
            ),
            recorded_lost_on=_latest_loss("lost_on", DateField()),
            loss_reason=_latest_loss("reason", CharField()),
            loss_competitor=_latest_loss("competitor__name", CharField()),
        )
        .select_related("segment")
        .order_by(F("revenue_before_loss").desc(nulls_last=True), "name", "pk")
    )


def drill_down_error(which: DrillDown, snapshot: Snapshot, period: str) -> str | None:
    """Why the accounts behind this figure cannot be listed, or None."""
    periods = len(snapshot.periods[period]["bounds"])
    if which.index >= periods:
        return _("This window has %(n)s periods: choose an index from 0 to %(last)s.") % {
            "n": periods,
            "last": periods - 1,
        }
    if which.measure in LATEST_ONLY and which.index:
        return _(
            "The accounts regained, new or shrinking are known for the latest period only "
            "(index 0)."
        )
    return None


def drill_title(which: DrillDown) -> str:
    """What the list shows, in words."""
    if which.measure:
        return _("Accounts %(measure)s") % {"measure": MEASURES[which.measure]}
    if which.reason:
        labels = dict(LossReason.choices if which.source == "loss" else LostReason.choices)
        return _("Accounts lost for “%(reason)s” (%(source)s)") % {
            "reason": labels.get(which.reason, which.reason),
            "source": SOURCES[which.source],
        }
    if which.competitor is not None:
        name = Competitor.objects.filter(pk=which.competitor).values_list("name", flat=True).first()
        return _("Accounts lost to %(competitor)s") % {"competitor": name or "?"}
    return _("Accounts")

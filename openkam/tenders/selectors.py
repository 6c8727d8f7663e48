"""Reads on tenders and their analytics: win rate, lost value by reason and by competitor.

Win rate = won / (won + lost), counted in tenders (withdrawn, cancelled and open ones do not
count). Values are converted to the reporting currency (KAM_REPORTING_CURRENCY) with the
exchange rates the sales import uses (`sales.ExchangeRate`: the rate valid on the day the
tender was decided, else the earliest known rate); a value in a currency without any rate is
not converted and is reported apart, per currency, under `unconverted`.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery

from openkam.accounts.models import AccountTeamMember, TeamRole
from openkam.sales.models import ExchangeRate
from openkam.users.models import User

from .models import DECIDED, LostReason, Tender, TenderStatus


def tender_list(*, user: User) -> QuerySet[Tender]:
    owners = AccountTeamMember.objects.filter(account=OuterRef("account_id"), role=TeamRole.OWNER)
    return (
        Tender.objects.visible_to(user)
        .select_related("account", "category", "winner")
        .annotate(owner_username=Subquery(owners.values("user__username")[:1]))
    )


class _Rates:
    """Exchange rates to the reporting currency, read once per computation."""

    def __init__(self, currencies: set[str]) -> None:
        self.reporting = settings.REPORTING_CURRENCY
        self.by_currency: dict[str, tuple[list[dt.date], list[Decimal]]] = {}
        rows = ExchangeRate.objects.filter(currency__in=currencies - {self.reporting}).order_by(
            "currency", "valid_from"
        )
        for currency, day, rate in rows.values_list("currency", "valid_from", "rate"):
            days, rates = self.by_currency.setdefault(currency, ([], []))
            days.append(day)
            rates.append(rate)

    def convert(self, value: Decimal, currency: str, day: dt.date | None) -> Decimal | None:
        if currency == self.reporting:
            return value
        known = self.by_currency.get(currency)
        if not known:
            return None
        days, rates = known
        index = max(bisect.bisect_right(days, day) - 1, 0) if day else len(days) - 1
        return value * rates[index]


@dataclass
class Group:
    """Counts and values (in the reporting currency) of one group of decided tenders."""

    key: str
    label: str
    won: int = 0
    lost: int = 0
    lost_value: Decimal = Decimal(0)
    won_value: Decimal = Decimal(0)

    @property
    def decided(self) -> int:
        return self.won + self.lost

    @property
    def win_rate(self) -> float | None:
        return self.won / self.decided if self.decided else None


@dataclass
class TenderStats:
    currency: str
    total: Group
    open: int = 0
    by_reason: list[Group] = field(default_factory=list)
    by_competitor: list[Group] = field(default_factory=list)
    by_owner: list[Group] = field(default_factory=list)
    unconverted: dict[str, Decimal] = field(default_factory=dict)  # lost value per currency

    @property
    def max_lost_value(self) -> Decimal:
        values = [g.lost_value for g in (*self.by_reason, *self.by_competitor)]
        return max(values, default=Decimal(0))


def _add(group: Group, status: str, value: Decimal | None) -> None:
    if status == TenderStatus.WON:
        group.won += 1
        group.won_value += value or 0
    else:
        group.lost += 1
        group.lost_value += value or 0


def tender_stats(tenders: QuerySet[Tender]) -> TenderStats:
    """The figures of `tenders` (already restricted to what the reader may see). `tenders`
    must carry `owner_username` (see `tender_list`)."""
    rows = list(
        tenders.filter(status__in=DECIDED)
        .order_by()
        .values_list(
            "status",
            "value",
            "currency",
            "decided_on",
            "lost_reason",
            "winner_id",
            "winner__name",
            "owner_username",
        )
    )
    rates = _Rates({row[2] for row in rows if row[2]})
    stats = TenderStats(
        currency=rates.reporting,
        total=Group("all", ""),
        open=tenders.filter(status=TenderStatus.OPEN).count(),
    )
    reasons: dict[str, Group] = {}
    competitors: dict[int, Group] = {}
    owners: dict[str, Group] = {}
    unconverted: dict[str, Decimal] = defaultdict(Decimal)
    for status, value, currency, day, reason, winner_id, winner, owner in rows:
        converted = None
        if value is not None:
            converted = rates.convert(value, currency, day)
            if converted is None and status == TenderStatus.LOST:
                unconverted[currency] += value
        _add(stats.total, status, converted)
        owner_key = owner or ""
        _add(owners.setdefault(owner_key, Group(owner_key, owner_key)), status, converted)
        if status == TenderStatus.LOST:
            label = str(LostReason(reason).label) if reason in LostReason.values else reason
            _add(reasons.setdefault(reason, Group(reason, label)), status, converted)
            if winner_id is not None:
                group = competitors.setdefault(winner_id, Group(str(winner_id), winner))
                _add(group, status, converted)
    order = {code: i for i, code in enumerate(LostReason.values)}
    stats.by_reason = sorted(reasons.values(), key=lambda g: order.get(g.key, 99))
    stats.by_competitor = sorted(competitors.values(), key=lambda g: (-g.lost_value, g.label))
    stats.by_owner = sorted(owners.values(), key=lambda g: g.key)
    stats.unconverted = dict(sorted(unconverted.items()))
    return stats

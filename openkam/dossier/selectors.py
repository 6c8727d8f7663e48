"""Reads on the dossier and the portrait, always through the accounts the reader may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from openkam.accounts.models import Account, AccountStatus
from openkam.accounts.selectors import with_owner
from openkam.users.models import User

from .models import REVIEWED_AREAS, AccountProfile, Area, KeyFigure, PortraitSection


def stale_months() -> int:
    return int(settings.KAM_PORTRAIT_STALE_MONTHS)


def stale_cutoff(today: dt.date | None = None, months: int | None = None) -> dt.date:
    """The day a review must be on or after to be current: `months` calendar months ago (the
    last day of the month when that month is shorter)."""
    today = today or timezone.localdate()
    months = stale_months() if months is None else months
    index = today.year * 12 + today.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for day in range(today.day, 0, -1):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass
class SectionState:
    area: str
    label: str
    section: PortraitSection | None
    reviewed: bool  # one of the strategy areas that must stay reviewed
    stale: bool = False
    missing: bool = False

    @property
    def flagged(self) -> bool:
        return self.reviewed and (self.stale or self.missing)


@dataclass
class Portrait:
    account: Account
    cutoff: dt.date
    sections: list[SectionState] = field(default_factory=list)

    @property
    def stale(self) -> list[SectionState]:
        return [s for s in self.sections if s.reviewed and s.stale]

    @property
    def missing(self) -> list[SectionState]:
        return [s for s in self.sections if s.reviewed and s.missing]

    @property
    def flagged(self) -> bool:
        return any(s.flagged for s in self.sections)

    def by_area(self) -> dict[str, SectionState]:
        return {s.area: s for s in self.sections}


def _states(sections: dict[str, PortraitSection], cutoff: dt.date) -> list[SectionState]:
    states = []
    for area in Area:
        section = sections.get(area.value)
        reviewed = area in REVIEWED_AREAS
        states.append(
            SectionState(
                area=area.value,
                label=str(area.label),
                section=section,
                reviewed=reviewed,
                stale=section is not None and section.is_stale(cutoff),
                missing=section is None or section.is_missing,
            )
        )
    return states


def portrait(*, account: Account, today: dt.date | None = None) -> Portrait:
    """Every area of the account's portrait, each flagged stale or missing."""
    cutoff = stale_cutoff(today)
    sections = {s.area: s for s in PortraitSection.objects.filter(account=account)}
    return Portrait(account=account, cutoff=cutoff, sections=_states(sections, cutoff))


def profile(*, account: Account) -> AccountProfile | None:
    return AccountProfile.objects.filter(account=account).first()


def key_figures(*, account: Account) -> list[KeyFigure]:
    """The account's key figures, the latest year first."""
    return list(KeyFigure.objects.filter(account=account).order_by("-year"))


def key_figure_list(*, user: User) -> QuerySet[KeyFigure]:
    return KeyFigure.objects.visible_to(user).select_related("account")


@dataclass
class Bar:
    year: int
    value: object
    currency: str
    height: float  # 0–100, share of the largest value
    x: int = 0  # where the bar starts in a chart 100 units wide per year

    @property
    def top(self) -> float:
        return round(100 - self.height, 1)

    @property
    def middle(self) -> int:
        return self.x + 40


def turnover_bars(figures: list[KeyFigure]) -> list[Bar]:
    """Turnover by year, oldest first, scaled to the largest: the small chart of the dossier.
    Years in another currency than the latest are left out rather than compared."""
    with_turnover = [f for f in figures if f.turnover is not None]
    if not with_turnover:
        return []
    currency = max(with_turnover, key=lambda f: f.year).currency
    same = sorted((f for f in with_turnover if f.currency == currency), key=lambda f: f.year)
    top = max(float(f.turnover) for f in same) or 1.0
    return [
        Bar(f.year, f.turnover, currency, round(100 * float(f.turnover) / top, 1), 100 * i + 10)
        for i, f in enumerate(same)
    ]


# -- Stale portraits across accounts ---------------------------------------------------------


def stale_portraits(*, user: User, today: dt.date | None = None) -> QuerySet[Account]:
    """The key accounts the user may see with at least one strategy area of the portrait
    stale or missing, by owner then name; `current_sections` counts the reviewed ones."""
    cutoff = stale_cutoff(today)
    current = (
        PortraitSection.objects.filter(
            account=OuterRef("pk"), area__in=REVIEWED_AREAS, reviewed_on__gte=cutoff
        )
        .exclude(text="")
        .order_by()
        .values("account")
        .annotate(n=Count("pk"))
        .values("n")
    )
    accounts = (
        with_owner(Account.objects.visible_to(user, "view"))
        .filter(status=AccountStatus.KEY)
        .annotate(current_sections=Coalesce(Subquery(current), Value(0)))
        .filter(current_sections__lt=len(REVIEWED_AREAS))
        .only("pk", "name", "country", "status")
    )
    return accounts.order_by("owner_username", "name", "pk")


def portraits_of(accounts: list[Account], today: dt.date | None = None) -> dict[int, Portrait]:
    """The portrait of each account in one query (a page of the stale list)."""
    cutoff = stale_cutoff(today)
    found: dict[int, dict[str, PortraitSection]] = {a.pk: {} for a in accounts}
    for section in PortraitSection.objects.filter(account__in=[a.pk for a in accounts]):
        found[section.account_id][section.area] = section
    return {
        a.pk: Portrait(account=a, cutoff=cutoff, sections=_states(found[a.pk], cutoff))
        for a in accounts
    }

"""The relationship timeline of one account: every source merged, newest first, a page at a
time. A page of N events reads at most page × N + 1 events of each source, so the first pages
of an account with ten years of history cost what they cost on a new account."""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from openkam.accounts.models import Account

from . import events, sales

PER_PAGE = 50
MAX_PAGE = 200  # 10,000 events; beyond that a filter by kind is the way


@dataclass(frozen=True)
class TimelinePage:
    events: list[events.Event]
    number: int
    has_next: bool
    kinds: list[str]  # the kinds shown (all by default)

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def available_kinds() -> list[tuple[str, str]]:
    """(value, label) of every kind some source produces, in the order of EventKind."""
    return [(kind.value, kind.label) for kind in events.EventKind if kind in events.SOURCES]


def account_timeline(
    account: Account,
    *,
    kinds: Iterable[str] = (),
    page: int = 1,
    per_page: int = PER_PAGE,
    as_of: dt.date | None = None,
) -> TimelinePage:
    """`account` must already be one the reader may see (the views fetch it through
    `visible_to`); unknown kinds are ignored, an empty choice means every kind."""
    wanted = [k for k in dict.fromkeys(kinds) if k in events.SOURCES] or list(events.SOURCES)
    page = min(max(page, 1), MAX_PAGE)
    limit = page * per_page + 1
    needs_sales = {events.EventKind.REVENUE, events.EventKind.ORDER} & set(wanted)
    account_sales = (
        sales.account_sales(account.pk, as_of or timezone.localdate())
        if needs_sales
        else sales.AccountSales()
    )
    streams = [
        sorted(events.SOURCES[kind](account, limit, account_sales), key=_newest_first)
        for kind in wanted
    ]
    merged = list(heapq.merge(*streams, key=_newest_first))
    start = (page - 1) * per_page
    return TimelinePage(
        events=merged[start : start + per_page],
        number=page,
        has_next=len(merged) > start + per_page and page < MAX_PAGE,
        kinds=wanted,
    )


def _newest_first(event: events.Event) -> tuple:
    when, kind, title = event.sort_key
    return (-when.timestamp(), kind, title)


def monthly_revenue(account: Account, as_of: dt.date | None = None) -> sales.AccountSales:
    return sales.account_sales(account.pk, as_of or timezone.localdate())

"""An account's sales history for its timeline, read from the fact store through the analytics
package (never from Django), and cached under a key that changes with every published batch:
an import or a rollback shows at once, and a page reads the facts once per day and batch set."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

import ibis
from django.conf import settings
from django.core.cache import cache

from openkam.analytics import timeline
from openkam.analytics.daily import CENTS
from openkam.facts import sources
from openkam.metrics.services import fact_engine, fact_store

CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Month:
    month: dt.date  # its first day
    revenue: Decimal
    orders: int
    revenue_year_ago: Decimal | None  # the same month a year before, if there was history


@dataclass(frozen=True)
class LargeOrder:
    day: dt.date
    document: str
    revenue: Decimal
    lines: int


@dataclass(frozen=True)
class AccountSales:
    months: list[Month] = field(default_factory=list)  # oldest first
    large_orders: list[LargeOrder] = field(default_factory=list)  # latest first
    currency: str = ""


def account_sales(account_id: int, as_of: dt.date) -> AccountSales:
    store = fact_store()
    batches = sorted(store.published_batch_ids())
    if not batches:
        return AccountSales(currency=settings.REPORTING_CURRENCY)
    fingerprint = hashlib.blake2b(
        f"{store.root}|{batches}|{settings.REPORTING_CURRENCY}".encode(), digest_size=8
    ).hexdigest()
    key = f"timeline-sales:{fingerprint}:{account_id}:{as_of.isoformat()}"
    sales = cache.get(key)
    if sales is None:
        sales = _read(store, account_id, as_of)
        cache.set(key, sales, CACHE_SECONDS)
    return sales


def _read(store, account_id: int, as_of: dt.date) -> AccountSales:
    backend = fact_engine()
    try:
        lines = sources.order_lines(backend, store)
        months = timeline.account_months(lines, account_id, as_of).order_by("month")
        large = timeline.large_orders(lines, account_id, as_of).order_by(
            [ibis.desc("day"), "document"]
        )
        month_rows = months.to_pyarrow().to_pylist()
        large_rows = large.to_pyarrow().to_pylist()
    finally:
        if backend.name == "duckdb":  # Spark sessions and PostgreSQL pools are shared
            backend.disconnect()
    by_month = {row["month"]: _money(row["revenue"]) for row in month_rows}
    return AccountSales(
        months=[
            Month(
                month=row["month"],
                revenue=by_month[row["month"]],
                orders=row["orders"],
                revenue_year_ago=by_month.get(row["month"].replace(year=row["month"].year - 1)),
            )
            for row in month_rows
        ],
        large_orders=[
            LargeOrder(row["day"], row["document"], _money(row["revenue"]), row["lines"])
            for row in large_rows
        ],
        currency=settings.REPORTING_CURRENCY,
    )


def _money(cents: int) -> Decimal:
    return Decimal(cents) / CENTS

"""What became of each account after a past date, read from the fact store through the analytics
package (`openkam.analytics.outcomes`, never from Django), cached under a key that changes with
every published batch, like the timeline's sales."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache

from openkam.analytics import outcomes as engine
from openkam.analytics.daily import CENTS
from openkam.analytics.periods import shift_months
from openkam.facts import sources
from openkam.metrics.services import fact_engine, fact_store

CACHE_SECONDS = 24 * 3600
HORIZON_MONTHS = engine.HORIZON_MONTHS
SHRINK_SHARE = engine.SHRINK_SHARE
# The history may end a little before the 12 months after the date are complete (an export
# made on a weekend, a month not closed yet): up to this many days short still counts.
GRACE_DAYS = 14


@dataclass(frozen=True)
class Outcome:
    account_id: int
    revenue_before: Decimal  # the 12 months up to the date
    revenue_after: Decimal  # the 12 months after it
    purchases_after: int  # purchase lines after it (0: lost)
    went_bad: bool | None  # lost or shrank > 30 %; None: no revenue before (left out)

    @property
    def lost(self) -> bool:
        return self.purchases_after == 0

    @property
    def change(self) -> float | None:
        if self.revenue_before <= 0:
            return None
        return float((self.revenue_after - self.revenue_before) / self.revenue_before)


@dataclass(frozen=True)
class Outcomes:
    as_of: dt.date
    history_end: dt.date | None
    accounts: dict[int, Outcome]


def latest_date(history_end: dt.date | None) -> dt.date | None:
    """The latest date whose following 12 months the history covers (within `GRACE_DAYS`)."""
    if history_end is None:
        return None
    return shift_months(history_end + dt.timedelta(days=GRACE_DAYS), -HORIZON_MONTHS)


def _fingerprint() -> str | None:
    store = fact_store()
    batches = sorted(store.published_batch_ids())
    if not batches:
        return None
    return hashlib.blake2b(
        f"{store.root}|{batches}|{settings.REPORTING_CURRENCY}".encode(), digest_size=8
    ).hexdigest()


def history_end() -> dt.date | None:
    """The last day of the sales history (None without one)."""
    fingerprint = _fingerprint()
    if fingerprint is None:
        return None
    key = f"health-history-end:{fingerprint}"
    end = cache.get(key)
    if end is None:
        backend = fact_engine()
        try:
            end = engine.history_end(sources.order_lines(backend, fact_store()))
            end = end.to_pyarrow().as_py()
        finally:
            _close(backend)
        cache.set(key, end or "", CACHE_SECONDS)
    return end or None


def account_outcomes(as_of: dt.date) -> Outcomes:
    """Every account's revenue in the 12 months before and after `as_of`, and whether it went
    bad (`openkam.analytics.outcomes.went_bad`)."""
    fingerprint = _fingerprint()
    if fingerprint is None:
        return Outcomes(as_of=as_of, history_end=None, accounts={})
    key = f"health-outcomes:{fingerprint}:{as_of.isoformat()}"
    rows = cache.get(key)
    if rows is None:
        backend = fact_engine()
        try:
            lines = sources.order_lines(backend, fact_store())
            rows = engine.account_outcomes(lines, as_of).to_pyarrow().to_pylist()
        finally:
            _close(backend)
        cache.set(key, rows, CACHE_SECONDS)
    accounts = {
        row["account_id"]: Outcome(
            account_id=row["account_id"],
            revenue_before=Decimal(row["revenue_before"]) / CENTS,
            revenue_after=Decimal(row["revenue_after"]) / CENTS,
            purchases_after=row["purchases_after"],
            went_bad=engine.went_bad(
                row["revenue_before"], row["revenue_after"], row["purchases_after"]
            ),
        )
        for row in rows
    }
    return Outcomes(as_of=as_of, history_end=history_end(), accounts=accounts)


def _close(backend) -> None:
    if backend.name == "duckdb":  # Spark sessions and PostgreSQL pools are shared
        backend.disconnect()

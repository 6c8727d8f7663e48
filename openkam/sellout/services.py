"""The engine's side of sell-out: after every sell-out import (the only way its facts change;
an analysis of the sales history leaves them alone), each account's months (per store) and its
growth split into the three levers are recomputed and stored, so that the pages and the API read
rows instead of running the engine."""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from openkam.accounts.models import Account
from openkam.analytics import sellout as engine
from openkam.facts import sources
from openkam.facts.store import FactStore
from openkam.metrics.services import fact_engine, fact_store

from .models import SelloutMonth, SelloutSummary


@dataclass(frozen=True)
class RecomputeResult:
    accounts: int
    months: int
    seconds: float


def _monthly_rows(store: FactStore) -> list[dict]:
    backend = fact_engine()
    try:
        table = engine.monthly(sources.sellout(backend, store))
        return table.to_pyarrow().to_pylist()
    finally:
        backend.disconnect()


def sellout_recompute() -> RecomputeResult:
    """Replace every account's stored months and summary by what the facts say now."""
    started = time.perf_counter()
    rows = _monthly_rows(fact_store())
    existing = set(Account.objects.values_list("pk", flat=True))
    months = [
        SelloutMonth(
            account_id=row["account_id"],
            store=row["store"],
            period=row["period"],
            shoppers=row["shoppers"],
            visits=row["visits"],
            value=row["value"],
        )
        for row in rows
        if row["account_id"] in existing  # an account deleted since the import
    ]
    per_account: dict[int, list[SelloutMonth]] = defaultdict(list)
    for month in months:
        per_account[month.account_id].append(month)
    summaries = [
        _summary(account_id, account_months) for account_id, account_months in per_account.items()
    ]
    with transaction.atomic():
        SelloutMonth.objects.all().delete()
        SelloutSummary.objects.all().delete()
        SelloutMonth.objects.bulk_create(months, batch_size=2000)
        SelloutSummary.objects.bulk_create(summaries, batch_size=2000)
    return RecomputeResult(len(summaries), len(months), round(time.perf_counter() - started, 3))


def month_rows(months) -> list[tuple[str, dt.date, int, int, Decimal]]:
    return [(m.store, m.period, m.shoppers, m.visits, m.value) for m in months]


def _summary(account_id: int, months: list[SelloutMonth]) -> SelloutSummary:
    latest = max(m.period for m in months)
    before, after = engine.last_twelve_months(latest)
    total = engine.decompose_months(month_rows(months), before, after).total
    return SelloutSummary(
        account_id=account_id,
        before_first=before.first,
        before_last=before.last,
        after_first=after.first,
        after_last=after.last,
        value_before=total.before.value,
        value_after=total.after.value,
        shoppers=total.shoppers,
        frequency=total.frequency,
        spend=total.spend,
    )

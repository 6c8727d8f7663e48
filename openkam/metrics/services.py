"""Run the analytics engine and store what it computed as a snapshot."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

import ibis
import pyarrow as pa
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from openkam.accounts.models import Account, TeamRole
from openkam.analytics.config import AnalyticsConfig
from openkam.analytics.suite import Results, compute
from openkam.catalog.models import ProductCategory
from openkam.facts import sources
from openkam.facts.store import FactStore
from openkam.keyaccounts.selectors import key_accounts_on
from openkam.users.models import User

from .loss_settings import analytics_config
from .models import (
    AccountMetrics,
    AccountPeriodMetrics,
    CrossSellOpportunity,
    SeriesPoint,
    Snapshot,
    SnapshotStatus,
)
from .selectors import available_dates
from .signals import snapshot_done

log = logging.getLogger(__name__)
BULK = 2000


class NoSalesHistory(Exception):
    """There are no order lines to analyse yet."""


def fact_store() -> FactStore:
    return FactStore(settings.FACTS_DIR)


def fact_engine() -> ibis.BaseBackend:
    """The engine named by KAM_FACT_ENGINE (duckdb by default)."""
    engine = settings.FACT_ENGINE
    if engine == "duckdb":
        return sources.ibis_duckdb()
    if engine == "pyspark":
        return sources.ibis_pyspark()
    if engine == "postgres":
        return sources.ibis_postgres(settings.FACT_DATABASE_URL)
    raise ValueError(
        f"KAM_FACT_ENGINE={engine!r} is not an engine OpenKAM knows: use duckdb, postgres or "
        "pyspark (see README.md, Configuration)."
    )


def account_dimension(as_of: dt.date) -> pa.Table:
    """Every account with its owner, country, segment and whether it was a key account on
    `as_of` (by the nomination decisions: an account nominated today was no key account in
    1997). Owner, country and segment are today's: their history is not recorded."""
    owners = dict(
        Account.objects.filter(team__role=TeamRole.OWNER).values_list("pk", "team__user_id")
    )
    key_ids = key_accounts_on(as_of)
    rows = Account.objects.values_list("pk", "country", "segment_id")
    ids, countries, segments, keys = [], [], [], []
    for pk, country, segment_id in rows.iterator(chunk_size=5000):
        ids.append(pk)
        countries.append(str(country) or None)
        segments.append(segment_id)
        keys.append(pk in key_ids)
    return pa.table(
        {
            "account_id": pa.array(ids, pa.int64()),
            "owner_id": pa.array([owners.get(pk) for pk in ids], pa.int64()),
            "country": pa.array(countries, pa.string()),
            "segment_id": pa.array(segments, pa.int64()),
            "is_key": pa.array(keys, pa.bool_()),
        }
    )


def snapshot_create(
    *,
    as_of: dt.date | None = None,
    actor: User | None = None,
    config: AnalyticsConfig | None = None,
) -> Snapshot:
    """Compute every metric as of `as_of` (today by default) and store it. The previous
    snapshot of the same date is replaced once the new one is complete. `config` defaults to
    the settings' (the lost criterion and the shrinking decline, KAM_LOST_*)."""
    as_of = as_of or timezone.localdate()
    store = fact_store()
    if not store.has_order_lines():
        raise NoSalesHistory(
            "There is no sales history to analyse yet: import order lines first "
            "(`kam import orders FILE`, or Sales history → Import in the web UI)."
        )
    config = config or analytics_config(settings)
    snapshot = Snapshot.objects.create(
        as_of=as_of,
        created_by=actor,
        reporting_currency=settings.REPORTING_CURRENCY,
        config=_jsonable(config.as_dict()),
    )
    started = time.perf_counter()
    try:
        dimension = account_dimension(as_of)
        backend = fact_engine()
        results = compute(
            sources.order_lines(backend, store),
            as_of=as_of,
            dimension=dimension,
            config=config,
            history_start=settings.HISTORY_START,
        )
        computed = time.perf_counter()
        with transaction.atomic():
            _store(snapshot, results, dimension)
            snapshot.status = SnapshotStatus.DONE
            snapshot.finished_at = timezone.now()
            snapshot.duration_seconds = round(time.perf_counter() - started, 3)
            snapshot.timings = {
                **results.timings,
                "store": round(time.perf_counter() - computed, 3),
            }
            snapshot.save()
            Snapshot.objects.filter(as_of=as_of).exclude(pk=snapshot.pk).delete()
    except Exception as error:
        log.exception("analysis as of %s failed", as_of)
        snapshot.status = SnapshotStatus.FAILED
        snapshot.error = f"{type(error).__name__}: {error}"
        snapshot.finished_at = timezone.now()
        snapshot.save(update_fields=["status", "error", "finished_at"])
        raise
    # health recomputes after it; growth stores the account × category table of `results`,
    # the what-if its cohort basis
    snapshot_done.send(sender=Snapshot, snapshot=snapshot, results=results)
    return snapshot


def snapshots_refresh(*, actor: User | None = None) -> list[Snapshot]:
    """Recompute today's snapshot and every other stored date's: after the order lines change
    (an import, a roll-back) a stored date would otherwise keep showing the old facts. When
    the history ends before today (an old export), the day it ends is analysed too, so the
    cockpit has the portfolio as it last was. Every date is tried; the first failure is
    raised once all have run."""
    today = timezone.localdate()
    dates = [today, *sorted(set(available_dates()) - {today}, reverse=True)]
    snapshots, failures = [], []
    while dates:
        as_of = dates.pop(0)
        try:
            snapshots.append(snapshot_create(as_of=as_of, actor=actor))
        except Exception as error:  # recorded on the failed snapshot; the others still run
            failures.append(error)
            continue
        if as_of == today:
            # history that ends before today (an old export) is also shown as of its last day
            end = snapshots[-1].periods["year"]["headline"].get("coverage", {}).get("history_end")
            last_day = dt.date.fromisoformat(end) if end else None
            if last_day and last_day < today and last_day not in dates:
                dates.insert(0, last_day)
    if failures:
        raise failures[0]
    return snapshots


def _store(snapshot: Snapshot, results: Results, dimension: pa.Table) -> None:
    known = set(Account.objects.values_list("pk", flat=True))
    key_ids = set(dimension.filter(dimension["is_key"])["account_id"].to_pylist())
    snapshot.engine = results.engine
    snapshot.model = _jsonable(results.model)
    snapshot.periods = {
        period: {
            "bounds": [[start.isoformat(), end.isoformat()] for start, end in result.bounds],
            "headline": _jsonable(result.headline),
            "matrix": _jsonable(result.matrix.to_pylist()),
        }
        for period, result in results.periods.items()
    }
    _bulk(
        AccountMetrics,
        (
            AccountMetrics(snapshot=snapshot, **_fields(AccountMetrics, row))
            for row in _rows(results.accounts, known)
        ),
    )
    for period, result in results.periods.items():
        _bulk(
            AccountPeriodMetrics,
            (
                AccountPeriodMetrics(
                    snapshot=snapshot,
                    period=period,
                    is_key=row["account_id"] in key_ids,
                    **_fields(AccountPeriodMetrics, row),
                )
                for row in _rows(result.accounts, known)
            ),
        )
        _bulk(
            SeriesPoint,
            (
                SeriesPoint(
                    snapshot=snapshot,
                    period=period,
                    start=result.bounds[row["index"]][0],
                    end=result.bounds[row["index"]][1],
                    **_fields(SeriesPoint, row),
                )
                for row in result.series.to_pylist()
            ),
        )
    categories = set(ProductCategory.objects.values_list("pk", flat=True))
    _bulk(
        CrossSellOpportunity,
        (
            CrossSellOpportunity(snapshot=snapshot, **_fields(CrossSellOpportunity, row))
            for row in _rows(results.cross_sell, known)
            if row["category_id"] in categories
        ),
    )


def _rows(table: pa.Table, known: set[int]) -> Iterator[dict[str, Any]]:
    """Rows of accounts that still exist (an account deleted since its import has facts but
    no page)."""
    for batch in table.to_batches(max_chunksize=BULK):
        for row in batch.to_pylist():
            if row["account_id"] in known:
                yield row


_FIELD_NAMES: dict[type, set[str]] = {}


def _fields(model: type, row: dict[str, Any]) -> dict[str, Any]:
    """The row's values for the model's fields (foreign keys by their `_id`); NULL text and
    flags become the field's empty value."""
    if model not in _FIELD_NAMES:
        _FIELD_NAMES[model] = {field.attname for field in model._meta.concrete_fields}
    values = {}
    for name in _FIELD_NAMES[model] & row.keys():
        value = row[name]
        if value is None:
            field = model._meta.get_field(name)
            if not field.null and field.has_default():
                value = field.get_default()
        values[name] = value
    return values


def _bulk(model: type, objects: Iterable) -> None:
    batch = []
    for obj in objects:
        batch.append(obj)
        if len(batch) >= BULK:
            model.objects.bulk_create(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value != value:  # NaN has no JSON
        return None
    return value

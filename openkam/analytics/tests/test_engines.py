"""The whole suite on DuckDB, PostgreSQL and PySpark: identical results, to the last bit.

The facts are the hand-worked scenario plus 4,000 random lines (credit notes, discounts,
same-day invoices, lines without a customer), published as two batches of the Parquet store.
Each engine reads them through `sources.order_lines` — PostgreSQL after a COPY — and the
suite's every table and headline must be equal. PostgreSQL and Spark are skipped when absent,
except under CI=true, where that is a failure.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator

import ibis
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from openkam.analytics.outcomes import account_outcomes
from openkam.analytics.suite import Results, compute
from openkam.analytics.timeline import account_months, large_orders
from openkam.facts import sources
from openkam.facts.store import FactStore

from . import facts, scenario

PG_ADMIN_URL = os.environ.get("KAM_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
CI = os.environ.get("CI", "").lower() == "true"


def random_lines(count: int, seed: int = 3) -> list[dict]:
    rng = np.random.default_rng(seed)
    start = dt.date(2023, 1, 1)
    rows = []
    for _ in range(count):
        account = int(rng.integers(100, 160)) if rng.random() > 0.02 else None
        day = start + dt.timedelta(days=int(rng.integers(0, 4 * 365 + 30)))
        amount = round(float(rng.lognormal(5, 1.2)), 2) * (-1 if rng.random() < 0.05 else 1)
        rows.append(
            facts.line(
                account,
                day,
                f"{amount:.2f}",
                cost=f"{abs(amount) * 0.7:.2f}" if rng.random() > 0.1 else None,
                quantity=int(rng.integers(1, 20)),
                document=f"R{int(rng.integers(0, 3000))}" if rng.random() > 0.1 else None,
                category=int(rng.integers(1, 8)),
                discount=f"{abs(amount) * 0.1:.2f}" if rng.random() < 0.4 else None,
            )
        )
    return rows


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> FactStore:
    store = FactStore(tmp_path_factory.mktemp("analytics-engines") / "facts")
    table = facts.table(scenario.lines() + random_lines(4000))
    for batch_id, part in ((1, table.slice(0, 2000)), (2, table.slice(2000))):
        part = part.set_column(0, "batch_id", pa.array([batch_id] * part.num_rows, pa.int64()))
        staging = store.new_staging_dir(batch_id)
        pq.write_table(part, staging / "part-0.parquet")
        store.publish(staging, batch_id)
    return store


def _suite(backend: ibis.BaseBackend, store: FactStore) -> Results:
    dimension = facts.dimension(
        [(a, a % 3 or None, ("TH", "VN", "RS")[a % 3], a % 2, a % 5 == 0) for a in range(1, 160)]
    )
    return compute(sources.order_lines(backend, store), as_of=scenario.AS_OF, dimension=dimension)


@pytest.fixture(scope="module")
def reference(store) -> Results:
    backend = sources.ibis_duckdb()
    try:
        return _suite(backend, store)
    finally:
        backend.disconnect()


def _timeline(backend: ibis.BaseBackend, store: FactStore) -> dict[str, list[dict]]:
    """One busy account's months and large orders, sorted (engines return rows in any order)."""
    lines = sources.order_lines(backend, store)
    return {
        "months": account_months(lines, 120, scenario.AS_OF)
        .order_by("month")
        .to_pyarrow()
        .to_pylist(),
        "large": large_orders(lines, 120, scenario.AS_OF, factor=2)
        .order_by(["day", "document"])
        .to_pyarrow()
        .to_pylist(),
    }


@pytest.fixture(scope="module")
def reference_timeline(store) -> dict[str, list[dict]]:
    backend = sources.ibis_duckdb()
    try:
        timeline = _timeline(backend, store)
    finally:
        backend.disconnect()
    assert len(timeline["months"]) > 12 and timeline["large"]
    return timeline


def _outcomes(backend: ibis.BaseBackend, store: FactStore) -> list[dict]:
    """Every account's revenue a year before and after a past date (the health backtest)."""
    lines = sources.order_lines(backend, store)
    as_of = dt.date(2025, 6, 30)
    return account_outcomes(lines, as_of).order_by("account_id").to_pyarrow().to_pylist()


@pytest.fixture(scope="module")
def reference_outcomes(store) -> list[dict]:
    backend = sources.ibis_duckdb()
    try:
        outcomes = _outcomes(backend, store)
    finally:
        backend.disconnect()
    assert len(outcomes) > 50 and any(row["purchases_after"] == 0 for row in outcomes)
    return outcomes


def _unavailable(reason: str) -> None:
    if CI:
        pytest.fail(f"{reason}. Under CI=true the portability tests must run, not be skipped.")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def postgres() -> Iterator[ibis.BaseBackend]:
    import psycopg

    name = f"openkam_test_facts_{uuid.uuid4().hex[:8]}"
    try:
        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        _unavailable(f"no PostgreSQL at {PG_ADMIN_URL} ({error})")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        backend = sources.ibis_postgres(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
        try:
            yield backend
        finally:
            backend.disconnect()
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def spark() -> Iterator[ibis.BaseBackend]:
    try:
        import ibis.backends.pyspark  # noqa: F401
        import pyspark  # noqa: F401
    except ImportError as error:
        _unavailable(f"PySpark is not installed ({error}); `uv sync --extra spark`")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SPARK_LOCAL_IP", "127.0.0.1")
        backend = sources.ibis_pyspark(app_name="openkam-analytics-engines")
        backend._session.sparkContext.setLogLevel("ERROR")
        try:
            yield backend
        finally:
            backend.disconnect()


def assert_identical(results: Results, reference: Results) -> None:
    assert results.accounts.num_rows > 60
    assert results.accounts.equals(reference.accounts), "per-account state differs"
    for period, expected in reference.periods.items():
        got = results.periods[period]
        assert got.accounts.equals(expected.accounts), f"{period}: per-account figures differ"
        assert got.series.equals(expected.series), f"{period}: series differ"
        assert got.matrix.equals(expected.matrix), f"{period}: ABC–XYZ matrix differs"
        assert got.headline == expected.headline, f"{period}: headline differs"
    assert results.cross_sell.equals(reference.cross_sell), "cross-sell differs"
    assert results.model == reference.model, "repeat-purchase model differs"


def test_postgres_computes_what_duckdb_computes(postgres, store, reference):
    results = _suite(postgres, store)
    assert results.engine == "postgres"
    assert_identical(results, reference)


def test_postgres_computes_the_timeline_duckdb_computes(postgres, store, reference_timeline):
    assert _timeline(postgres, store) == reference_timeline


def test_postgres_computes_the_outcomes_duckdb_computes(postgres, store, reference_outcomes):
    assert _outcomes(postgres, store) == reference_outcomes


def test_postgres_copy_follows_rollbacks(postgres, store):
    sources.order_lines(postgres, store)
    assert sources.sync_postgres(postgres, store) == {"loaded": [], "removed": []}
    lines = postgres.table(sources.POSTGRES_TABLE)
    assert lines.count().to_pyarrow().as_py() == 4000 + len(scenario.lines())


@pytest.mark.spark
@pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")
def test_spark_computes_what_duckdb_computes(spark, store, reference):
    results = _suite(spark, store)
    assert results.engine == "pyspark"
    assert_identical(results, reference)


@pytest.mark.spark
@pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")
def test_spark_computes_the_timeline_duckdb_computes(spark, store, reference_timeline):
    assert _timeline(spark, store) == reference_timeline


@pytest.mark.spark
@pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")
def test_spark_computes_the_outcomes_duckdb_computes(spark, store, reference_outcomes):
    assert _outcomes(spark, store) == reference_outcomes

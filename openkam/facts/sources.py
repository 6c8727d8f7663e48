"""The only module that opens connections to fact engines. Nothing connects at import time.

The same Ibis expressions run on every engine: DuckDB over Parquet by default (no server),
PySpark for companies whose facts outgrow one machine, PostgreSQL where that is the warehouse.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import duckdb
import ibis
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from .schema import FACT_COLUMNS, SELLOUT_COLUMNS
from .sellout_schema import SELLOUT_ARROW
from .store import FactStore, SelloutArea

DUCKDB_SETTINGS = {
    "threads": 2,
    "memory_limit": "1500MB",
    # Writes run in parallel; line order is carried by `source_record`, not by row order
    # (ordinality from read_csv stays exact either way — tested).
    "preserve_insertion_order": False,
    # progress is tracked (for `query_progress`) but never printed to the terminal
    "enable_progress_bar": True,
    "enable_progress_bar_print": False,
}


def duckdb_connection(temp_dir: Path | None = None, **settings: Any) -> duckdb.DuckDBPyConnection:
    """A raw DuckDB connection for the importer (in memory, spilling to `temp_dir`)."""
    con = duckdb.connect()
    for name, value in {**DUCKDB_SETTINGS, **settings}.items():
        con.execute(
            f"SET {name} = {value!r}" if isinstance(value, str) else f"SET {name} = {value}"
        )
    if temp_dir is not None:
        temp_dir.mkdir(parents=True, exist_ok=True)
        con.execute(f"SET temp_directory = '{temp_dir}'")
    return con


def ibis_duckdb() -> ibis.BaseBackend:
    return ibis.duckdb.connect(threads=DUCKDB_SETTINGS["threads"])


def ibis_pyspark(app_name: str = "openkam") -> ibis.BaseBackend:
    """PySpark in local mode (two cores), as in the portability tests."""
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    return ibis.pyspark.connect(session)


def ibis_postgres(url: str) -> ibis.BaseBackend:
    """A PostgreSQL database holding a copy of the store (see `sync_postgres`)."""
    if not url:
        raise ValueError(
            "KAM_FACT_ENGINE=postgres needs KAM_FACT_DATABASE_URL, e.g. "
            "postgres://user@127.0.0.1:5432/openkam_facts (see README.md, Configuration)."
        )
    return ibis.connect(url.replace("postgresql://", "postgres://", 1))


def order_lines(backend: ibis.BaseBackend, store: FactStore) -> ibis.Table:
    """All published order lines as an Ibis table on `backend`."""
    name = backend.name
    if name == "duckdb":
        return backend.read_parquet(store.order_lines_glob(), hive_partitioning=False)
    if name == "pyspark":
        return backend.read_parquet(str(store.order_lines_dir / "*" / "*.parquet"))
    if name == "postgres":
        sync_postgres(backend, store)
        return backend.table(POSTGRES_TABLE)
    raise ValueError(f"openkam/facts/sources.py: no reader for the {name!r} backend")


POSTGRES_TABLE = "order_lines"
COPY_ROWS = 100_000
NO_HEADER = pa_csv.WriteOptions(include_header=False)


def sync_postgres(backend: ibis.BaseBackend, store: FactStore) -> dict[str, list[int]]:
    """Make the PostgreSQL table hold exactly the published batches: batches rolled back are
    deleted, new ones loaded with COPY (streamed from their Parquet files, never row by row).
    Returns the batch ids loaded and removed."""
    columns = ", ".join(FACT_COLUMNS)
    definition = ", ".join(f"{name} {kind}" for name, kind in FACT_COLUMNS.items())
    published = store.published_batch_ids()
    with backend.con.transaction(), backend.con.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {POSTGRES_TABLE} ({definition})")
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {POSTGRES_TABLE}_batch ON {POSTGRES_TABLE} (batch_id)"
        )
        cursor.execute(f"SELECT DISTINCT batch_id FROM {POSTGRES_TABLE}")
        loaded = {row[0] for row in cursor.fetchall()}
        removed = sorted(loaded - published)
        if removed:
            cursor.execute(f"DELETE FROM {POSTGRES_TABLE} WHERE batch_id = ANY(%s)", (removed,))
        added = sorted(published - loaded)
        for batch_id in added:
            dataset = pq.ParquetFile(next(store.batch_dir(batch_id).glob("*.parquet")))
            with cursor.copy(f"COPY {POSTGRES_TABLE} ({columns}) FROM STDIN (FORMAT csv)") as copy:
                for batch in dataset.iter_batches(COPY_ROWS, columns=list(FACT_COLUMNS)):
                    buffer = io.BytesIO()
                    pa_csv.write_csv(batch, buffer, NO_HEADER)
                    copy.write(buffer.getvalue())
        if added:
            cursor.execute(f"ANALYZE {POSTGRES_TABLE}")
    return {"loaded": added, "removed": removed}


SELLOUT_TABLE = "sellout"


def sellout(backend: ibis.BaseBackend, store: FactStore) -> ibis.Table:
    """All published sell-out lines (`schema.SELLOUT_COLUMNS`) as an Ibis table on `backend`;
    an empty table when nothing was imported yet."""
    area = SelloutArea(store)
    name = backend.name
    if name == "postgres":
        _sync_sellout_postgres(backend, area)
        return backend.table(SELLOUT_TABLE)
    if not area.published_batch_ids():
        return ibis.memtable(_empty_sellout())
    if name == "duckdb":
        return backend.read_parquet(area.glob(), hive_partitioning=False)
    if name == "pyspark":
        return backend.read_parquet(str(area.root / "*" / "*.parquet"))
    raise ValueError(f"openkam/facts/sources.py: no reader for the {name!r} backend")


def _empty_sellout() -> pa.Table:
    return pa.Table.from_pylist([], schema=SELLOUT_ARROW)


def _sync_sellout_postgres(backend: ibis.BaseBackend, area: SelloutArea) -> None:
    """Like `sync_postgres`: the table holds exactly the published sell-out batches."""
    columns = ", ".join(SELLOUT_COLUMNS)
    definition = ", ".join(f"{name} {kind}" for name, kind in SELLOUT_COLUMNS.items())
    published = area.published_batch_ids()
    with backend.con.transaction(), backend.con.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {SELLOUT_TABLE} ({definition})")
        cursor.execute(f"SELECT DISTINCT batch_id FROM {SELLOUT_TABLE}")
        loaded = {row[0] for row in cursor.fetchall()}
        removed = sorted(loaded - published)
        if removed:
            cursor.execute(f"DELETE FROM {SELLOUT_TABLE} WHERE batch_id = ANY(%s)", (removed,))
        for batch_id in sorted(published - loaded):
            dataset = pq.ParquetFile(next(area.batch_dir(batch_id).glob("*.parquet")))
            with cursor.copy(f"COPY {SELLOUT_TABLE} ({columns}) FROM STDIN (FORMAT csv)") as copy:
                for batch in dataset.iter_batches(COPY_ROWS, columns=list(SELLOUT_COLUMNS)):
                    buffer = io.BytesIO()
                    pa_csv.write_csv(batch, buffer, NO_HEADER)
                    copy.write(buffer.getvalue())

"""The only module that opens connections to fact engines. Nothing connects at import time.

The same Ibis expressions run on every engine: DuckDB over Parquet by default (no server),
PySpark for companies whose facts outgrow one machine, PostgreSQL where that is the warehouse.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import duckdb
import ibis

from .store import FactStore

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


def order_lines(backend: ibis.BaseBackend, store: FactStore) -> ibis.Table:
    """All published order lines as an Ibis table on `backend`."""
    name = backend.name
    if name == "duckdb":
        return backend.read_parquet(store.order_lines_glob(), hive_partitioning=False)
    if name == "pyspark":
        return backend.read_parquet(str(store.order_lines_dir / "*" / "*.parquet"))
    raise ValueError(f"openkam/facts/sources.py: no reader for the {name!r} backend yet")

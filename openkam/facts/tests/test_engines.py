"""Portability: the same fact tables, read through the same code, by DuckDB and by PySpark.

A small synthetic history is imported by the real pipeline in two batches (two Parquet files
under `order_lines/batch_id=<n>/`), then read with `sources.order_lines` on Ibis's DuckDB
backend and on its PySpark backend (Spark in local mode) and compared value for value.

Spark starts once for the module (≈10 s) and is stopped at the end. Without pyspark installed
(`uv sync --extra spark`) the tests are skipped, except under CI=true, where that is a failure.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import ibis
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from openkam.facts import sources
from openkam.facts.formats import DateDecision, NumberDecision
from openkam.facts.generate import (
    COLUMNS,
    exchange_rates,
    generate_order_lines,
    synthetic_customers,
    synthetic_products,
    write_csv,
)
from openkam.facts.pipeline import CsvFormat, ImportSettings, OrderLineImport
from openkam.facts.schema import FACT_COLUMNS
from openkam.facts.store import FactStore

pytestmark = [
    pytest.mark.spark,
    # pandas 3 deprecations raised inside pyspark's and Ibis's own conversion code
    pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning"),
]

END = dt.date(2025, 6, 30)
SEED = 7
LINES = 5_000
BATCHES = (1, 2)
REPORTING_CURRENCY = "USD"
MAPPING = {
    "document_number": "Invoice No",
    "invoice_date": "Invoice Date",
    "customer_id": "Customer No",
    "customer_name": "Customer Name",
    "product_code": "Item Code",
    "product_description": "Description",
    "product_category": "Category",
    "quantity": "Qty",
    "unit_price": "Unit Price",
    "discount": "Discount",
    "net_amount": "Net Amount",
    "cost": "Cost",
    "currency": "Currency",
    "country": "Country",
    "document_type": "Doc Type",
}
# As openkam.sales.resolve builds them from the database (no Django here).
ACCOUNTS_SCHEMA = pa.schema([("customer_key", pa.string()), ("account_id", pa.int64())])
PRODUCTS_SCHEMA = pa.schema(
    [("product_code", pa.string()), ("product_id", pa.int64()), ("category_id", pa.int64())]
)
FX_SCHEMA = pa.schema(
    [("currency", pa.string()), ("valid_from", pa.date32()), ("rate", pa.decimal128(18, 8))]
)


def _import_batch(
    store: FactStore, batch_id: int, csv_path: Path, work: Path, resolved: dict
) -> None:
    settings = ImportSettings(
        mapping=MAPPING,
        dates=DateDecision(format="%Y-%m-%d", parsed_share=1.0),
        numbers=NumberDecision(decimal=".", thousands="", ambiguous=False),
        reporting_currency=REPORTING_CURRENCY,
        default_currency=REPORTING_CURRENCY,
    )
    con = sources.duckdb_connection()
    try:
        job = OrderLineImport(
            con, CsvFormat(csv_path, header=COLUMNS), settings, workdir=work / f"work-{batch_id}"
        )
        job.parse()
        staging = store.new_staging_dir(batch_id)
        counts = job.finish(
            batch_id=batch_id,
            existing_glob=store.order_lines_glob() if store.has_order_lines() else None,
            staging=staging,
            rejects_path=work / f"rejects-{batch_id}.csv",
            **resolved,
        )
    finally:
        con.close()
    # Every generated line is importable: a rejected one would make the comparison weaker.
    assert (counts.imported, counts.rejected, counts.duplicates) == (counts.rows_read, 0, 0)
    store.publish(staging, batch_id)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> FactStore:
    """Two published batches of a 5,000-line synthetic history, imported by the pipeline."""
    root = tmp_path_factory.mktemp("engines")
    customers = synthetic_customers(60, SEED)
    products = synthetic_products(None, SEED)
    lines = pa.Table.from_batches(
        list(
            generate_order_lines(
                customers=customers, products=products, lines=LINES, seed=SEED, end_date=END
            )
        )
    )
    assert lines.num_rows == LINES
    categories = sorted({p.category for p in products})
    resolved = {
        "accounts": pa.Table.from_pylist(
            [{"customer_key": c.key, "account_id": 1000 + i} for i, c in enumerate(customers)],
            schema=ACCOUNTS_SCHEMA,
        ),
        "products": pa.Table.from_pylist(
            [
                {
                    "product_code": p.code,
                    "product_id": 500 + i,
                    "category_id": 90 + categories.index(p.category),
                }
                for i, p in enumerate(products)
            ],
            schema=PRODUCTS_SCHEMA,
        ),
        "fx_rates": pa.Table.from_pylist(
            [
                {"currency": c, "valid_from": d, "rate": r}
                for c, d, r in exchange_rates(end_date=END, reporting_currency=REPORTING_CURRENCY)
            ],
            schema=FX_SCHEMA,
        ),
    }
    store = FactStore(root / "facts")
    half = LINES // 2
    for batch_id, part in zip(BATCHES, (lines.slice(0, half), lines.slice(half)), strict=True):
        csv_path = root / f"orders-{batch_id}.csv"
        write_csv(csv_path, part.to_batches())
        _import_batch(store, batch_id, csv_path, root, resolved)
    assert store.published_batch_ids() == set(BATCHES)
    assert len(list(store.order_lines_dir.glob("*/*.parquet"))) == len(BATCHES)
    return store


@pytest.fixture(scope="module")
def duck() -> Iterator[ibis.BaseBackend]:
    backend = sources.ibis_duckdb()
    yield backend
    backend.disconnect()


@pytest.fixture(scope="module")
def spark() -> Iterator[ibis.BaseBackend]:
    """Ibis on PySpark, local mode with two cores; one session for the whole module."""
    try:
        import ibis.backends.pyspark  # noqa: F401
        import pyspark  # noqa: F401
    except ImportError as error:
        reason = (
            f"PySpark is not installed ({error}); install the `spark` extra "
            "(uv sync --extra spark, as `make test` does) to run the DuckDB/Spark portability tests"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}. Under CI=true they must run, not be skipped.")
        pytest.skip(reason)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SPARK_LOCAL_IP", "127.0.0.1")
        backend = sources.ibis_pyspark(app_name="openkam-portability-tests")
        # Spark warns about the glob path on every read (no _spark_metadata folder): noise.
        backend._session.sparkContext.setLogLevel("ERROR")
        try:
            yield backend
        finally:
            backend.disconnect()


def _sorted_lines(backend: ibis.BaseBackend, store: FactStore) -> pa.Table:
    table = sources.order_lines(backend, store)
    return table.order_by(["batch_id", "source_line"]).to_pyarrow()


def revenue_by_account_and_month(order_lines: ibis.Table) -> ibis.Table:
    """The one expression both engines run: revenue in the reporting currency."""
    month = order_lines.invoice_date.truncate("M")
    return (
        order_lines.group_by(account_id=order_lines.account_id, month=month)
        .aggregate(revenue=order_lines.net_amount_rc.sum())
        .order_by(["account_id", "month"])
    )


def _strict(value: object) -> tuple[str, str]:
    """A value with its type: Decimal('1.0') and Decimal('1.00'), 1 and Decimal(1), a date
    and a timestamp all differ."""
    return type(value).__name__, str(value)


def _first_difference(left: pa.Table, right: pa.Table) -> str:
    for index, (a, b) in enumerate(zip(left.to_pylist(), right.to_pylist(), strict=True)):
        differing = {k: (a[k], b[k]) for k in a if _strict(a[k]) != _strict(b[k])}
        if differing:
            return f"row {index}: {differing}"
    return "none"


def test_both_engines_see_the_same_columns(spark, duck, store):
    duck_schema = sources.order_lines(duck, store).schema()
    spark_schema = sources.order_lines(spark, store).schema()
    assert list(duck_schema.names) == list(FACT_COLUMNS)
    # One `batch_id`, from the files (not a second one from the batch_id=<n> folder names),
    # and every column of the same type, the fingerprint included.
    assert list(spark_schema.names) == list(FACT_COLUMNS)
    differing = {
        name: (duck_schema[name], spark_schema[name])
        for name in FACT_COLUMNS
        if duck_schema[name] != spark_schema[name]
    }
    assert not differing, f"types differ (DuckDB, Spark): {differing}"


def test_both_engines_read_identical_order_lines(spark, duck, store):
    from_duckdb = _sorted_lines(duck, store)
    from_spark = _sorted_lines(spark, store)

    assert from_duckdb.num_rows == from_spark.num_rows == LINES
    assert pc.unique(from_duckdb["batch_id"]).to_pylist() == list(BATCHES)
    assert from_duckdb.column_names == from_spark.column_names == list(FACT_COLUMNS)
    assert from_duckdb.schema.equals(from_spark.schema, check_metadata=False), (
        f"DuckDB: {from_duckdb.schema}\nSpark: {from_spark.schema}"
    )
    assert from_duckdb.equals(from_spark), _first_difference(from_duckdb, from_spark)

    # The same comparison as Python values, type and scale included.
    first = from_duckdb.slice(0, 1).to_pylist()[0]
    assert isinstance(first["invoice_date"], dt.date)
    assert not isinstance(first["invoice_date"], dt.datetime)
    assert first["net_amount"].as_tuple().exponent == -2
    assert first["fx_rate"].as_tuple().exponent == -8
    duck_rows = [tuple(map(_strict, row.values())) for row in from_duckdb.to_pylist()]
    spark_rows = [tuple(map(_strict, row.values())) for row in from_spark.to_pylist()]
    assert duck_rows == spark_rows


def test_the_same_expression_gives_the_same_revenue_by_account_and_month(spark, duck, store):
    from_duckdb = revenue_by_account_and_month(sources.order_lines(duck, store)).to_pyarrow()
    from_spark = revenue_by_account_and_month(sources.order_lines(spark, store)).to_pyarrow()

    assert from_duckdb.column_names == from_spark.column_names == ["account_id", "month", "revenue"]
    assert from_duckdb.num_rows > 100  # 60 customers over three years
    assert from_duckdb.schema.equals(from_spark.schema, check_metadata=False), (
        f"DuckDB: {from_duckdb.schema}\nSpark: {from_spark.schema}"
    )
    assert from_duckdb.equals(from_spark), _first_difference(from_duckdb, from_spark)

    rows = from_duckdb.to_pylist()
    assert all(type(r["month"]) is dt.date and r["month"].day == 1 for r in rows)
    assert all(r["revenue"].as_tuple().exponent == -2 for r in rows)
    # Nothing lost in the grouping: the months add up to every line's revenue.
    lines = _sorted_lines(duck, store)
    total = sum(lines["net_amount_rc"].to_pylist(), Decimal("0.00"))
    assert sum((r["revenue"] for r in rows), Decimal("0.00")) == total

"""Order lines for tests, written as the fact store holds them (every column, exact types)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import ibis
import pyarrow as pa

from openkam.facts.schema import FACT_COLUMNS

ARROW_TYPES = {
    "BIGINT": pa.int64(),
    "VARCHAR": pa.string(),
    "DATE": pa.date32(),
    "BOOLEAN": pa.bool_(),
    "DECIMAL(18,2)": pa.decimal128(18, 2),
    "DECIMAL(18,4)": pa.decimal128(18, 4),
    "DECIMAL(18,8)": pa.decimal128(18, 8),
}
SCHEMA = pa.schema([(name, ARROW_TYPES[kind]) for name, kind in FACT_COLUMNS.items()])


def line(
    account: int | None,
    day: str | dt.date,
    amount: float | str,
    *,
    cost: float | str | None = None,
    quantity: float | str = 1,
    document: str | None = None,
    category: int | None = 1,
    discount: float | str | None = None,
    credit: bool | None = None,
) -> dict:
    """One order line in the reporting currency (fx rate 1)."""
    amount = Decimal(str(amount))
    day = dt.date.fromisoformat(day) if isinstance(day, str) else day
    return {
        "batch_id": 1,
        "source_line": None,
        "fingerprint": None,
        "document_number": document or f"D-{account}-{day.isoformat()}",
        "invoice_date": day,
        "account_id": account,
        "customer_key": None if account is None else str(account),
        "product_id": category,
        "category_id": category,
        "product_code": None,
        "quantity": Decimal(str(quantity)),
        "unit_price": None,
        "net_amount": amount,
        "cost": None if cost is None else Decimal(str(cost)),
        "discount": None if discount is None else Decimal(str(discount)),
        "list_price": None,
        "currency": "USD",
        "fx_rate": Decimal("1"),
        "net_amount_rc": amount,
        "cost_rc": None if cost is None else Decimal(str(cost)),
        "is_credit": amount < 0 if credit is None else credit,
        "country": None,
    }


def table(lines: list[dict]) -> pa.Table:
    for number, row in enumerate(lines, start=2):
        row["source_line"] = number
        row["fingerprint"] = number
    return pa.Table.from_pylist(lines, schema=SCHEMA)


def on_duckdb(lines: list[dict]) -> ibis.Table:
    return ibis.duckdb.connect().create_table("order_lines", table(lines))


def dimension(rows: list[tuple[int, int | None, str | None, int | None, bool]]) -> pa.Table:
    """(account_id, owner_id, country, segment_id, is_key) per account."""
    from openkam.analytics.suite import DIMENSION_SCHEMA

    names = DIMENSION_SCHEMA.names
    return pa.Table.from_pylist(
        [dict(zip(names, row, strict=True)) for row in rows], DIMENSION_SCHEMA
    )

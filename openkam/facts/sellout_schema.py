"""The Arrow schema of the `sellout` fact table (`schema.SELLOUT_COLUMNS`), for writers and for
the empty table a reader gets before the first import."""

from __future__ import annotations

import pyarrow as pa

SELLOUT_ARROW = pa.schema(
    [
        ("batch_id", pa.int64()),
        ("source_line", pa.int64()),
        ("account_id", pa.int64()),
        ("store", pa.string()),
        ("period", pa.date32()),
        ("shoppers", pa.int64()),
        ("visits", pa.int64()),
        ("units", pa.decimal128(18, 4)),
        ("value", pa.decimal128(18, 2)),
        ("currency", pa.string()),
        ("value_rc", pa.decimal128(18, 2)),
    ]
)

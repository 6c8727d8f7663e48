"""The sales-fact store: order lines in Parquet, read through Ibis. No Django imports here.

- `schema`    the columns an ERP export maps to, and the columns of the fact table
- `readers`   files as they come (CSV/TSV/xlsx, any encoding) → a UTF-8 CSV DuckDB can read
- `mapping`   guessing which column is which from the header
- `formats`   per-file decisions: date format, decimal separator
- `pipeline`  the import itself: parse, validate, convert, deduplicate (DuckDB, streaming)
- `store`     where batches live on disk, atomic publication, rollback
- `sources`   the only module that opens DuckDB / PySpark / PostgreSQL connections
- `generate`  synthetic order lines (demo data, benchmarks)
"""

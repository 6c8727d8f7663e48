"""Full recompute of every metric on 10,000,000 order lines and 50,000 accounts.

Run with `make bench` or `.venv/bin/python bench/analytics.py [--lines N] [--accounts M]`.
The facts are synthesised straight into the Parquet store by DuckDB (this measures the engine,
not the import; `bench/import_orders.py` measures that): three years of orders of 1 to 19
lines, each account buying at its own rhythm (every 7 to 96 days) and 15 % of them stopping at
some point; 5 % credit notes, discounts on 40 % of lines, 30 categories. The store is kept in
var/bench/ between runs. The recompute runs in a separate process, so its peak memory (RSS) is
measured alone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 11, 30)


def synthesise(store_root: Path, lines: int, accounts: int) -> Path:
    """A fact store of `lines` order lines, made once and reused."""
    from openkam.facts.sources import duckdb_connection
    from openkam.facts.store import FactStore

    store = FactStore(store_root)
    marker = store_root / f"v2-{lines}-{accounts}.done"
    if marker.exists():
        return store_root
    if store_root.exists():
        import shutil

        shutil.rmtree(store_root)
    staging = store.new_staging_dir(1)
    con = duckdb_connection(temp_dir=store_root / "_tmp")
    started = time.perf_counter()
    con.execute(
        f"""
        COPY (
          WITH slots AS (
            -- the k-th order of each account, k days × its own interval back from the as-of
            -- date: every account buys every 7 to 96 days, with a jitter of up to a week
            SELECT o AS order_id, o % {accounts} + 1 AS account_id, o // {accounts} AS k
            FROM range({accounts * 160}) t(o)
          ),
          timed AS (
            SELECT *, k * (7 + hash(account_id) % 90) + hash(order_id * 3) % 7 AS days_back,
                   -- 15 % of the accounts stopped buying at some point of the three years
                   CASE WHEN hash(account_id * 11) % 100 < 15
                        THEN hash(account_id * 13) % 1000 ELSE 0 END AS silent_days
            FROM slots
          ),
          orders AS (
            SELECT order_id, account_id,
                   DATE '{AS_OF}' - CAST(days_back AS INTEGER) AS invoice_date,
                   CAST(1 + hash(order_id * 5) % 19 AS BIGINT) AS line_count
            FROM timed WHERE days_back < 1095 AND days_back >= silent_days
          ),
          lines AS (
            SELECT o.*, l AS line_no FROM orders o, range(o.line_count) r(l)
          )
          SELECT 1::BIGINT AS batch_id,
                 row_number() OVER () AS source_line,
                 (hash(order_id, line_no) // 2)::BIGINT AS fingerprint,
                 'INV-' || order_id AS document_number,
                 invoice_date,
                 account_id::BIGINT AS account_id,
                 'C' || account_id AS customer_key,
                 (hash(order_id * 7 + line_no) % 2000)::BIGINT AS product_id,
                 (hash(order_id * 7 + line_no) % 30)::BIGINT AS category_id,
                 'P' || (hash(order_id * 7 + line_no) % 2000) AS product_code,
                 (1 + hash(order_id * 11 + line_no) % 40)::DECIMAL(18,4) AS quantity,
                 NULL::DECIMAL(18,4) AS unit_price,
                 ((CASE WHEN hash(order_id * 13) % 20 = 0 THEN -1 ELSE 1 END)
                   * (10 + hash(order_id * 17 + line_no) % 100000) / 100.0)::DECIMAL(18,2)
                   AS net_amount,
                 NULL::DECIMAL(18,2) AS cost,
                 NULL::DECIMAL(18,2) AS discount,
                 NULL::DECIMAL(18,4) AS list_price,
                 'USD' AS currency,
                 1::DECIMAL(18,8) AS fx_rate,
                 NULL::DECIMAL(18,2) AS net_amount_rc,
                 NULL::DECIMAL(18,2) AS cost_rc,
                 hash(order_id * 13) % 20 = 0 AS is_credit,
                 'TH' AS country
          FROM lines
          LIMIT {lines}
        ) TO '{staging}/raw.parquet' (FORMAT parquet)
        """
    )
    con.execute(
        f"""
        COPY (
          SELECT * REPLACE (
            net_amount AS net_amount_rc,
            (net_amount * 0.7)::DECIMAL(18,2) AS cost,
            (net_amount * 0.7)::DECIMAL(18,2) AS cost_rc,
            CASE WHEN fingerprint % 5 < 2 THEN abs(net_amount * 0.08)::DECIMAL(18,2) END
              AS discount
          ) FROM '{staging}/raw.parquet'
        ) TO '{staging}/part-0.parquet' (FORMAT parquet, COMPRESSION zstd)
        """
    )
    (staging / "raw.parquet").unlink()
    con.close()
    store.publish(staging, 1)
    marker.touch()
    print(f"synthesised {lines:,} lines in {time.perf_counter() - started:.1f} s")
    return store_root


def recompute(store_root: Path, out: Path | None = None) -> None:
    """Run in a child process: the whole suite as of AS_OF, timings as JSON; with `out`, the
    results are written there as Parquet for the comparison with pandas."""
    from openkam.analytics.suite import compute
    from openkam.facts import sources
    from openkam.facts.store import FactStore

    backend = sources.ibis_duckdb()
    started = time.perf_counter()
    results = compute(sources.order_lines(backend, FactStore(store_root)), as_of=AS_OF)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if out is not None:
        import pyarrow.parquet as pq

        out.mkdir(parents=True, exist_ok=True)
        for period, result in results.periods.items():
            pq.write_table(result.accounts, out / f"{period}.parquet")
        pq.write_table(results.accounts, out / "state.parquet")
        pq.write_table(results.cross_sell, out / "cross_sell.parquet")
        pq.write_table(_loss_series(results), out / "loss_series.parquet")
        pq.write_table(results.up_sell, out / "up_sell.parquet")
        pq.write_table(results.what_if, out / "what_if.parquet")
    print(
        json.dumps(
            {
                "seconds": round(seconds, 2),
                "peak_rss_mb": round(peak_mb),
                "accounts": results.accounts.num_rows,
                "stages": results.timings,
                "model": {k: v for k, v in results.model.items() if k in ("verdict",)},
            }
        )
    )


def _loss_series(results):  # -> pyarrow.Table (imported in the child process only)
    """The portfolio's losses per period and index, one table for the three period lengths."""
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = ["index", "lost", "regained", "shrinking", "revenue_lost"]
    parts = []
    for period, result in results.periods.items():
        rows = result.series.filter(pc.equal(result.series["group"], "portfolio"))
        rows = rows.select(columns)
        parts.append(rows.add_column(0, "period", pa.array([period] * rows.num_rows)))
    return pa.concat_tables(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--accounts", type=int, default=50_000)
    parser.add_argument("--no-pandas", action="store_true", help="skip the pandas comparison")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        recompute(args.child, args.out)
        return
    store_root = synthesise(ROOT / "var" / "bench" / "analytics-facts", args.lines, args.accounts)
    results_dir = ROOT / "var" / "bench" / "analytics-results"
    runs = []
    for _ in range(2):
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(store_root), "--out", str(results_dir)],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        runs.append(json.loads(out.strip().splitlines()[-1]))
    best = min(runs, key=lambda run: run["seconds"])
    print(
        f"Analytics recompute, {args.lines:,} order lines, {best['accounts']:,} accounts: "
        f"{best['seconds']} s (best of {len(runs)}; target ≤ 15 s), "
        f"peak RSS {best['peak_rss_mb']} MB (target < 4,096 MB)"
    )
    print(f"  stages (s): {best['stages']}")
    if not args.no_pandas:
        pandas_seconds = compare_with_pandas(store_root, results_dir)
        print(
            f"  pandas, the same metrics: {pandas_seconds} s → OpenKAM is "
            f"{pandas_seconds / best['seconds']:.1f}× faster (target ≥ 10×)"
        )


def compare_with_pandas(store_root: Path, ours: Path) -> float:
    """Run bench/pandas_reference/metrics.py in the lifetimes environment (pandas 1.5) on the
    same store, check its results equal ours, and return its time."""
    sys.path.insert(0, str(Path(__file__).with_name("lifetimes")))
    from lifetimes_env import python as reference_python

    theirs = ROOT / "var" / "bench" / "pandas-results"
    glob = str(store_root / "order_lines" / "*" / "*.parquet")
    script = Path(__file__).with_name("pandas_reference") / "metrics.py"
    out = subprocess.run(
        [str(reference_python()), str(script), glob, AS_OF.isoformat(), str(theirs)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    seconds = json.loads(out.strip().splitlines()[-1])["seconds"]
    differences = compare(ours, theirs)
    print(
        "  pandas and OpenKAM agree on every account, period and metric"
        if not differences
        else "  DIFFERENCES between pandas and OpenKAM:\n    " + "\n    ".join(differences)
    )
    return seconds


TEXT_COLUMNS = {"abc", "xyz", "rhythm", "lost_since"}
MISSING = {"None": "nan", "<NA>": "nan"}


def compare(ours: Path, theirs: Path) -> list[str]:
    import numpy as np
    import pandas as pd

    differences = []

    def check(name: str, left: pd.DataFrame, right: pd.DataFrame, columns, keys) -> None:
        joined = left.merge(right, on=keys, how="outer", suffixes=("", "_pd"), indicator=True)
        missing = int((joined["_merge"] != "both").sum())
        if missing:
            differences.append(f"{name}: {missing} rows in only one of the two")
        joined = joined[joined["_merge"] == "both"]
        for column in columns:
            a, b = joined[column], joined[f"{column}_pd"]
            if column in TEXT_COLUMNS:
                a, b = (
                    side.astype(object).where(side.notna(), "nan").astype(str).replace(MISSING)
                    for side in (a, b)
                )
                same = a == b
            else:  # decimals, floats and flags compare as numbers
                a, b = a.astype(float), b.astype(float)
                same = np.isclose(a, b, rtol=1e-9, atol=1e-9) | (a.isna() & b.isna())
            if not same.all():
                differences.append(f"{name}.{column}: {int((~same).sum())} accounts differ")

    for period in ("month", "quarter", "year"):
        check(
            period,
            pd.read_parquet(ours / f"{period}.parquet"),
            pd.read_parquet(theirs / f"{period}.parquet"),
            ["revenue", "revenue_prev", "revenue_year_ago", "window_revenue", "revenue_cv",
             "abc", "xyz", "retained", "discount_depth"],
            ["account_id"],
        )  # fmt: skip
    check(
        "state",
        pd.read_parquet(ours / "state.parquet"),
        pd.read_parquet(theirs / "state.parquet"),
        ["median_interval", "rhythm", "overdue", "lost", "days_since_purchase", "lost_since",
         "shrinking", "revenue_before_loss"],
        ["account_id"],
    )  # fmt: skip
    check(
        "loss_series",
        pd.read_parquet(ours / "loss_series.parquet"),
        pd.read_parquet(theirs / "loss_series.parquet"),
        ["lost", "regained", "shrinking", "revenue_lost"],
        ["period", "index"],
    )
    check(
        "cross_sell",
        pd.read_parquet(ours / "cross_sell.parquet"),
        pd.read_parquet(theirs / "cross_sell.parquet"),
        ["category_id", "expected_revenue"],
        ["account_id", "rank"],
    )
    check(
        "up_sell",
        pd.read_parquet(ours / "up_sell.parquet"),
        pd.read_parquet(theirs / "up_sell.parquet"),
        ["revenue", "size_band", "band_buyers", "band_median", "gap"],
        ["account_id", "category_id"],
    )
    check(
        "what_if",
        pd.read_parquet(ours / "what_if.parquet"),
        pd.read_parquet(theirs / "what_if.parquet"),
        ["previously_active", "retained", "retained_revenue", "active_now", "revenue_now"],
        ["group", "key", "age"],
    )
    return differences


if __name__ == "__main__":
    main()

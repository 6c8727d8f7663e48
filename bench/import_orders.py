"""Import speed and memory: `kam import orders` on a generated CSV (default 5,000,000 lines).

Run with `make bench` or `.venv/bin/python bench/import_orders.py [--lines N] [--stages]`. It
generates the file and exchange rates in a temporary data directory, runs the import as a
separate process (so its peak memory is measured alone, with /usr/bin/time when available) and
prints lines per second and peak RSS. The metrics recompute an import queues is switched off
(KAM_ANALYZE_AFTER_IMPORT=false): with the immediate task backend it would run inline.

`--stages` then imports the same file once more, in a fresh data directory and in-process, and
prints where the time goes: the services' copy and sniffing, each step of the pipeline in
`openkam/facts/pipeline.py`, and the Django side (accounts and products). Its totals run a
little above the plain import's (the timers, and no warm-up).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KAM = str(Path(sys.executable).with_name("kam"))


def kam(env: dict, *args: str, measure: bool = False) -> tuple[str, float, int | None]:
    command = [KAM, *args]
    timer = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    if measure and timer:
        command = [timer, "-v", *command]
    started = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"kam {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    return result.stdout, seconds, int(peak.group(1)) if peak else None


def bench_env(data: Path) -> dict:
    # The metrics recompute that an import queues would run inline with the immediate task
    # backend; it is the analytics benchmark's business, not the import's.
    env = {
        **os.environ,
        "KAM_DATA_DIR": str(data),
        "KAM_TASKS": "immediate",
        "KAM_ANALYZE_AFTER_IMPORT": "false",
    }
    env.pop("DATABASE_URL", None)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=5_000_000)
    parser.add_argument("--accounts", type=int, default=50_000)
    parser.add_argument("--stages", action="store_true", help="time each stage as well")
    parser.add_argument("--stages-of", nargs=2, metavar=("ORDERS", "RATES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stages_of:
        stages(Path(args.stages_of[0]), Path(args.stages_of[1]))
        return
    with tempfile.TemporaryDirectory(prefix="openkam-bench-import-") as folder:
        env = bench_env(Path(folder) / "var")
        kam(env, "migrate", "-v", "0")
        orders, rates = Path(folder) / "orders.csv", Path(folder) / "fx.csv"
        end = "--end-date=2026-06-30"
        _, generated, _ = kam(
            env,
            "generate",
            "orders",
            "--lines",
            str(args.lines),
            "--accounts",
            str(args.accounts),
            "--out",
            str(orders),
            end,
        )
        kam(env, "generate", "fx", "--out", str(rates), end)
        kam(env, "import", "fx", str(rates))
        size = orders.stat().st_size
        print(
            f"generated {args.lines:,} lines for {args.accounts:,} customers "
            f"({size / 1e6:,.0f} MB) in {generated:.1f} s"
        )
        out, seconds, peak = kam(env, "import", "orders", str(orders), "--json", measure=True)
        summary = json.loads(out)
        print(
            f"import: {summary['imported']:,} imported, {summary['rejected']:,} rejected, "
            f"{summary['accounts_created']:,} new accounts"
        )
        print(
            f"import wall time (whole process)   {seconds:8.1f} s   "
            f"{args.lines / seconds:12,.0f} lines/s"
        )
        print(
            f"import inside the command          {summary['seconds']:8.1f} s   "
            f"{args.lines / summary['seconds']:12,.0f} lines/s"
        )
        if peak:
            print(f"peak memory (RSS)                  {peak / 1024:8.0f} MB")
        out, again, _ = kam(env, "import", "orders", str(orders), "--json")
        print(
            f"same file again (found by hash)    {again:8.1f} s   "
            f"{json.loads(out)['duplicates']:,} duplicates"
        )
        if args.stages:
            fresh = bench_env(Path(folder) / "stages")
            kam(fresh, "migrate", "-v", "0")
            kam(fresh, "import", "fx", str(rates))
            command = [sys.executable, __file__, "--stages-of", str(orders), str(rates)]
            subprocess.run(command, env=fresh, check=True)


# -- --stages: one import in-process, every stage timed ---------------------------------------


def stages(orders: Path, rates: Path) -> None:
    """Import `orders` as `kam import orders` does, timing each stage (Django set up here)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openkam.config.settings.local")
    import django

    django.setup()
    from openkam.facts import pipeline, readers
    from openkam.facts.store import FactStore
    from openkam.sales import services

    timings: dict[str, list[float]] = {}

    def timed(owner: object, name: str, label: str) -> None:
        function = getattr(owner, name)

        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            started, cpu = time.perf_counter(), _cpu()
            try:
                return function(*args, **kwargs)
            finally:
                spent = timings.setdefault(label, [0.0, 0.0])
                spent[0] += time.perf_counter() - started
                spent[1] += _cpu() - cpu

        setattr(owner, name, wrapper)

    job = pipeline.OrderLineImport
    for owner, name, label in (
        (services, "_copy_and_hash", "copy + SHA-256 of the upload (services)"),
        (readers, "sniff", "sniff (services; once since the run reuses it)"),
        (readers, "scan_lines", "scan line ends (readers)"),
        (readers, "to_utf8_csv", "convert to UTF-8 (readers; not for this file)"),
        (job, "parse", "parse: CSV → typed Parquet (DuckDB)"),
        (job, "customers", "customers: aggregate (DuckDB)"),
        (job, "products", "products: aggregate (DuckDB)"),
        (job, "currencies", "currencies (DuckDB)"),
        (services, "resolve_customers", "match/create accounts + change log (Django)"),
        (services, "resolve_products", "match/create products (Django)"),
        (services, "exchange_rates_table", "exchange rates (Django)"),
        (job, "_prepare_joins", "finish: daily rates, repeated lines"),
        (job, "_write_facts", "finish: join + write facts Parquet"),
        (job, "_count", "finish: counts and reasons"),
        (job, "_write_rejects", "finish: rejects file"),
        (FactStore, "publish", "publish (rename)"),
    ):
        if hasattr(owner, name):  # (older versions lack some)
            timed(owner, name, label)
    started = time.perf_counter()
    batch = services.batch_prepare(actor=None, path=orders)
    services.batch_configure(batch=batch, column_map=batch.mapping, options={})
    batch = services.batch_run(batch.pk)
    total = time.perf_counter() - started
    print(f"\nstages ({batch.rows_read:,} lines; wall / CPU seconds, CPU counts all threads):")
    for label, (wall, cpu) in timings.items():
        print(f"  {label:48s} {wall:7.2f} {cpu:7.2f}")
    accounted = sum(wall for wall, _ in timings.values())
    print(f"  {'other (Django bookkeeping, DuckDB setup...)':48s} {total - accounted:7.2f}")
    print(f"  {'total':48s} {total:7.2f}   {batch.rows_read / total:,.0f} lines/s")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()

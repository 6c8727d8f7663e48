"""Import speed and memory: `kam import orders` on a generated CSV (default 5,000,000 lines).

Run with `make bench` or `.venv/bin/python bench/import_orders.py [--lines N]`. It generates
the file and exchange rates in a temporary data directory, runs the import as a separate
process (so its peak memory is measured alone, with /usr/bin/time when available) and prints
lines per second and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import re
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=5_000_000)
    parser.add_argument("--accounts", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="openkam-bench-import-") as folder:
        data = Path(folder) / "var"
        env = {**os.environ, "KAM_DATA_DIR": str(data), "KAM_TASKS": "immediate"}
        env.pop("DATABASE_URL", None)
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


if __name__ == "__main__":
    main()

"""Killing `kam import` mid-way leaves no partial batch, and the next run imports cleanly.

A real process, a real SIGKILL: the import runs in its own data directory and database.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest


def kam(data_dir: Path) -> tuple[list[str], dict]:
    executable = shutil.which("kam", path=os.path.dirname(sys.executable))
    unwanted = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unwanted}
    env.update(KAM_DATA_DIR=str(data_dir), KAM_TASKS="immediate")
    return [executable], env


def run(data_dir: Path, *args: str) -> str:
    command, env = kam(data_dir)
    result = subprocess.run(
        [*command, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.mark.slow
def test_killed_import_leaves_nothing_and_runs_again(tmp_path):
    data = tmp_path / "var"
    run(data, "migrate", "-v", "0")
    orders = tmp_path / "orders.csv"
    run(
        data,
        "generate",
        "orders",
        "--lines",
        "600000",
        "--accounts",
        "300",
        "--out",
        str(orders),
        "--json",
        "--end-date",
        "2026-06-30",
    )
    run(data, "generate", "fx", "--out", str(tmp_path / "fx.csv"), "--end-date", "2026-06-30")
    run(data, "import", "fx", str(tmp_path / "fx.csv"))

    command, env = kam(data)
    victim = subprocess.Popen(
        [*command, "import", "orders", str(orders), "--json"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    staging = data / "facts" / "_staging"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and victim.poll() is None:
        if staging.exists() and any(staging.iterdir()):
            break
        time.sleep(0.02)
    assert victim.poll() is None, "the import finished before it could be killed"
    victim.send_signal(signal.SIGKILL)
    victim.wait()

    batches = json.loads(run(data, "import", "list", "--json"))
    assert [b["status"] for b in batches] == ["running"]  # as the killed process left it
    published = data / "facts" / "order_lines"
    assert not published.exists() or not any(published.iterdir())

    summary = json.loads(run(data, "import", "orders", str(orders), "--json"))
    assert (summary["rows_read"], summary["imported"], summary["rejected"]) == (600000, 600000, 0)
    assert sorted(p.name for p in published.iterdir()) == [f"batch_id={summary['batch']}"]
    assert not any((data / "facts" / "_staging").iterdir())
    statuses = [b["status"] for b in json.loads(run(data, "import", "list", "--json"))]
    assert statuses == ["committed", "failed"]  # newest first; the killed one is marked


SELLOUT_SETUP = """
from openkam.accounts.models import Account
from openkam.users.models import User
User.objects.create_superuser("importer", "importer@example.com", "x")
Account.objects.create(name="Big Retail", external_id="R-1")
"""
SELLOUT_COUNT = """
from openkam.sellout.models import SelloutImport
print(SelloutImport.objects.count())
"""


@pytest.mark.slow
def test_killed_sellout_import_leaves_nothing_and_runs_again(tmp_path):
    data = tmp_path / "var"
    run(data, "migrate", "-v", "0")
    run(data, "shell", "-c", SELLOUT_SETUP)
    sellout = tmp_path / "sellout.csv"
    with sellout.open("w", encoding="utf-8") as out:  # 500 stores × 60 months
        out.write("account,store,period,shoppers,visits,units,value,currency\n")
        for store in range(500):
            for month in range(60):
                period = f"{2021 + month // 12}-{month % 12 + 1:02d}"
                out.write(f"R-1,Store {store},{period},{100 + month},{200 + month},,{store}.50,\n")
    lines = 500 * 60

    command, env = kam(data)
    victim = subprocess.Popen(
        [*command, "import", "sellout", str(sellout), "--as", "importer", "--json"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    staging = data / "facts" / "_sellout_staging"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and victim.poll() is None:
        if staging.exists() and any(staging.iterdir()):  # writing its Parquet, not committed
            break
        time.sleep(0.002)
    assert victim.poll() is None, "the import finished before it could be killed"
    victim.send_signal(signal.SIGKILL)
    victim.wait()

    assert run(data, "shell", "-c", SELLOUT_COUNT).splitlines()[-1] == "0"  # the batch rolled back
    published = data / "facts" / "sellout"
    assert not published.exists() or not any(published.iterdir())

    summary = json.loads(run(data, "import", "sellout", str(sellout), "--as", "importer", "--json"))
    assert (summary["read"], summary["imported"], summary["rejected"]) == (lines, lines, 0)
    assert [p.name for p in published.iterdir()] == [f"batch_id={summary['batch']}"]
    assert not any(staging.iterdir())  # the killed run's half-written file is gone

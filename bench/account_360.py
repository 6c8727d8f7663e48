"""How fast the Account 360 pages and APIs answer one request, in-process, on `kam demo
--accounts 10000` data — and the timeline of an account with ten years of sales history, and
the dossier PDF.

Run with `make bench` (data kept in var/bench/account360) or `.venv/bin/python
bench/account_360.py [--accounts N] [--requests 200] [--data-dir DIR]`. The first run loads
the demo (10 to 20 minutes here) and imports ten years of orders for one key account; later
runs with the same `--data-dir` reuse them.

Each URL is requested `--requests` times with Django's test client after five warm-up
requests (templates compiled, caches filled), as the owning key account manager; the figures
are the median and the 95th percentile of the wall time of one request. The target is a 95th
percentile under 50 ms for every page and API, the timeline of the ten-year account included,
and under 2 s for the dossier PDF.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KAM = [sys.executable, "-m", "openkam.cli"]
TARGET_MS = 50.0
PDF_TARGET_MS = 2000.0
TEN_YEARS_ACCOUNT = "BENCH-10Y"


def _env(data_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        KAM_DATA_DIR=data_dir,
        DJANGO_SETTINGS_MODULE="openkam.config.settings.local",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DEBUG="",
    )
    env.pop("DATABASE_URL", None)  # the data directory's own SQLite file
    return env


def _kam(data_dir: str, *args: str) -> None:
    subprocess.run([*KAM, *args], env=_env(data_dir), cwd=ROOT, check=True, capture_output=True)


def ten_year_orders(path: Path, today: dt.date) -> int:
    """Ten years of orders of one customer, three to six a month, as an ERP exports them."""
    rng = random.Random(10)
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as file:
        out = csv.writer(file)
        out.writerow(
            [
                "Invoice No",
                "Invoice Date",
                "Customer No",
                "Customer Name",
                "Item Code",
                "Qty",
                "Unit Price",
                "Net Amount",
                "Currency",
            ]
        )
        day = today.replace(year=today.year - 10)
        number = 0
        while day <= today:
            day += dt.timedelta(days=rng.randint(4, 9))
            number += 1
            for line in range(rng.randint(3, 12)):
                quantity = rng.randint(1, 40)
                price = rng.choice([120, 350, 990, 2400])
                out.writerow(
                    [
                        f"TY-{number}",
                        day.isoformat(),
                        TEN_YEARS_ACCOUNT,
                        "Ten Year Traders",
                        f"P-{line}",
                        quantity,
                        price,
                        quantity * price,
                        "THB",
                    ]
                )
                rows += 1
    return rows


def prepare(data_dir: str, accounts: int) -> None:
    marker = Path(data_dir) / "bench-account360-ready"
    if marker.exists():
        print(f"reusing {data_dir}")
        return
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    _kam(data_dir, "migrate", "-v0")
    _kam(data_dir, "demo", "--accounts", str(accounts))
    print(f"demo data ({accounts:,} accounts) loaded in {time.perf_counter() - started:.0f} s")
    orders = Path(data_dir) / "ten-years.csv"
    lines = ten_year_orders(orders, dt.datetime.now(tz=dt.UTC).date())
    _kam(data_dir, "import", "orders", str(orders))
    print(f"ten years of orders for one account imported ({lines:,} lines)")
    marker.write_text("ok")


def _setup(data_dir: str) -> None:
    os.environ.update(_env(data_dir))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _targets():
    """(label, url, user) of every Account 360 page and API, on a key account of kam1's with
    the most activities, and the ten-year account's timeline."""
    from django.db.models import Count
    from django.urls import reverse

    from openkam.accounts.models import Account, AccountStatus
    from openkam.users.models import User

    kam = User.objects.get(username="kam1")
    account = (
        Account.objects.visible_to(kam)
        .filter(status=AccountStatus.KEY)
        .annotate(n=Count("activities"))
        .order_by("-n", "pk")
        .first()
    )
    ten_years = Account.objects.get(external_id=TEN_YEARS_ACCOUNT)
    director = User.objects.get(username="director")
    pages = [
        ("account page", "accounts:detail", [account.pk]),
        ("timeline", "timeline:account", [account.pk]),
        ("timeline API", "api:account-timeline", [account.pk]),
        ("activities list", "activities:list", []),
        ("activities API", "api:activity-list", []),
        ("dossier", "dossier:account", [account.pk]),
        ("portrait API", "api:account-portrait", [account.pk]),
        ("dossier API", "api:account-dossier", [account.pk]),
        ("key figures API", "api:keyfigure-list", []),
        ("stale portraits", "dossier:stale", []),
        ("competition tab", "tenders:account", [account.pk]),
        ("competitors", "competitors:list", []),
        ("competitors API", "api:competitor-list", []),
        ("account competitors API", "api:accountcompetitor-list", []),
        ("tenders", "tenders:list", []),
        ("tenders API", "api:tender-list", []),
        ("tender stats API", "api:tender-stats", []),
        ("org chart", "stakeholders:org_chart", [account.pk]),
        ("org chart API", "api:account-org-chart", [account.pk]),
        ("coverage", "stakeholders:coverage", [account.pk]),
        ("coverage API", "api:account-coverage", [account.pk]),
        ("departures API", "api:account-departures", [account.pk]),
        ("coverage gaps", "stakeholders:coverage_gaps", []),
        ("coverage gaps API", "api:coverage-gaps", []),
        ("account plan", "plans:account", [account.pk]),
        ("account plans", "plans:list", []),
        ("account plans API", "api:accountplan-list", []),
        ("plan actions API", "api:planaction-list", []),
        ("briefs", "briefs:list", []),
        ("briefs API", "api:brief-list", []),
    ]
    targets = []
    for label, name, args in pages:
        targets.append((label, reverse(name, args=args), kam))
    targets.append(
        ("timeline, 10 years", reverse("timeline:account", args=[ten_years.pk]), director)
    )
    targets.append(
        ("timeline API, 10 years", reverse("api:account-timeline", args=[ten_years.pk]), director)
    )
    return targets, (reverse("dossier:pdf", args=[account.pk]), kam)


def _time(client, url: str, requests: int) -> list[float]:
    for _ in range(5):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "bench" / "account360"))
    args = parser.parse_args()
    prepare(args.data_dir, args.accounts)
    _kam(args.data_dir, "collectstatic", "--no-input", "-v0")  # pages link the hashed files
    _setup(args.data_dir)
    from django.test import Client

    targets, pdf = _targets()
    print(f"{'page':<28}{'p50 ms':>9}{'p95 ms':>9}  target p95 < {TARGET_MS:.0f} ms")
    failed = []
    for label, url, user in targets:
        client = Client()
        client.force_login(user)
        samples = _time(client, url, args.requests)
        p95 = _p95(samples)
        mark = "" if p95 < TARGET_MS else "  over the target"
        if mark:
            failed.append(label)
        print(f"{label:<28}{statistics.median(samples):>9.1f}{p95:>9.1f}{mark}")
    if pdf:
        client = Client()
        client.force_login(pdf[1])
        samples = _time(client, pdf[0], 10)
        worst = max(samples)
        print(
            f"{'dossier PDF (worst of 10)':<28}{statistics.median(samples):>9.0f}{worst:>9.0f}"
            f"  target < {PDF_TARGET_MS:.0f} ms"
        )
        if worst >= PDF_TARGET_MS:
            failed.append("dossier PDF")
    print("every target met" if not failed else f"over the target: {', '.join(failed)}")


if __name__ == "__main__":
    main()

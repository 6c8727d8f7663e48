"""How fast the account pages answer with 10,000 accounts (in-process, Django test client).

Run with `make bench` (or `.venv/bin/python bench/account_list.py [--accounts N]`). It builds
a throw-away SQLite database in a temporary data directory (DATABASE_URL picks another
database) and prints the median and 95th percentile per page.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _setup(data_dir: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openkam.config.settings.local")
    os.environ["KAM_DATA_DIR"] = data_dir
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def _populate(n_accounts: int) -> None:
    import random

    from django.conf import settings

    from openkam.accounts.models import Account, AccountTeamMember, Segment
    from openkam.users.roles import Role
    from openkam.users.services import user_create

    # Password hashing is not what this measures: 41 users × PBKDF2 would take 12 s.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    rng = random.Random(1)
    kams = [
        user_create(username=f"kam{i}", password="bench", role=Role.KEY_ACCOUNT_MANAGER)
        for i in range(1, 41)
    ]
    user_create(username="director", password="bench", role=Role.SALES_DIRECTOR)
    segments = [Segment.objects.create(name=n) for n in ("Modern trade", "HoReCa", "Industrial")]
    countries = ["TH", "VN", "RS", "PH", "MY", "DE"]
    Account.objects.bulk_create(
        Account(
            name=f"Account {i:05d}",
            external_id=f"C-{i}",
            country=rng.choice(countries),
            industry=rng.choice(["retail", "hotel", "bank", "hospital"]),
            status=rng.choice(["prospect", "active", "active", "key", "lost"]),
            segment=rng.choice(segments),
        )
        for i in range(n_accounts)
    )
    AccountTeamMember.objects.bulk_create(
        AccountTeamMember(account_id=pk, user=kams[i % len(kams)], role="owner")
        for i, pk in enumerate(Account.objects.values_list("pk", flat=True))
    )


def _time(client, url: str, runs: int) -> tuple[float, float]:
    client.get(url)  # warm caches
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="openkam-bench-") as data_dir:
        _setup(data_dir)
        from django.test import Client

        from openkam.accounts.models import Account
        from openkam.users.models import User

        started = time.perf_counter()
        _populate(args.accounts)
        print(f"{args.accounts:,} accounts created in {time.perf_counter() - started:.1f} s")
        some = Account.objects.order_by("pk")[args.accounts // 2].pk
        pages = {
            "list, director (all accounts)": "/accounts/",
            "list, KAM (own accounts)": "/accounts/",
            "search 'account 0999'": "/accounts/?q=account+0999",
            "filter status+country": "/accounts/?status=key&country=TH",
            "sort by owner, page 100": "/accounts/?ordering=owner&page=100",
            "account page": f"/accounts/{some}/",
            "API list": "/api/accounts/",
            "API list, search": "/api/accounts/?q=vietnam",
        }
        print(f"{'page':34} {'median ms':>10} {'p95 ms':>8}")
        for label, url in pages.items():
            client = Client()
            user = "kam1" if "KAM" in label else "director"
            client.force_login(User.objects.get(username=user))
            median, p95 = _time(client, url, args.runs)
            print(f"{label:34} {median:10.1f} {p95:8.1f}")


if __name__ == "__main__":
    main()

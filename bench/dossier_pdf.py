"""How long the dossier PDF of a demo key account takes (in-process, Django test client).

Run with `.venv/bin/python bench/dossier_pdf.py [--accounts N] [--runs N]`. It loads the demo
into a throw-away SQLite database in a temporary data directory and prints the first (cold:
WeasyPrint imported, fonts loaded) and the median and slowest of the following renders of the
key account with the most stakeholders and activities. Target: under 2 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--accounts", type=int, default=300)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openkam.config.settings.local")
        os.environ["KAM_DATA_DIR"] = data_dir
        os.environ["ALLOWED_HOSTS"] = "testserver"
        import django

        django.setup()
        from django.core.management import call_command
        from django.db.models import Count
        from django.test import Client
        from django.urls import reverse

        from openkam.accounts.models import Account, AccountStatus
        from openkam.users.models import User

        call_command("migrate", verbosity=0)
        call_command("demo", accounts=args.accounts, orders=0, stdout=StringIO())
        account = (
            Account.objects.filter(status=AccountStatus.KEY)
            .annotate(n=Count("stakeholders", distinct=True) + Count("activities", distinct=True))
            .order_by("-n", "pk")
            .first()
        )
        client = Client()
        client.force_login(User.objects.get(username="director"))
        url = reverse("dossier:pdf", args=[account.pk])
        times = []
        for _ in range(args.runs + 1):
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, response.status_code
        warm = times[1:]
        print(f"dossier PDF of {account.name} ({len(response.content) / 1024:.0f} KiB)")
        print(f"  first (cold) {times[0]:.2f} s")
        print(f"  median {statistics.median(warm):.2f} s, slowest {max(warm):.2f} s")


if __name__ == "__main__":
    main()

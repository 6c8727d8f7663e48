"""`kam demo`: load the deterministic demo data."""

from __future__ import annotations

import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from openkam.demo.generator import (
    DEMO_PASSWORD,
    MIN_ACCOUNTS,
    DemoSummary,
    demo_loaded,
    generate_demo,
    load_demo,
)


class Command(BaseCommand):
    help = (
        "Load demo data: users for every role, accounts in Thailand, Vietnam, Serbia and the "
        "Philippines with their teams and stakeholders, and a product catalogue."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=42, help="Random seed (default 42).")
        parser.add_argument(
            "--accounts", type=int, default=300, help="Number of accounts (default 300)."
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete all accounts, people, products, the change log and every user who is "
            "not a superuser, then load the demo data again.",
        )

    def handle(self, *args: Any, seed: int, accounts: int, reset: bool, **options: Any) -> None:
        if accounts < MIN_ACCOUNTS:
            raise CommandError(f"--accounts must be at least {MIN_ACCOUNTS}.")
        if not reset and demo_loaded():
            self.stdout.write("The demo data is already loaded; use --reset to load it again.")
            return
        started = time.perf_counter()
        plan = generate_demo(seed=seed, accounts=accounts, today=timezone.localdate())
        try:
            summary = load_demo(plan=plan, reset=reset)
        except ValidationError as error:
            raise CommandError(f"Could not load the demo data: {error}") from error
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded (seed {seed}) in {elapsed:.1f} s."))
        self._write_counts(summary)
        self._write_logins(summary)

    def _write_counts(self, summary: DemoSummary) -> None:
        statuses = ", ".join(f"{count} {status}" for status, count in summary.accounts.items())
        rows = [
            ("accounts", f"{sum(summary.accounts.values())} ({statuses}; {summary.groups} groups)"),
            ("team members", summary.team_members),
            ("segments", summary.segments),
            ("departments", summary.departments),
            ("stakeholders", f"{summary.stakeholders} ({summary.moved} moved between accounts)"),
            ("positions", summary.positions),
            ("products", f"{summary.products} in {summary.categories} categories"),
            ("change log", f"{summary.changelog} entries"),
            ("users", summary.users),
        ]
        for label, value in rows:
            self.stdout.write(f"  {label:<14}{value}")

    def _write_logins(self, summary: DemoSummary) -> None:
        self.stdout.write(f'\nLogins (password "{DEMO_PASSWORD}" for all):')
        width = max(len(login.role) for login in summary.logins)
        for login in summary.logins:
            line = f"  {login.username:<10}{login.role:<{width + 2}}{login.name:<24}{login.detail}"
            self.stdout.write(line.rstrip())

"""`kam demo`: load the deterministic demo data."""

from __future__ import annotations

import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from openkam.analytics.periods import shift_months
from openkam.demo.alerts import load_alerts
from openkam.demo.generator import (
    DEMO_PASSWORD,
    MIN_ACCOUNTS,
    DemoSummary,
    demo_loaded,
    generate_demo,
    load_demo,
)
from openkam.demo.growth import load_growth
from openkam.demo.losses import load_losses
from openkam.demo.sellout import load_sellout
from openkam.demo.winback import load_comeback_orders, load_winback
from openkam.health.backtest import ensure_scores
from openkam.health.services import health_recompute
from openkam.metrics.models import Snapshot
from openkam.metrics.services import snapshot_create
from openkam.sales.demo_history import load_demo_sales_history, reset_sales_history


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
            "--orders",
            type=int,
            default=600_000,
            help="Order lines of sales history to generate and import (default 600,000; 0: none).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete all accounts, people, products, the change log and every user who is "
            "not a superuser, then load the demo data again.",
        )

    def handle(
        self, *args: Any, seed: int, accounts: int, orders: int, reset: bool, **options: Any
    ) -> None:
        if accounts < MIN_ACCOUNTS:
            raise CommandError(f"--accounts must be at least {MIN_ACCOUNTS}.")
        if not reset and demo_loaded():
            self.stdout.write("The demo data is already loaded; use --reset to load it again.")
            return
        started = time.perf_counter()
        plan = generate_demo(seed=seed, accounts=accounts, today=timezone.localdate())
        if reset:
            reset_sales_history()
            Snapshot.objects.all().delete()
        try:
            summary = load_demo(plan=plan, reset=reset)
        except ValidationError as error:
            raise CommandError(f"Could not load the demo data: {error}") from error
        batch = self._load_sales_history(seed, orders) if orders else None
        if orders:  # the lost accounts the come-back discount won back bought again
            load_comeback_orders(seed=seed, today=timezone.localdate())
        load_sellout(seed=seed, today=timezone.localdate())  # the retailers' sell-out
        load_losses(seed=seed, today=timezone.localdate())  # why lost accounts left, to whom
        if orders:  # the scores of a year ago: what the directors' health backtest checks
            ensure_scores(shift_months(timezone.localdate(), -12))
        snapshot = snapshot_create() if orders else None  # the cockpit has figures at once
        # health at once too (its background task would wait for `kam serve`'s worker)
        health = health_recompute(snapshot) if snapshot is not None else None
        alerts = (  # after the health scores: "health turned red" reads them
            load_alerts(seed=seed, today=timezone.localdate(), snapshot=snapshot)
            if snapshot is not None
            else None
        )
        if snapshot is not None:  # the growth suggestions come from the snapshot
            load_growth(seed=seed, snapshot=snapshot)
            load_winback(seed=seed, today=timezone.localdate())  # two measured campaigns
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded (seed {seed}) in {elapsed:.1f} s."))
        self._write_counts(summary)
        if batch is not None:
            self.stdout.write(
                f"  {'sales history':<14}{batch.imported:,} order lines "
                f"({batch.first_date} to {batch.last_date}), import batch #{batch.pk}"
            )
        if snapshot is not None:
            self.stdout.write(
                f"  {'metrics':<14}as of {snapshot.as_of} ({snapshot.duration_seconds} s; "
                "`kam analyze` recomputes them)"
            )
        if health is not None:
            levels = ", ".join(f"{n} {level}" for level, n in health.levels.items())
            self.stdout.write(f"  {'health':<14}{health.accounts} accounts ({levels})")
        if alerts is not None:
            self.stdout.write(
                f"  {'alerts':<14}{sum(alerts.raised.values())} raised "
                f"({', '.join(f'{n} {rule}' for rule, n in sorted(alerts.raised.items()))}); "
                f"{alerts.acknowledged} acknowledged, {alerts.snoozed} snoozed, "
                f"{alerts.resolved} resolved"
            )
        self._write_logins(summary)

    def _load_sales_history(self, seed: int, orders: int):
        columns = [
            TextColumn("{task.description:<12}"),
            BarColumn(),
            TaskProgressColumn(),
            TimeElapsedColumn(),
        ]
        console = Console(stderr=True)
        with Progress(*columns, console=console, disable=not console.is_terminal) as bar:
            task = bar.add_task("sales history", total=1.0)
            return load_demo_sales_history(
                seed=seed,
                lines=orders,
                end_date=timezone.localdate(),
                progress=lambda fraction, phase: bar.update(
                    task, completed=fraction, description=phase
                ),
            )

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
            (
                "key accounts",
                f"{summary.nominations} nomination decisions, {summary.types} types, "
                f"{summary.three_ps} three-P answers, {summary.ratings} ratings, "
                f"{summary.handovers} handovers",
            ),
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

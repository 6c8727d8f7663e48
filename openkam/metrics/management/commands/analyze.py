"""`kam analyze`: compute every metric as of a date and store it as a snapshot."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from openkam.metrics import services
from openkam.metrics.selectors import snapshot_summary


class Command(BaseCommand):
    help = (
        "Compute every KAM metric as of a date (today by default; later order lines are "
        "ignored) and store the results as a snapshot that pages and the API read."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-of", type=_date, help="analyse the portfolio as it was on YYYY-MM-DD"
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, as_of: dt.date | None, json: bool, **options) -> None:
        console = Console(stderr=True)
        try:
            with console.status("Analysing the sales history…", spinner="dots"):
                snapshot = services.snapshot_create(as_of=as_of)
        except services.NoSalesHistory as error:
            raise CommandError(str(error)) from error
        summary = snapshot_summary(snapshot)
        if json:
            self.stdout.write(_dumps(summary))
            return
        self._print(summary)

    def _print(self, summary: dict) -> None:
        console = Console()
        year = summary["portfolio"]["year"]
        table = Table(title=f"Portfolio as of {summary['as_of']} (last 12 months)")
        table.add_column("Figure")
        table.add_column("Value", justify="right")
        rows = [
            ("Revenue", f"{year['revenue']} {summary['reporting_currency']}"),
            (
                "Growth on the 12 months before",
                year["growth_notes"].get("growth_prev") or _percent(year["growth_prev"]),
            ),
            ("Retention (target 80 %)", _percent(year["retention_rate"])),
            ("Key accounts' share (band 30–55 %)", _percent(year["key_account_share"])),
            ("Top 20 % of accounts' share", _percent(year["top20_share"])),
            ("Accounts overdue now", str(year["accounts_overdue"])),
            ("Accounts lost now", str(year["accounts_lost"])),
            ("Lost / regained in the 12 months", f"{year['lost']} / {year['regained']}"),
        ]
        for name, value in rows:
            table.add_row(name, value)
        console.print(table)
        model = summary["model"]
        console.print(f"Repeat-purchase model: {model.get('verdict', '—')}")
        console.print(
            f"Snapshot {summary['snapshot']} stored in {summary['duration_seconds']} s "
            f"({summary['engine']})."
        )


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--as-of {text!r}: use a date like 2026-06-30") from error


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _dumps(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)

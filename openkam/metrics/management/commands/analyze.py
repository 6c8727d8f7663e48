"""`kam analyze`: compute every metric as of a date and store it as a snapshot."""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from rich.console import Console
from rich.table import Table

from openkam.analytics.config import LOST_CRITERIA
from openkam.core import formatting
from openkam.metrics import services
from openkam.metrics.loss_settings import analytics_config
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
        parser.add_argument(
            "--lost-criterion",
            choices=LOST_CRITERIA,
            help="when an account counts as lost, for this run (default: KAM_LOST_CRITERION): "
            "silence (no purchase for KAM_LOST_AFTER_DAYS) or rhythm (silent for "
            "KAM_LOST_RHYTHM_MULTIPLE × its own median interval)",
        )

    def handle(
        self,
        *args,
        as_of: dt.date | None,
        json: bool,
        lost_criterion: str | None = None,
        **options,
    ) -> None:
        console = Console(stderr=True)
        config = analytics_config(settings, lost_criterion=lost_criterion)
        try:
            with console.status("Analysing the sales history…", spinner="dots"):
                snapshot = services.snapshot_create(as_of=as_of, config=config)
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
        table = Table(
            title=_("Portfolio as of %(date)s (last 12 months)")
            % {"date": formatting.day(dt.date.fromisoformat(str(summary["as_of"])))}
        )
        table.add_column(_("Figure"))
        table.add_column(_("Value"), justify="right")
        rows = [
            (_("Revenue"), formatting.money(year["revenue"], summary["reporting_currency"])),
            (
                _("Growth on the 12 months before"),
                year["growth_notes"].get("growth_prev") or _percent(year["growth_prev"]),
            ),
            (
                _("Retention (target %(target)s)") % {"target": _whole_percent(0.8)},
                _percent(year["retention_rate"]),
            ),
            (
                _("Key accounts' share (band %(low)s–%(high)s)")
                % {"low": _whole_percent(0.3), "high": _whole_percent(0.55)},
                _percent(year["key_account_share"]),
            ),
            (
                _("Top %(share)s of accounts' share") % {"share": _whole_percent(0.2)},
                _percent(year["top20_share"]),
            ),
            (_("Accounts overdue now"), formatting.number(year["accounts_overdue"])),
            (_("Accounts lost now"), formatting.number(year["accounts_lost"])),
            (_("Accounts shrinking now"), formatting.number(year.get("accounts_shrinking", 0))),
            (
                _("Lost / regained in the 12 months"),
                f"{formatting.number(year['lost'])} / {formatting.number(year['regained'])}",
            ),
        ]
        for name, value in rows:
            table.add_row(name, value)
        console.print(table)
        model = summary["model"]
        console.print(
            _("Repeat-purchase model: %(verdict)s") % {"verdict": model.get("verdict", "—")}
        )
        console.print(
            _("Snapshot %(snapshot)s stored in %(seconds)s s (%(engine)s).")
            % {
                "snapshot": summary["snapshot"],
                "seconds": formatting.number(summary["duration_seconds"], 1),
                "engine": summary["engine"],
            }
        )


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--as-of {text!r}: use a date like 2026-06-30") from error


def _percent(value: float | None) -> str:
    return formatting.percent(value)


def _whole_percent(value: float) -> str:
    return formatting.percent(value, 0)


def _dumps(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)

"""`kam health`: recompute the stored health scores, or backtest them against what happened."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openkam.health.cli import backtest_command, parse_date


class Command(BaseCommand):
    help = (
        "`kam health recompute [--as-of DATE]`: recompute the health scores of a snapshot "
        "(every snapshot without a date). `kam health backtest --as-of DATE [--weights "
        "key=value,…] [--green-from N] [--amber-from N] [--json]`: how well the scores of "
        "DATE predicted the accounts lost or shrunk by more than 30 % in the 12 months after."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=("backtest", "recompute"), help="what to do")
        parser.add_argument("--as-of", type=parse_date, help="the date, YYYY-MM-DD")
        parser.add_argument(
            "--weights",
            metavar="KEY=VALUE,…",
            help="backtest: rescore with these weights over the ones in force",
        )
        parser.add_argument("--green-from", type=float, help="backtest: green from this score")
        parser.add_argument("--amber-from", type=float, help="backtest: amber from this score")
        parser.add_argument("--json", action="store_true", help="backtest: print one JSON object")

    def handle(self, *args: Any, what: str, as_of: dt.date | None, **options: Any) -> None:
        if what == "recompute":
            from openkam.health.services import health_recompute_command

            try:
                health_recompute_command(as_of=as_of, stdout=self.stdout)
            except LookupError as error:
                raise CommandError(str(error)) from error
            return
        if as_of is None:
            raise CommandError("kam health backtest needs --as-of DATE (e.g. a year ago).")
        backtest_command(
            as_of=as_of,
            weights=options["weights"],
            green_from=options["green_from"],
            amber_from=options["amber_from"],
            as_json=options["json"],
            stdout=self.stdout,
        )

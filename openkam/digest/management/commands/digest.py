"""`kam digest`: send the weekly digest now, or run its weekly schedule.

kam digest send [--user U ...] [--as-of DATE] [--dry-run]
kam digest schedule [--once] [--interval SECONDS]
"""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from openkam.digest import schedule, services
from openkam.digest.models import RunTrigger
from openkam.users.models import User


class Command(BaseCommand):
    help = (
        "The weekly digest: `kam digest send [--user U] [--dry-run]` sends it now (for cron); "
        "`kam digest schedule` queues it every week at KAM_DIGEST_WEEKDAY KAM_DIGEST_TIME "
        "(`kam serve` runs it; `--once` checks once, for cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=("send", "schedule"))
        parser.add_argument(
            "--user", action="append", dest="users", metavar="USERNAME", help="only this user"
        )
        parser.add_argument("--as-of", help="the digest's date, YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--dry-run", action="store_true", help="print what would be sent; send nothing"
        )
        parser.add_argument("--once", action="store_true", help="check the schedule once")
        parser.add_argument("--interval", type=float, default=60.0, help="seconds between checks")

    def handle(self, *args, what: str, **options) -> None:
        if what == "send":
            self._send(options)
        else:
            self._schedule(options)

    def _send(self, options: dict) -> None:
        as_of = _date(options["as_of"]) or timezone.localdate()
        usernames = options["users"]
        if usernames:
            unknown = set(usernames) - set(
                User.objects.filter(username__in=usernames).values_list("username", flat=True)
            )
            if unknown:
                raise CommandError(f"No such user: {', '.join(sorted(unknown))}")
        if options["dry_run"]:
            for found in services.preview(as_of=as_of, usernames=usernames):
                if found.reason:
                    self.stdout.write(f"skip {found.user.username}: {found.reason}")
                    continue
                message = found.message
                to = f"{found.user.username} <{message.to[0]}>"
                self.stdout.write(f"send {to}: {message.subject}")
                if usernames:
                    self.stdout.write(message.body)
            return
        run = services.run_create(trigger=RunTrigger.MANUAL, as_of=as_of)
        run = services.run_send(run, usernames=usernames)
        self.stdout.write(
            f"Weekly digest as of {as_of}: {run.sent} sent, {run.skipped} skipped, "
            f"{run.failed} failed (run {run.pk})."
        )
        if run.failed:
            raise CommandError(f"{run.failed} digest(s) could not be sent: see `kam` logs.")

    def _schedule(self, options: dict) -> None:
        if schedule.weekly_moment() is None:
            self.stdout.write("Weekly digest switched off (KAM_DIGEST_WEEKDAY=off).")
            return
        if not options["once"]:
            upcoming = timezone.localtime(schedule.next_slot())
            self.stdout.write(f"Weekly digest scheduler started (next: {upcoming:%Y-%m-%d %H:%M}).")
        while True:
            close_old_connections()  # a database restarted meanwhile is no error
            try:
                run = schedule.queue_due()
            except DatabaseError as error:
                if options["once"]:
                    raise
                self.stderr.write(f"Weekly digest scheduler: {error} (trying again)")
                run = None
            if run is not None:
                self.stdout.write(f"Weekly digest as of {run.as_of} queued (run {run.pk}).")
            if options["once"]:
                return
            time.sleep(options["interval"])


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--as-of {text!r} is not a date: use YYYY-MM-DD.") from error

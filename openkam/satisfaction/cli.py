"""`kam import surveys FILE --as USERNAME`: the command's side of `importer` (the `kam import`
command dispatches here). The summary speaks KAM_LANGUAGE; the rejects file keeps the English
reasons, as the other imports' do."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from openkam.core import formatting
from openkam.users.models import User

from .importer import ImportResult, import_surveys, rows_of


def import_surveys_command(command: BaseCommand, path: Path, options: dict) -> None:
    username = options.get("actor")
    if not username:
        raise CommandError(
            _("Say who records the answers: `kam import surveys FILE --as USERNAME`.")
        )
    actor = User.objects.filter(username=username, is_active=True).first()
    if actor is None:
        raise CommandError(_("No active user %(user)s.") % {"user": username})
    quiet = bool(options.get("json"))
    columns = [
        TextColumn("{task.description:<12}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
    ]
    with Progress(*columns, console=Console(stderr=True), disable=quiet) as bar:
        task = bar.add_task("importing", total=None)

        def report(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        result = import_surveys(path, actor=actor, progress=report)
    _report(command, path, result, quiet)


def summary(result: ImportResult) -> dict:
    return {
        "read": result.read,
        "imported": result.imported,
        "rejected": result.rejected,
        "duplicates": result.duplicates,
        "reasons": dict(result.reasons),
        "rejects_path": str(result.rejects_path) if result.rejects_path else None,
    }


def _report(command: BaseCommand, path: Path, result: ImportResult, as_json: bool) -> None:
    if as_json:
        command.stdout.write(json.dumps(summary(result), ensure_ascii=False))
        return
    n = formatting.number
    command.stdout.write(
        _(
            "%(file)s: read %(read)s, imported %(imported)s, rejected %(rejected)s, "
            "duplicates %(duplicates)s"
        )
        % {
            "file": path.name,
            "read": n(result.read),
            "imported": n(result.imported),
            "rejected": n(result.rejected),
            "duplicates": n(result.duplicates),
        }
    )
    for reason, count in rows_of(result):
        command.stdout.write(f"  {n(count):>8} × {reason}")
    if result.rejects_path:
        command.stdout.write(
            _("Rejected lines, with reasons: %(path)s") % {"path": result.rejects_path}
        )

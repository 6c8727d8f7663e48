"""`kam import sellout FILE --as USERNAME`: the command's side of `importer` (the `kam import`
command dispatches here). The summary speaks KAM_LANGUAGE; the rejected lines keep the English
reasons, as the other imports' do, and are written next to the other imports' rejects."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from openkam.core import formatting
from openkam.users.models import User

from .importer import import_sellout, rows_of
from .models import SelloutImport


def import_sellout_command(command: BaseCommand, path: Path, options: dict) -> None:
    username = options.get("actor")
    if not username:
        raise CommandError(_("Say who imports: `kam import sellout FILE --as USERNAME`."))
    actor = User.objects.filter(username=username, is_active=True).first()
    if actor is None:
        raise CommandError(_("No active user %(user)s.") % {"user": username})
    quiet = bool(options.get("json"))
    columns = [TextColumn("{task.description:<12}"), BarColumn(), TaskProgressColumn()]
    columns.append(TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), disable=quiet) as bar:
        task = bar.add_task("importing", total=None)

        def report(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        batch = import_sellout(path, actor=actor, progress=report)
    rejects = _write_rejects(batch)
    if quiet:
        command.stdout.write(json.dumps(summary(batch, rejects), ensure_ascii=False))
        return
    n = formatting.number
    command.stdout.write(
        _(
            "%(file)s: read %(read)s, imported %(imported)s, rejected %(rejected)s, "
            "duplicates %(duplicates)s"
        )
        % {
            "file": path.name,
            "read": n(batch.rows_read),
            "imported": n(batch.imported),
            "rejected": n(batch.rejected),
            "duplicates": n(batch.duplicates),
        }
    )
    for reason, count in rows_of(batch):
        command.stdout.write(f"  {n(count):>8} × {reason}")
    if rejects:
        command.stdout.write(_("Rejected lines, with reasons: %(path)s") % {"path": rejects})


def summary(batch: SelloutImport, rejects: Path | None = None) -> dict:
    return {
        "batch": batch.pk,
        "file": batch.file_name,
        "read": batch.rows_read,
        "imported": batch.imported,
        "rejected": batch.rejected,
        "duplicates": batch.duplicates,
        "reasons": dict(batch.reasons),
        "rejects_path": str(rejects) if rejects else None,
    }


def _write_rejects(batch: SelloutImport) -> Path | None:
    if not batch.rejects_csv:
        return None
    folder = Path(settings.IMPORTS_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"sellout-{batch.pk}-{Path(batch.file_name).stem}-rejects.csv"
    target.write_text(batch.rejects_csv, encoding="utf-8")
    return target

"""`kam import`: sales history and exchange rates from files, and the batches they made."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from openkam.core import formatting
from openkam.sales import fx, services
from openkam.sales.models import BatchStatus, ImportBatch
from openkam.sales.reasons import translate_counts

ENTITIES = ("orders", "fx", "activities", "surveys", "sellout", "list", "show", "delete")


class Command(BaseCommand):
    help = (
        "Import sales history: `kam import orders PATH`, `kam import fx PATH`, "
        "`kam import activities PATH --as USERNAME`, `kam import surveys PATH --as USERNAME`, "
        "`kam import sellout PATH --as USERNAME`, "
        "`kam import list`, `kam import show BATCH`, `kam import delete BATCH`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=ENTITIES, help="what to do")
        parser.add_argument("target", nargs="?", help="a file (orders, fx) or a batch number")
        parser.add_argument("--mapping", help="a saved column mapping, by name")
        parser.add_argument("--date-format", help="override the date format, e.g. %%d/%%m/%%Y")
        parser.add_argument("--decimal", choices=[".", ","], help="override the decimal mark")
        parser.add_argument("--currency", help="currency of files without a currency column")
        parser.add_argument("--save-mapping", metavar="NAME", help="save the mapping under NAME")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument(
            "--as",
            dest="actor",
            metavar="USERNAME",
            help="who logs the activities or records the answers (activities, surveys)",
        )

    def handle(self, *args, what: str, target: str | None, **options) -> None:
        try:
            getattr(self, f"_{what}")(target, options)
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(_messages(error)) from error

    # -- orders ---------------------------------------------------------------------------
    def _orders(self, target: str | None, options: dict) -> None:
        path = _existing_file(target)
        batch = services.batch_prepare(actor=None, path=path, mapping_name=options["mapping"])
        overrides = {
            key: value
            for key, value in {
                "date_format": options["date_format"],
                "decimal": options["decimal"],
                "default_currency": options["currency"],
            }.items()
            if value
        }
        if overrides.get("date_format"):
            overrides["date_chosen"] = True
        if overrides.get("decimal"):
            overrides["thousands"] = "," if overrides["decimal"] == "." else "."
        services.batch_configure(
            batch=batch,
            column_map=batch.mapping,
            options=overrides,
            save_as=options["save_mapping"] or "",
        )
        if not options["json"]:
            self._describe_decisions(batch)
        batch = self._run_with_progress(batch, quiet=options["json"])
        question = services.date_question(batch.options)
        if question is not None:
            services.batch_delete(actor=None, batch=batch)
            raise CommandError(_date_question(batch, question))
        self._report(batch, options["json"])

    def _describe_decisions(self, batch: ImportBatch) -> None:
        opts = batch.options
        self.stdout.write(
            _("Batch #%(batch)s: %(file)s") % {"batch": batch.pk, "file": batch.file_name}
        )
        mapped = ", ".join(f"{target} ← {header!r}" for target, header in batch.mapping.items())
        self.stdout.write("  " + _("columns: %(columns)s") % {"columns": mapped})
        line = (
            _("dates: %(format)s (as chosen; the whole file decides)")
            if opts.get("date_chosen")
            else _("dates: %(format)s (a guess from the first lines; the whole file decides)")
        )
        self.stdout.write("  " + line % {"format": opts["date_format"]})
        self.stdout.write(
            "  "
            + _("numbers: decimal %(decimal)r, thousands %(thousands)r")
            % {"decimal": opts["decimal"], "thousands": opts.get("thousands")}
        )

    def _run_with_progress(self, batch: ImportBatch, quiet: bool) -> ImportBatch:
        console = Console(stderr=True)
        columns = [
            TextColumn("{task.description:<12}"),
            BarColumn(),
            TaskProgressColumn(),
            TimeElapsedColumn(),
        ]
        with Progress(*columns, console=console, disable=quiet, transient=False) as bar:
            task = bar.add_task("reading", total=1.0)

            def report(fraction: float, phase: str) -> None:
                bar.update(task, completed=fraction, description=phase)

            ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.QUEUED)
            try:
                return services.batch_run(batch.pk, progress=report)
            except Exception as error:
                raise CommandError(f"{batch.file_name}: import failed: {error}") from error

    def _report(self, batch: ImportBatch, as_json: bool) -> None:
        summary = services.summary(batch)
        if as_json:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        n = formatting.number
        self.stdout.write(
            _(
                "Batch #%(batch)s: %(read)s lines read, %(imported)s imported, %(rejected)s "
                "rejected, %(duplicates)s duplicates (%(no_customer)s without a customer, "
                "%(credit)s credit-note lines; %(accounts)s new accounts, %(products)s new "
                "products) in %(seconds)s s"
            )
            % {
                "batch": batch.pk,
                "read": n(batch.rows_read),
                "imported": n(batch.imported),
                "rejected": n(batch.rejected),
                "duplicates": n(batch.duplicates),
                "no_customer": n(batch.no_customer),
                "credit": n(batch.credit_lines),
                "accounts": n(batch.accounts_created),
                "products": n(batch.products_created),
                "seconds": n(batch.seconds or 0, 1),
            }
        )
        dates = batch.options
        if dates.get("date_lines"):
            others = ", ".join(
                f"{fmt} {n(count)}"
                for fmt, count in dates["date_reads"].items()
                if fmt != dates["date_format"]
            )
            values = {
                "format": dates["date_format"],
                "read": n(dates["date_reads"].get(dates["date_format"], 0)),
                "lines": n(dates["date_lines"]),
                "others": others,
            }
            line = (
                _(
                    "dates: %(format)s, read on %(read)s of %(lines)s lines "
                    "(other formats: %(others)s)"
                )
                if others
                else _("dates: %(format)s, read on %(read)s of %(lines)s lines")
            )
            self.stdout.write("  " + line % values)
        for reason, count in translate_counts(batch.reasons or {}).items():
            self.stdout.write(f"  {n(count):>8} × {reason}")
        if batch.rejected:
            self.stdout.write(
                _("Rejected lines, with reasons: %(path)s") % {"path": batch.rejects_path}
            )

    # -- activities -----------------------------------------------------------------------
    def _activities(self, target: str | None, options: dict) -> None:
        from openkam.activities.cli import import_activities_command

        import_activities_command(self, _existing_file(target), options)

    # -- surveys --------------------------------------------------------------------------
    def _surveys(self, target: str | None, options: dict) -> None:
        from openkam.satisfaction.cli import import_surveys_command

        import_surveys_command(self, _existing_file(target), options)

    # -- sellout --------------------------------------------------------------------------
    def _sellout(self, target: str | None, options: dict) -> None:
        from openkam.sellout.cli import import_sellout_command

        import_sellout_command(self, _existing_file(target), options)

    # -- fx -------------------------------------------------------------------------------
    def _fx(self, target: str | None, options: dict) -> None:
        result = fx.import_rates(_existing_file(target))
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        n = formatting.number
        self.stdout.write(
            _("%(read)s rates read: %(created)s new, %(updated)s updated, %(rejected)s rejected")
            % {
                "read": n(result["rows_read"]),
                "created": n(result["created"]),
                "updated": n(result["updated"]),
                "rejected": n(result["rejected"]),
            }
        )
        for problem in result["problems"][:20]:
            self.stdout.write(
                "  "
                + _("line %(line)s: %(reason)s")
                % {"line": problem["line"], "reason": problem["reason"]}
            )

    # -- list, show, delete ---------------------------------------------------------------
    def _list(self, target: str | None, options: dict) -> None:
        batches = list(ImportBatch.objects.order_by("-pk")[:200])
        if options["json"]:
            self.stdout.write(
                json.dumps([services.summary(b) for b in batches], ensure_ascii=False)
            )
            return
        if not batches:
            self.stdout.write("No imports yet: `kam import orders FILE` makes the first.")
            return
        table = Table(
            "batch", "file", "status", "read", "imported", "rejected", "duplicates", "when"
        )
        for b in batches:
            table.add_row(
                str(b.pk),
                b.file_name,
                b.status,
                f"{b.rows_read:,}",
                f"{b.imported:,}",
                f"{b.rejected:,}",
                f"{b.duplicates:,}",
                b.created_at.strftime("%Y-%m-%d %H:%M"),
            )
        Console(file=self.stdout, width=140).print(table)

    def _show(self, target: str | None, options: dict) -> None:
        batch = _batch(target)
        if options["json"]:
            self.stdout.write(json.dumps(services.summary(batch), ensure_ascii=False))
            return
        for key, value in services.summary(batch).items():
            self.stdout.write(f"{key:>17}: {value}")

    def _delete(self, target: str | None, options: dict) -> None:
        batch = services.batch_delete(actor=None, batch=_batch(target))
        message = f"Batch #{batch.pk} rolled back: its {batch.imported:,} lines are gone."
        self.stdout.write(json.dumps(services.summary(batch)) if options["json"] else message)


def _date_question(batch: ImportBatch, question: str) -> str:
    """The date question of the whole file, with the lines each format reads and the way on."""
    reads = batch.options.get("date_reads", {})
    lines = "\n".join(f"  {fmt:<12} reads {n:>10,} lines" for fmt, n in reads.items())
    return (
        f"{batch.file_name}: nothing imported. {question}\n{lines}\n"
        f"Run again with --date-format, e.g. --date-format {batch.options.get('date_format')}"
    )


def _existing_file(target: str | None) -> Path:
    if not target:
        raise CommandError("Name the file to import, e.g. `kam import orders sales-2024.csv`.")
    path = Path(target).expanduser()
    if not path.is_file():
        raise CommandError(f"{path}: no such file.")
    return path


def _batch(target: str | None) -> ImportBatch:
    if not target or not target.lstrip("#").isdigit():
        raise CommandError("Name the batch by its number, e.g. `kam import show 3`.")
    batch = ImportBatch.objects.filter(pk=int(target.lstrip("#"))).first()
    if batch is None:
        raise CommandError(f"No batch #{target.lstrip('#')}; `kam import list` shows them.")
    return batch


def _messages(error: Exception) -> str:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)

"""Importing sales history: prepare a batch (preview and guessed mapping), run it, roll it back.

The heavy lifting happens in `openkam.facts` (DuckDB, no Django); this module decides what the
file means, matches customers and products to the Django database and keeps the batch's
bookkeeping, so that the CLI, the web UI and the API share one path.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import asdict
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import Any

from django import db
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.accounts.currencies import is_currency
from openkam.facts import formats, mapping, readers
from openkam.facts.pipeline import ImportSettings, parse_source
from openkam.facts.schema import TARGET_NAMES, missing_required
from openkam.facts.sources import duckdb_connection
from openkam.facts.store import FactStore
from openkam.users.models import User

from .models import BatchStatus, ColumnMapping, ImportBatch
from .resolve import exchange_rates_table, resolve_customers, resolve_products

Progress = Callable[[float, str], None]
SAMPLE_ROWS = 200
THOUSANDS_SEPARATORS = (",", ".", " ", "'", "")


def fact_store() -> FactStore:
    return FactStore(settings.FACTS_DIR)


def committed_batch_ids() -> set[int]:
    return set(
        ImportBatch.objects.filter(status=BatchStatus.COMMITTED).values_list("pk", flat=True)
    )


def _runner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _still_running(batch: ImportBatch) -> bool:
    """Is the process that runs this batch alive? Checked directly on this machine; a batch
    run elsewhere counts as alive while it reported progress in the last ten minutes."""
    host, _, pid = str(batch.options.get("runner", "")).rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    return batch.updated_at >= timezone.now() - timezone.timedelta(minutes=10)


def reconcile_fact_store() -> list[str]:
    """Remove what an interrupted import left behind and mark its batch as failed."""
    running = set()
    for batch in ImportBatch.objects.filter(status=BatchStatus.RUNNING):
        if _still_running(batch):
            running.add(batch.pk)
        else:
            ImportBatch.objects.filter(pk=batch.pk).update(
                status=BatchStatus.FAILED,
                error=_("The import was interrupted (its process ended); run it again."),
            )
    return fact_store().reconcile(committed_batch_ids(), running=running)


def ensure_may_import(actor: User) -> None:
    if not (actor.is_superuser or actor.has_perm("sales.add_importbatch")):
        raise PermissionDenied(_("You may not import sales history."))


def _copy_and_hash(source: Path, target: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(source, "rb") as reader, open(target, "wb") as writer:
        while chunk := reader.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
            writer.write(chunk)
    return digest.hexdigest(), size


def _column_values(info: readers.SourceInfo, header: str | None) -> list[str]:
    if not header or header not in info.header:
        return []
    index = info.header.index(header)
    return [row[index] for row in info.sample_rows if index < len(row) and row[index].strip()]


def decide_options(info: readers.SourceInfo, column_map: dict[str, str]) -> dict[str, Any]:
    """Per-file decisions from the sample: date format and number convention."""
    dates = formats.decide_dates(_column_values(info, column_map.get("invoice_date")))
    number_values = [
        value
        for target in ("net_amount", "unit_price", "quantity", "cost", "discount", "list_price")
        for value in _column_values(info, column_map.get(target))
    ]
    numbers = formats.decide_numbers(number_values)
    return {
        "date_format": dates.format,
        "date_ambiguous": dates.ambiguous,
        "date_alternatives": list(dates.alternatives),
        "date_year_offset": dates.year_offset,  # 543 for Thai Buddhist-era years
        "date_with_time": dates.with_time,
        "decimal": numbers.decimal,
        "thousands": numbers.thousands,
        "number_ambiguous": numbers.ambiguous,
        "default_currency": settings.REPORTING_CURRENCY,
    }


@transaction.atomic
def batch_prepare(
    *,
    actor: User | None,
    path: Path,
    file_name: str | None = None,
    mapping_name: str | None = None,
) -> ImportBatch:
    """Keep a copy of the file, read its header and guess what each column means."""
    if actor is not None:
        ensure_may_import(actor)
    saved = None
    if mapping_name:
        saved = ColumnMapping.objects.filter(name=mapping_name).first()
        if saved is None:
            names = ", ".join(ColumnMapping.objects.values_list("name", flat=True)) or "none yet"
            raise ValidationError(
                {
                    "mapping": _("No saved mapping named “%(name)s” (saved: %(names)s).")
                    % {"name": mapping_name, "names": names}
                }
            )
    batch = ImportBatch.objects.create(
        file_name=file_name or path.name, file_sha256="", created_by=actor
    )
    stored = batch.folder / f"source{Path(file_name or path.name).suffix.lower() or '.csv'}"
    batch.file_sha256, batch.file_size = _copy_and_hash(path, stored)
    try:
        info = readers.sniff(stored)
    except readers.SourceError as error:
        shutil.rmtree(batch.folder, ignore_errors=True)
        message = str(error).replace(stored.name, batch.file_name)
        raise ValidationError({"file": message}) from error
    batch.source = {"path": str(stored), **_source_json(info)}
    if saved is not None:
        batch.mapping = {t: h for t, h in saved.mapping.items() if h in info.header}
        batch.options = {
            **decide_options(info, batch.mapping),
            **saved.options,
            "date_chosen": "date_format" in saved.options,  # a person chose it for the export
        }
    else:
        batch.mapping = mapping.guess_mapping(info.header, info.sample_rows)
        batch.options = decide_options(info, batch.mapping)
    batch.save()
    return batch


def _source_json(info: readers.SourceInfo) -> dict[str, Any]:
    data = asdict(info)
    data.pop("sample_rows", None)
    return data


def _source_info(batch: ImportBatch) -> readers.SourceInfo:
    """How to read the batch's file, as `batch_prepare` sniffed it (sniffing again reads an
    ASCII file to its end, looking for its first non-ASCII bytes); a batch stored without
    it is sniffed again."""
    names = {f.name for f in dataclass_fields(readers.SourceInfo)} - {"sample_rows"}
    if not names <= set(batch.source):
        return readers.sniff(Path(batch.source["path"]))
    return readers.SourceInfo(**{n: batch.source[n] for n in names}, sample_rows=[])


def batch_preview(batch: ImportBatch, rows: int = 20) -> dict[str, Any]:
    info = readers.sniff(Path(batch.source["path"]))
    return {
        "header": info.header,
        "rows": info.sample_rows[:rows],
        "missing": [_(what) for what in missing_required(set(batch.mapping))],
    }


def validate_settings(header: list[str], column_map: dict[str, str], options: dict) -> None:
    errors: dict[str, list[str]] = {}
    unknown_targets = set(column_map) - set(TARGET_NAMES)
    if unknown_targets:
        errors["mapping"] = [
            _("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown_targets))}
        ]
    unknown_headers = {h for h in column_map.values() if h and h not in header}
    if unknown_headers:
        errors.setdefault("mapping", []).append(
            _("The file has no column %(h)s.") % {"h": ", ".join(sorted(unknown_headers))}
        )
    missing = [_(what) for what in missing_required({t for t, h in column_map.items() if h})]
    if missing:
        errors.setdefault("mapping", []).append(
            _("Map at least %(missing)s.") % {"missing": "; ".join(missing)}
        )
    if options.get("thousands", "") not in THOUSANDS_SEPARATORS:
        errors["thousands"] = [_("The thousands separator is “,”, “.”, a space, “'” or none.")]
    if options.get("decimal") not in (".", ","):
        errors["decimal"] = [_("The decimal separator is “.” or “,”.")]
    if options.get("decimal") == options.get("thousands"):
        errors["thousands"] = [_("The thousands separator must differ from the decimal one.")]
    if not is_currency(str(options.get("default_currency", ""))):
        errors["default_currency"] = [_("Give an ISO 4217 currency code, e.g. THB.")]
    if options.get("date_format") not in formats.DATE_FORMATS:
        errors["date_format"] = [
            _("Dates are written in one of these formats: %(formats)s.")
            % {"formats": ", ".join(formats.DATE_FORMATS)}
        ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def batch_configure(
    *,
    batch: ImportBatch,
    column_map: dict[str, str],
    options: dict[str, Any],
    save_as: str = "",
    actor: User | None = None,
) -> ImportBatch:
    """Set the mapping and options a person checked in the preview (optionally saved by name)."""
    if batch.status != BatchStatus.PENDING:
        raise ValidationError(_("This import has started already; upload the file again."))
    column_map = {t: h for t, h in column_map.items() if h}
    if "date_format" in options:
        # A person chose the format when they changed the guess, or answered the question the
        # whole file raised (`batch_run`); the CLI's --date-format says so itself.
        changed = options["date_format"] != batch.options.get("date_format")
        chosen = options.get("date_chosen")
        if chosen is None:
            chosen = changed or bool(batch.options.get("date_question"))
        options = {**options, "date_chosen": bool(chosen)}
        if chosen:
            options["date_ambiguous"] = False  # no longer a guess
    if len(save_as.strip()) > 100:
        raise ValidationError({"save_as": _("A mapping name has at most 100 characters.")})
    options = {**batch.options, **options}
    options["default_currency"] = str(options.get("default_currency", "")).upper()
    validate_settings(batch.source.get("header", []), column_map, options)
    batch.mapping, batch.options = column_map, options
    batch.save(update_fields=["mapping", "options", "updated_at"])
    if save_as:
        ColumnMapping.objects.update_or_create(
            name=save_as.strip(),
            defaults={"mapping": column_map, "options": _reusable(options), "created_by": actor},
        )
    return batch


def _reusable(options: dict) -> dict:
    keep = ("date_format", "decimal", "thousands", "default_currency")
    return {k: options[k] for k in keep if k in options}


def batch_start(*, batch: ImportBatch) -> ImportBatch:
    """Queue the import as a background task (or run it at once under the immediate backend)."""
    from .tasks import run_import

    validate_settings(batch.source.get("header", []), batch.mapping, batch.options)
    updated = ImportBatch.objects.filter(pk=batch.pk, status=BatchStatus.PENDING).update(
        status=BatchStatus.QUEUED, phase=_("queued")
    )
    if not updated:
        raise ValidationError(_("This import has started already."))
    transaction.on_commit(lambda: run_import.enqueue(batch.pk))
    batch.refresh_from_db()
    return batch


def _save_progress(batch_id: int) -> Progress:
    """Store progress at most twice a second. DuckDB reports it from a watcher thread, which
    writes through a connection of its own (never the caller's, which it must not touch)."""
    last = [0.0]
    owner = threading.current_thread()

    def report(fraction: float, phase: str) -> None:
        now = time.monotonic()
        if now - last[0] < 0.5 and fraction < 1:
            return
        last[0] = now
        if threading.current_thread() is owner:
            ImportBatch.objects.filter(pk=batch_id).update(
                progress=round(fraction, 3), phase=phase, updated_at=timezone.now()
            )
        else:
            _store_progress_elsewhere(batch_id, round(fraction, 3), phase)

    return report


def _store_progress_elsewhere(batch_id: int, fraction: float, phase: str) -> None:
    connection = db.connections.create_connection(db.DEFAULT_DB_ALIAS)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {ImportBatch._meta.db_table} SET progress = %s, phase = %s, "  # noqa: S608
                "updated_at = %s WHERE id = %s",
                [fraction, phase, timezone.now(), batch_id],
            )
        connection.commit()
    except db.Error:
        pass  # progress is best effort: a locked or unreachable database skips one report
    finally:
        connection.close()


def _import_settings(batch: ImportBatch) -> ImportSettings:
    options = batch.options
    return ImportSettings(
        mapping=batch.mapping,
        dates=formats.DateDecision(
            format=options["date_format"],
            ambiguous=bool(options.get("date_ambiguous")),
            alternatives=list(options.get("date_alternatives", [])),
            parsed_share=1.0,
            year_offset=int(options.get("date_year_offset", 0)),
            with_time=bool(options.get("date_with_time", False)),
            chosen=bool(options.get("date_chosen")),
        ),
        numbers=formats.NumberDecision(
            decimal=options["decimal"],
            thousands=options.get("thousands", ""),
            ambiguous=bool(options.get("number_ambiguous")),
        ),
        reporting_currency=settings.REPORTING_CURRENCY,
        default_currency=options.get("default_currency") or settings.REPORTING_CURRENCY,
    )


def batch_run(batch_id: int, progress: Progress | None = None) -> ImportBatch:
    """Import a prepared batch. Its lines become visible at the very end, all together."""
    started = time.perf_counter()
    reconcile_fact_store()
    batch = ImportBatch.objects.get(pk=batch_id)
    report = _fanout(_save_progress(batch_id), progress)
    batch.options = {**batch.options, "runner": _runner()}
    ImportBatch.objects.filter(pk=batch_id).update(
        status=BatchStatus.RUNNING, progress=0, updated_at=timezone.now(), options=batch.options
    )
    try:
        _run(batch, report)
    except formats.DatesUndecided as question:
        _ask_for_date_format(batch, question)
    except Exception as error:
        ImportBatch.objects.filter(pk=batch_id).update(
            status=BatchStatus.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    batch.refresh_from_db()
    batch.seconds = round(time.perf_counter() - started, 3)
    batch.save(update_fields=["seconds"])
    return batch


def _dates_options(dates: formats.DateDecision) -> dict[str, Any]:
    """What the whole file said about its dates, for the batch's options."""
    return {
        "date_format": dates.format,
        "date_year_offset": dates.year_offset,
        "date_with_time": dates.with_time,
        "date_reads": dates.reads,
        "date_lines": dates.lines,
        "date_unread": dates.unread,
    }


def _ask_for_date_format(batch: ImportBatch, question: formats.DatesUndecided) -> None:
    """Back to the preview, nothing imported: the whole file did not settle the date format
    (see `formats.settle_dates`); the format reading the most lines is proposed."""
    whole = question.decision
    options = {
        **batch.options,
        **_dates_options(whole),
        "date_alternatives": [f for f in whole.reads if f != whole.format],
        "date_ambiguous": True,
        "date_chosen": False,
        "date_question": {"chosen": question.chosen},
    }
    if question.chosen is None and whole.ambiguous:
        options["date_question"]["tie"] = formats.swapped(whole.format)
    options.pop("runner", None)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.PENDING, progress=0, phase="", options=options, updated_at=timezone.now()
    )


def date_question(options: dict[str, Any]) -> str | None:
    """Why a person has to choose the date format, in words, when the whole file did not
    settle it; None when it did (or was not checked yet)."""
    question = options.get("date_question")
    if question is None:
        return None
    reads = options.get("date_reads", {})
    best = options.get("date_format", "")
    values = {
        "best": best,
        "best_lines": f"{reads.get(best, 0):,}",
        "lines": f"{options.get('date_lines', 0):,}",
    }
    if question.get("chosen"):
        return _(
            "The format chosen, %(chosen)s, reads %(chosen_lines)s of the file's %(lines)s "
            "dates, but %(best)s reads %(best_lines)s: choose the format again."
        ) % {
            **values,
            "chosen": question["chosen"],
            "chosen_lines": f"{reads.get(question['chosen'], 0):,}",
        }
    if question.get("tie"):
        return _(
            "%(best_lines)s of the file's %(lines)s dates fit both %(best)s and %(other)s "
            "(no day is above 12): choose the format the file was written in."
        ) % {**values, "other": question["tie"]}
    return (
        _(
            "The file mixes date formats: %(best)s reads %(best_lines)s of its %(lines)s dates, "
            "and other formats read the rest. Choose the format; lines in another one are then "
            "rejected with their reason."
        )
        % values
    )


def _fanout(*callbacks: Progress | None) -> Progress:
    def report(fraction: float, phase: str) -> None:
        for callback in callbacks:
            if callback is not None:
                callback(fraction, phase)

    return report


def _duplicate_of(batch: ImportBatch) -> ImportBatch | None:
    return (
        ImportBatch.objects.filter(file_sha256=batch.file_sha256, status=BatchStatus.COMMITTED)
        .exclude(pk=batch.pk)
        .first()
    )


def _run(batch: ImportBatch, report: Progress) -> None:
    previous = _duplicate_of(batch)
    if previous is not None:
        _commit_counts(
            batch,
            rows_read=previous.rows_read,
            duplicates=previous.rows_read,
            status=BatchStatus.COMMITTED,
            phase=_("same file as batch #%(n)s") % {"n": previous.pk},
        )
        report(1.0, "done")
        return
    store = fact_store()
    source = Path(batch.source["path"])
    info = _source_info(batch)
    con = duckdb_connection(temp_dir=batch.folder / "tmp")
    try:
        job = parse_source(
            con,
            source,
            info,
            _import_settings(batch),
            workdir=batch.folder / "tmp",
            progress=report,
        )
        batch.options = {**batch.options, **_dates_options(job.settings.dates)}
        batch.options.pop("date_question", None)
        existing = store.order_lines_glob() if store.has_order_lines() else None
        with transaction.atomic():
            accounts, accounts_created = resolve_customers(job.customers(), actor=batch.created_by)
            products, products_created = resolve_products(job.products())
            staging = store.new_staging_dir(batch.pk)
            counts = job.finish(
                batch_id=batch.pk,
                accounts=accounts,
                products=products,
                fx_rates=exchange_rates_table(),
                existing_glob=existing,
                staging=staging,
                rejects_path=batch.rejects_path,
            )
            if counts.imported:
                store.publish(staging, batch.pk)
                transaction.on_commit(schedule_analysis)
            else:
                shutil.rmtree(staging, ignore_errors=True)
            _commit_counts(
                batch,
                **_count_fields(counts),
                accounts_created=accounts_created,
                products_created=products_created,
                status=BatchStatus.COMMITTED,
                phase="done",
            )
    finally:
        con.close()
        shutil.rmtree(batch.folder / "tmp", ignore_errors=True)


def _count_fields(counts) -> dict[str, Any]:
    data = counts.as_dict()
    return {
        key: data[key]
        for key in (
            "rows_read",
            "imported",
            "rejected",
            "duplicates",
            "no_customer",
            "credit_lines",
            "first_date",
            "last_date",
            "reasons",
        )
    }


def _commit_counts(batch: ImportBatch, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(batch, name, value)
    batch.progress = 1.0
    batch.finished_at = timezone.now()
    batch.save()


@transaction.atomic
def batch_delete(*, actor: User | None, batch: ImportBatch) -> ImportBatch:
    """Roll a batch back: its order lines disappear together. Accounts and products it created
    stay (they may have been worked on since)."""
    if actor is not None and not (actor.is_superuser or actor.has_perm("sales.delete_importbatch")):
        raise PermissionDenied(_("You may not delete imports."))
    if batch.status in (BatchStatus.QUEUED, BatchStatus.RUNNING):
        raise ValidationError(_("The import is still running; wait for it to finish."))
    batch.status = BatchStatus.DELETED
    batch.save(update_fields=["status", "updated_at"])

    def remove_files() -> None:
        fact_store().delete_batch(batch.pk)
        shutil.rmtree(batch.folder, ignore_errors=True)

    transaction.on_commit(remove_files)
    if batch.imported:
        transaction.on_commit(schedule_analysis)
    return batch


def schedule_analysis() -> None:
    """Queue a recompute of the metrics (as of today): the facts have changed."""
    if not settings.ANALYZE_AFTER_IMPORT:
        return
    from openkam.metrics.tasks import analyze  # the metrics app reads sales, not the reverse

    analyze.enqueue()


def summary(batch: ImportBatch) -> dict[str, Any]:
    """The batch as the CLI's and the API's JSON answer."""
    return {
        "batch": batch.pk,
        "file": batch.file_name,
        "status": batch.status,
        "rows_read": batch.rows_read,
        "imported": batch.imported,
        "rejected": batch.rejected,
        "duplicates": batch.duplicates,
        "no_customer": batch.no_customer,
        "credit_lines": batch.credit_lines,
        "accounts_created": batch.accounts_created,
        "products_created": batch.products_created,
        "first_date": str(batch.first_date) if batch.first_date else None,
        "last_date": str(batch.last_date) if batch.last_date else None,
        "reasons": batch.reasons,
        "rejects_file": str(batch.rejects_path) if batch.rejected else None,
        "seconds": batch.seconds,
        "error": batch.error or None,
        "mapping": batch.mapping,
        "options": batch.options,
    }

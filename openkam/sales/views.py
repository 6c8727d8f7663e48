"""The sales-history import in the browser: upload, check the guessed mapping, follow the
progress, read the result, roll back. The services do the work; these views only translate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View
from django_htmx.http import HttpResponseClientRefresh

from openkam.core.views import Login, paginate, redirect_to, require_perm, service_errors_to_form
from openkam.facts import readers
from openkam.facts.schema import TARGETS_BY_NAME

from . import reasons, services
from .forms import ImportSettingsForm, ImportUploadForm, date_example, upload_on_disk
from .models import BatchStatus, ImportBatch

VIEW, ADD, DELETE = "sales.view_importbatch", "sales.add_importbatch", "sales.delete_importbatch"
PREVIEW_ROWS = 20


def _batch(request, pk: int, perm: str = VIEW) -> ImportBatch:
    require_perm(request, perm)
    return get_object_or_404(ImportBatch.objects.select_related("created_by"), pk=pk)


class ImportListView(Login, View):
    def get(self, request):
        require_perm(request, VIEW)
        page = paginate(request, ImportBatch.objects.select_related("created_by"))
        context = {"page": page, "can_add": request.user.has_perm(ADD)}
        return render(request, "sales/import_list.html", context)


class ImportCreateView(Login, View):
    def get(self, request):
        require_perm(request, ADD)
        return render(request, "sales/import_upload.html", {"form": ImportUploadForm()})

    def post(self, request):
        require_perm(request, ADD)
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            saved = form.cleaned_data["mapping"]
            try:
                with upload_on_disk(upload) as path:
                    batch = services.batch_prepare(
                        actor=request.user,
                        path=path,
                        file_name=upload.name,
                        mapping_name=saved.name if saved else None,
                    )
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                return redirect_to(batch)
        return render(request, "sales/import_upload.html", {"form": form}, status=400)


class ImportDetailView(Login, View):
    """Pending: the preview and the mapping form. Queued or running: the progress bar.
    Finished: what became of the file."""

    def get(self, request, pk: int):
        batch = _batch(request, pk)
        form = None
        if batch.status == BatchStatus.PENDING and request.user.has_perm(ADD):
            form = self._form(batch)
        return render(request, "sales/import_detail.html", self._context(request, batch, form))

    def post(self, request, pk: int):
        batch = _batch(request, pk, ADD)
        if batch.status != BatchStatus.PENDING:
            messages.error(request, _("This import has started already; upload the file again."))
            return redirect_to(batch)
        form = self._form(batch, request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.batch_configure(
                        batch=batch,
                        column_map=form.column_map(),
                        options=form.options(),
                        save_as=form.cleaned_data["save_as"],
                        actor=request.user,
                    )
                    services.batch_start(batch=batch)
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                return redirect_to(batch)
        batch.refresh_from_db()
        context = self._context(request, batch, form)
        return render(request, "sales/import_detail.html", context, status=400)

    @staticmethod
    def _form(batch: ImportBatch, data=None) -> ImportSettingsForm:
        return ImportSettingsForm(
            data,
            header=batch.source.get("header", []),
            mapping=batch.mapping,
            options=batch.options,
        )

    @staticmethod
    def _context(request, batch: ImportBatch, form: ImportSettingsForm | None) -> dict[str, Any]:
        context: dict[str, Any] = {
            "batch": batch,
            "form": form,
            "can_delete": request.user.has_perm(DELETE)
            and batch.status in (BatchStatus.PENDING, BatchStatus.COMMITTED, BatchStatus.FAILED),
            "has_rejects": _rejects_file(batch) is not None,
            "reasons": reasons.translate_counts(batch.reasons or {}),
        }
        if batch.status == BatchStatus.PENDING:
            context.update(_preview(batch))
        else:
            context["mapping_used"] = [
                (_(TARGETS_BY_NAME[t].label), batch.mapping[t])
                for t in TARGETS_BY_NAME
                if batch.mapping.get(t)
            ]
        return context


def _preview(batch: ImportBatch) -> dict[str, Any]:
    if not batch.source.get("path"):
        return {"preview_error": _("The uploaded file is missing; upload it again.")}
    try:
        preview = services.batch_preview(batch, rows=PREVIEW_ROWS)
    except readers.SourceError as error:
        return {"preview_error": str(error)}
    mapped_as = {
        header: TARGETS_BY_NAME[t].label
        for t, header in batch.mapping.items()
        if t in TARGETS_BY_NAME
    }
    options = batch.options
    return {
        "header": [(h, _(mapped_as[h]) if h in mapped_as else "") for h in preview["header"]],
        "rows": preview["rows"],
        "missing": preview["missing"],
        "date_ambiguous": bool(options.get("date_ambiguous")),
        "date_example": date_example(options.get("date_format") or ""),
        "date_alternatives": [date_example(p) for p in options.get("date_alternatives", [])],
        "date_question": services.date_question(options),
        "date_reads": [
            (date_example(fmt), fmt, lines) for fmt, lines in options.get("date_reads", {}).items()
        ],
        "date_lines": options.get("date_lines", 0),
    }


class ImportProgressView(Login, View):
    """The progress bar (polled by HTMX); once the batch is no longer queued or running, it
    tells the page to reload and show the result."""

    def get(self, request, pk: int):
        batch = _batch(request, pk)
        if batch.status not in (BatchStatus.QUEUED, BatchStatus.RUNNING):
            return HttpResponseClientRefresh()
        return render(request, "sales/_progress.html", {"batch": batch})


def _rejects_file(batch: ImportBatch) -> Path | None:
    path = batch.rejects_path
    return path if batch.rejected and path.is_file() else None


def rejects_download(batch: ImportBatch) -> StreamingHttpResponse:
    """The batch's rejected lines as a CSV download in the reader's language (the page and the
    API serve the same)."""
    path = _rejects_file(batch)
    if path is None:
        raise Http404(_("This import rejected no lines."))
    response = StreamingHttpResponse(
        reasons.rejects_lines(path), content_type="text/csv; charset=utf-8"
    )
    name = f"{Path(batch.file_name).stem}-rejected-lines.csv"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response


class ImportRejectsView(Login, View):
    def get(self, request, pk: int):
        return rejects_download(_batch(request, pk))


class ImportDeleteView(Login, View):
    def get(self, request, pk: int):
        batch = _batch(request, pk, DELETE)
        return render(request, "sales/import_confirm_delete.html", {"batch": batch})

    def post(self, request, pk: int):
        batch = _batch(request, pk, DELETE)
        try:
            services.batch_delete(actor=request.user, batch=batch)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Import #%(n)s rolled back.") % {"n": batch.pk})
        return redirect_to(batch)

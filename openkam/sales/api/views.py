from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import DjangoModelPermissions
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from .. import services
from ..forms import upload_on_disk
from ..models import ImportBatch
from ..views import rejects_download
from .serializers import (
    ImportBatchPreviewSerializer,
    ImportBatchSerializer,
    ImportStartSerializer,
    ImportUploadSerializer,
)

PREVIEW_ROWS = 5


class ModelPermissions(DjangoModelPermissions):
    """The model permission of the method's action, reading included (for models that are not
    scoped by account)."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }


class CSVRenderer(BaseRenderer):
    """Lets a client ask for `Accept: text/csv` (the rejects download); errors stay JSON."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        return JSONRenderer().render(data)


class ImportBatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Sales-history imports. Upload a file (its columns are guessed), correct the guess and
    start it, follow its progress, download the rejected lines, roll it back."""

    queryset = ImportBatch.objects.select_related("created_by")
    serializer_class = ImportBatchSerializer
    permission_classes = [ModelPermissions]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filterset_fields = ["status"]
    ordering_fields = ["created_at", "id"]
    http_method_names = ["get", "post", "delete", "head", "options"]

    @extend_schema(
        request={"multipart/form-data": ImportUploadSerializer},
        responses={201: ImportBatchPreviewSerializer},
    )
    def create(self, request, *args, **kwargs):
        """Upload a file: the batch waits (status `pending`) with its guessed mapping and
        options, unless `start` is true and every required field is mapped."""
        upload = ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        file = upload.validated_data["file"]
        with upload_on_disk(file) as path:
            batch = services.batch_prepare(
                actor=request.user,
                path=path,
                file_name=Path(file.name or "upload.csv").name,
                mapping_name=upload.validated_data.get("mapping_name") or None,
            )
        preview = services.batch_preview(batch, rows=PREVIEW_ROWS)
        start_errors = None
        if upload.validated_data["start"]:
            if preview["missing"]:
                start_errors = {
                    "mapping": [
                        _("Map at least %(missing)s.") % {"missing": "; ".join(preview["missing"])}
                    ]
                }
            else:
                try:
                    with transaction.atomic():
                        services.batch_start(batch=batch)
                except ValidationError as error:
                    start_errors = _messages(error)
                batch.refresh_from_db()
        context = {
            **self.get_serializer_context(),
            "preview": preview,
            "start_errors": start_errors,
        }
        body = ImportBatchPreviewSerializer(batch, context=context).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        request={"application/json": ImportStartSerializer},
        responses={202: ImportBatchSerializer},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def start(self, request, pk=None):
        """Start a pending import, optionally with a corrected mapping and options. The import
        runs in the background: follow `status` and `progress` on the batch."""
        batch = self.get_object()
        settings = ImportStartSerializer(data=request.data)
        settings.is_valid(raise_exception=True)
        data = settings.validated_data
        options = dict(data.get("options", {}))
        if "date_format" in options:
            options["date_chosen"] = True  # the client set it: a choice, not a guess
        with transaction.atomic():
            services.batch_configure(
                batch=batch,
                column_map=data.get("mapping", batch.mapping),
                options=options,
                save_as=data.get("save_as", ""),
                actor=request.user,
            )
            services.batch_start(batch=batch)
        batch.refresh_from_db()
        return Response(self.get_serializer(batch).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={200: ImportBatchSerializer})
    def destroy(self, request, pk=None):
        """Roll the import back: its lines disappear together (accounts and products it
        created stay)."""
        batch = services.batch_delete(actor=request.user, batch=self.get_object())
        return Response(self.get_serializer(batch).data)

    @extend_schema(
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.BINARY, description=_("The rejected lines with their reasons.")
            ),
            404: OpenApiResponse(description=_("The import rejected no lines.")),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        filter_backends=[],
        renderer_classes=[JSONRenderer, CSVRenderer],
    )
    def rejects(self, request, pk=None):
        """The rejected lines as CSV: each with its line number and the reason."""
        return rejects_download(self.get_object())


def _messages(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {"detail": error.messages}

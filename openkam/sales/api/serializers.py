from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from openkam.core.api.fields import SlugRelatedField
from openkam.facts.formats import DATE_FORMATS

from ..models import ImportBatch
from ..reasons import translate_counts
from ..services import date_question

# Read-only and left out when missing: a batch's options are what was decided for its file.
OPTIONAL = {"read_only": True, "required": False}


class ImportOptionsSerializer(serializers.Serializer):
    """How the file's dates and numbers are written, as decided from it (or corrected)."""

    date_format = serializers.CharField(
        help_text=_("strptime pattern of the invoice dates, e.g. %d/%m/%Y, or excel-serial."),
        **OPTIONAL,
    )
    date_ambiguous = serializers.BooleanField(
        help_text=_("The dates also fit another format (day or month first?)."), **OPTIONAL
    )
    date_alternatives = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("The other formats the dates fit."),
        **OPTIONAL,
    )
    date_chosen = serializers.BooleanField(
        help_text=_(
            "A person chose the date format: it is kept unless another format reads more of "
            "the file's lines."
        ),
        **OPTIONAL,
    )
    date_reads = serializers.DictField(
        child=serializers.IntegerField(),
        help_text=_(
            "Over the whole file (once an import was tried): how many lines each date format reads."
        ),
        **OPTIONAL,
    )
    date_lines = serializers.IntegerField(
        help_text=_("Lines with an invoice date, over the whole file."), **OPTIONAL
    )
    date_question = serializers.SerializerMethodField(
        help_text=_(
            "Why the import went back to waiting: the whole file did not settle the date "
            "format; set date_format and start again. Null otherwise."
        )
    )
    decimal = serializers.CharField(help_text=_("Decimal mark."), **OPTIONAL)
    thousands = serializers.CharField(help_text=_("Thousands separator ('' for none)."), **OPTIONAL)
    number_ambiguous = serializers.BooleanField(**OPTIONAL)
    default_currency = serializers.CharField(
        help_text=_("ISO 4217 code of the lines without a currency."), **OPTIONAL
    )

    def get_date_question(self, options: dict) -> str | None:
        return date_question(options)


class TranslatedReasonsField(serializers.DictField):
    """Lines per reason, the reasons in the reader's language (stored in English)."""

    def to_representation(self, value):
        return super().to_representation(translate_counts(value or {}))


class ImportBatchSerializer(serializers.ModelSerializer):
    """One imported file and what became of its lines."""

    file = serializers.CharField(source="file_name", read_only=True)
    created_by = SlugRelatedField(
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text=_("Username of who uploaded the file (null when imported from the CLI)."),
    )
    reasons = TranslatedReasonsField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text=_("Rejected lines per reason, in the language of Accept-Language."),
    )
    mapping = serializers.DictField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_("Target field → column of the file."),
    )
    options = ImportOptionsSerializer(read_only=True)
    rejects_url = serializers.SerializerMethodField(
        help_text=_("Where to download the rejected lines (CSV), when there are any.")
    )

    class Meta:
        model = ImportBatch
        fields = [
            "id", "file", "status", "progress", "phase",
            "rows_read", "imported", "rejected", "duplicates", "no_customer", "credit_lines",
            "accounts_created", "products_created", "first_date", "last_date", "reasons",
            "seconds", "error", "mapping", "options", "rejects_url",
            "created_by", "created_at", "finished_at",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_rejects_url(self, batch: ImportBatch) -> str | None:
        if not batch.rejected:
            return None
        url = reverse("api:importbatch-rejects", args=[batch.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class ImportPreviewSerializer(serializers.Serializer):
    header = serializers.ListField(child=serializers.CharField(allow_blank=True))
    rows = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(allow_blank=True)),
        help_text=_("The first lines of the file, as text."),
    )
    missing = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("Required fields no column was mapped to; empty when it can start."),
    )


class ImportBatchPreviewSerializer(ImportBatchSerializer):
    """A batch just uploaded: with the file's first lines and, when starting it was asked for
    but refused, why."""

    # The same values as the batch's `status`; a second enum of the name would collide in the
    # schema's enum naming (ENUM_NAME_OVERRIDES could name it instead).
    status = serializers.CharField(read_only=True, help_text=_("pending, queued, committed…"))
    preview = serializers.SerializerMethodField()
    start_errors = serializers.SerializerMethodField(
        help_text=_("Why the import did not start at once (`start` was true); null otherwise.")
    )

    class Meta(ImportBatchSerializer.Meta):
        fields = [*ImportBatchSerializer.Meta.fields, "preview", "start_errors"]
        read_only_fields = fields

    @extend_schema_field(ImportPreviewSerializer)
    def get_preview(self, batch: ImportBatch) -> dict:
        return self.context["preview"]

    @extend_schema_field(
        serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()), allow_null=True
        )
    )
    def get_start_errors(self, batch: ImportBatch) -> dict | None:
        return self.context.get("start_errors")


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=_("CSV, TSV or Excel (.xlsx) export of invoice lines, header on line 1.")
    )
    mapping_name = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text=_("A saved column mapping to use instead of guessing."),
    )
    start = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Start the import at once when every required field is mapped."),
    )


class ImportStartOptionsSerializer(serializers.Serializer):
    """Corrections to the options decided from the file; what is left out stays."""

    date_format = serializers.ChoiceField(
        choices=DATE_FORMATS,
        required=False,
        help_text=_("strptime pattern of the invoice dates, e.g. %d/%m/%Y, or excel-serial."),
    )
    decimal = serializers.ChoiceField(choices=[".", ","], required=False)
    thousands = serializers.CharField(
        max_length=1,
        allow_blank=True,
        trim_whitespace=False,
        required=False,
        help_text=_("Thousands separator: '' for none, ',', '.', ' ' or another character."),
    )
    default_currency = serializers.CharField(
        max_length=3,
        required=False,
        help_text=_("ISO 4217 code of the lines without a currency, e.g. THB."),
    )


class ImportStartSerializer(serializers.Serializer):
    mapping = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        help_text=_("Target field → column of the file; replaces the guessed mapping."),
    )
    options = ImportStartOptionsSerializer(
        required=False, help_text=_("Corrections to the guessed date and number formats.")
    )
    save_as = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text=_("Save the mapping and options under this name for the next file."),
    )

"""The small side of the sales history: import batches, saved mappings and exchange rates.
The order lines themselves live in the Parquet fact store (openkam.facts)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import validate_currency
from openkam.core.models import TimeStampedModel


class BatchStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to start")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Importing")
    COMMITTED = "committed", _("Imported")
    FAILED = "failed", _("Failed")
    DELETED = "deleted", _("Rolled back")


class ImportBatch(TimeStampedModel):
    """One imported file: its fingerprint, the decisions taken for it and what became of every
    line. Its order lines become visible together when the batch is committed."""

    file_name = models.CharField(_("file"), max_length=255)
    file_sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    file_size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.PENDING
    )
    progress = models.FloatField(_("progress"), default=0)
    phase = models.CharField(_("phase"), max_length=40, blank=True)
    error = models.TextField(_("error"), blank=True)
    source = models.JSONField(_("file format"), default=dict, blank=True)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    options = models.JSONField(_("options"), default=dict, blank=True)
    rows_read = models.PositiveBigIntegerField(_("lines read"), default=0)
    imported = models.PositiveBigIntegerField(_("imported"), default=0)
    rejected = models.PositiveBigIntegerField(_("rejected"), default=0)
    duplicates = models.PositiveBigIntegerField(_("duplicates"), default=0)
    no_customer = models.PositiveBigIntegerField(_("lines without a customer"), default=0)
    credit_lines = models.PositiveBigIntegerField(_("credit-note lines"), default=0)
    accounts_created = models.PositiveIntegerField(_("new accounts"), default=0)
    products_created = models.PositiveIntegerField(_("new products"), default=0)
    first_date = models.DateField(_("first invoice date"), null=True, blank=True)
    last_date = models.DateField(_("last invoice date"), null=True, blank=True)
    reasons = models.JSONField(_("rejection reasons"), default=dict, blank=True)
    seconds = models.FloatField(_("duration (s)"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name}"

    def get_absolute_url(self) -> str:
        return reverse("sales:import_detail", args=[self.pk])

    @property
    def folder(self):
        return settings.IMPORTS_DIR / str(self.pk)

    @property
    def rejects_path(self):
        return self.folder / "rejects.csv"

    @property
    def is_finished(self) -> bool:
        return self.status in (BatchStatus.COMMITTED, BatchStatus.FAILED, BatchStatus.DELETED)


class ColumnMapping(TimeStampedModel):
    """A named, reusable mapping of an ERP export's columns (`kam import orders --mapping`)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    mapping = models.JSONField(_("column mapping"))
    options = models.JSONField(_("options"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ExchangeRate(models.Model):
    """How many units of the reporting currency one unit of `currency` was worth from
    `valid_from` on (until the next rate of that currency)."""

    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    valid_from = models.DateField(_("valid from"))
    rate = models.DecimalField(
        _("rate"), max_digits=18, decimal_places=8, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["currency", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "valid_from"],
                name="exchange_rate_once_per_day",
                violation_error_message=_("This currency already has a rate for this date."),
            ),
            models.CheckConstraint(
                condition=models.Q(rate__gt=0),
                name="exchange_rate_positive",
                violation_error_message=_("An exchange rate must be greater than zero."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.valid_from}: {self.rate}"

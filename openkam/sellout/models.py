"""Sell-out: what a retailer sold of our products, per store and month, as it shares it with us.

The lines themselves live in the fact store (`openkam.facts`, table `sellout`); here are the
imports that brought them (`SelloutImport`) and what the engine computed from them per account
(`SelloutMonth`, `SelloutSummary`), which the pages and the API read.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account
from openkam.accounts.querysets import AccountChildQuerySet, child_permissions


class ImportStatus(models.TextChoices):
    COMMITTED = "committed", _("Imported")
    FAILED = "failed", _("Failed")


class SelloutImportQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "view") -> SelloutImportQuerySet:
        """Who sees every account sees every import; anyone else sees their own."""
        if not (user.is_active and user.has_perm(f"sellout.{action}_selloutimport")):
            return self.none()
        if user.is_superuser or user.has_perm("accounts.view_all_accounts"):
            return self
        return self.filter(created_by=user)


class SelloutImport(models.Model):
    """One `kam import sellout` run: the file, who imported it, and what became of its lines."""

    file_name = models.CharField(_("file"), max_length=255)
    file_sha256 = models.CharField(_("file checksum"), max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.COMMITTED
    )
    rows_read = models.PositiveIntegerField(_("lines read"), default=0)
    imported = models.PositiveIntegerField(_("imported"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    duplicates = models.PositiveIntegerField(_("duplicates"), default=0)
    reasons = models.JSONField(_("reasons"), default=dict, blank=True)  # English template → lines
    rejects_csv = models.TextField(_("rejected lines"), blank=True, editable=False)
    first_period = models.DateField(_("first month"), null=True, blank=True)
    last_period = models.DateField(_("last month"), null=True, blank=True)

    objects = SelloutImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("sell-out import")
        verbose_name_plural = _("sell-out imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name}"


class SelloutMonthQuerySet(AccountChildQuerySet):
    action_permissions = child_permissions("sellout", "selloutmonth")


class SelloutMonth(models.Model):
    """An account's store in a month, as the engine added up its sell-out (recomputed)."""

    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="+"
    )
    store = models.CharField(_("store or channel"), max_length=200)
    period = models.DateField(_("month"))
    shoppers = models.BigIntegerField(_("shoppers"))
    visits = models.BigIntegerField(_("visits"))
    value = models.DecimalField(_("sell-out"), max_digits=18, decimal_places=2)

    objects = SelloutMonthQuerySet.as_manager()

    class Meta:
        verbose_name = _("sell-out month")
        verbose_name_plural = _("sell-out months")
        ordering = ["account", "period", "store"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "store", "period"],
                name="selloutmonth_one_per_store_and_month",
                violation_error_message=_("One row per store and month."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.store} {self.period:%Y-%m}"


class SelloutSummaryQuerySet(AccountChildQuerySet):
    action_permissions = child_permissions("sellout", "selloutsummary")


class SelloutSummary(models.Model):
    """The account's sell-out growth, last twelve months against the twelve before, split into
    the three levers (`openkam.analytics.sellout`); recomputed after imports and analyses."""

    account = models.OneToOneField(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="+"
    )
    before_first = models.DateField(_("from (before)"))
    before_last = models.DateField(_("to (before)"))
    after_first = models.DateField(_("from"))
    after_last = models.DateField(_("to"))
    value_before = models.DecimalField(_("sell-out before"), max_digits=18, decimal_places=2)
    value_after = models.DecimalField(_("sell-out"), max_digits=18, decimal_places=2)
    shoppers = models.DecimalField(_("more shoppers"), max_digits=18, decimal_places=2)
    frequency = models.DecimalField(_("more frequent visits"), max_digits=18, decimal_places=2)
    spend = models.DecimalField(_("more spend per visit"), max_digits=18, decimal_places=2)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    objects = SelloutSummaryQuerySet.as_manager()

    class Meta:
        verbose_name = _("sell-out summary")
        verbose_name_plural = _("sell-out summaries")
        ordering = ["account"]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.after_first:%Y-%m}–{self.after_last:%Y-%m}"

    @property
    def change(self):
        return self.value_after - self.value_before

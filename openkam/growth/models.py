"""Growth plays: what an account could buy more of, and how much of its spend we have.

`CategorySpend` is the engine's account × category table of a snapshot (what the account
bought per category over the 12 months to the snapshot's date, its size band and the band's
median spend, the up-sell gap). `GrowthOpportunity` is a suggestion made from it — a category
it does not buy (cross-sell) or buys far less of than accounts of its size (up-sell) — that a
KAM accepts or dismisses; one row per account, category and kind, so a dismissed suggestion
stays dismissed when later snapshots suggest it again. `WalletEstimate` is the account's
total spend per category and year, from all suppliers: entered, or estimated by the rule.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account
from openkam.accounts.querysets import AccountChildQuerySet, child_permissions
from openkam.catalog.models import ProductCategory
from openkam.core.models import TimeStampedModel
from openkam.metrics.models import Snapshot
from openkam.plans.models import MAX_YEAR, MIN_YEAR, PlanAction


def _money(verbose_name, **options) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=18, decimal_places=2, **options)


class CategorySpendQuerySet(AccountChildQuerySet):
    action_permissions = child_permissions("growth", "categoryspend")


class CategorySpend(models.Model):
    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(ProductCategory, on_delete=models.CASCADE, related_name="+")
    revenue = _money(_("our revenue"))
    size_band = models.PositiveSmallIntegerField(_("size band"))
    band_buyers = models.PositiveIntegerField(_("buyers in the band"))
    band_median = _money(_("median spend in the band"))
    gap = _money(_("up-sell gap"), null=True)

    objects = CategorySpendQuerySet.as_manager()

    class Meta:
        verbose_name = _("category spend")
        verbose_name_plural = _("category spend")
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "account", "category"], name="categoryspend_once_per_snapshot"
            )
        ]
        indexes = [models.Index(fields=["snapshot", "size_band", "category"])]

    def __str__(self) -> str:
        return f"{self.account_id}: category {self.category_id} in snapshot {self.snapshot_id}"


class OpportunityKind(models.TextChoices):
    CROSS_SELL = "cross_sell", _("Cross-sell")
    UP_SELL = "up_sell", _("Up-sell")


class OpportunityStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested")
    ACCEPTED = "accepted", _("Accepted")
    DISMISSED = "dismissed", _("Dismissed")


class GrowthOpportunityQuerySet(AccountChildQuerySet):
    action_permissions = child_permissions("growth", "growthopportunity")


class GrowthOpportunity(TimeStampedModel):
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="+"
    )
    category = models.ForeignKey(
        ProductCategory, verbose_name=_("category"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=OpportunityKind.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OpportunityStatus.choices,
        default=OpportunityStatus.SUGGESTED,
    )
    expected_revenue = _money(
        _("expected revenue"), help_text=_("The engine's estimate, a year, as last suggested.")
    )
    expected_value = _money(
        _("expected value"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("What the KAM expects to win a year, set when accepting it."),
    )
    # why it is suggested: cross-sell {"share": float, "similar": [account ids]}; up-sell
    # {"band": int, "bands": int, "band_buyers": int, "band_median": str, "spend": str}
    why = models.JSONField(_("why"), default=dict, blank=True)
    as_of = models.DateField(_("suggested as of"))
    current = models.BooleanField(
        _("in the latest analysis"),
        default=True,
        help_text=_("Whether the latest metrics snapshot still suggests it."),
    )
    dismissed_reason = models.TextField(_("reason for dismissing it"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    plan_action = models.ForeignKey(
        PlanAction,
        verbose_name=_("plan action"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = GrowthOpportunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("growth opportunity")
        verbose_name_plural = _("growth opportunities")
        ordering = ["-expected_revenue", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "category", "kind"],
                name="growthopportunity_once_per_account_category_kind",
                violation_error_message=_(
                    "This account already has this kind of opportunity in this category."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status=OpportunityStatus.DISMISSED) | ~Q(dismissed_reason=""),
                name="growthopportunity_dismissed_has_reason",
                violation_error_message=_("Say why the opportunity is dismissed."),
            ),
            models.CheckConstraint(
                condition=~Q(status=OpportunityStatus.ACCEPTED) | Q(expected_value__isnull=False),
                name="growthopportunity_accepted_has_value",
                violation_error_message=_("Give the value you expect from an accepted one."),
            ),
        ]
        indexes = [models.Index(fields=["status", "kind"], name="growthopportunity_status")]

    def __str__(self) -> str:
        return f"{self.account}: {self.get_kind_display()} {self.category}"


class WalletSource(models.TextChoices):
    ENTERED = "entered", _("Entered")
    RULE = "rule", _("Estimated by the rule")


class WalletEstimateQuerySet(AccountChildQuerySet):
    action_permissions = child_permissions("growth", "walletestimate")


class WalletEstimate(TimeStampedModel):
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="+"
    )
    category = models.ForeignKey(
        ProductCategory, verbose_name=_("category"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
    )
    estimated_spend = _money(
        _("their total spend"),
        validators=[MinValueValidator(0)],
        help_text=_("What the customer spends on this category in the year, from all suppliers."),
    )
    source = models.CharField(
        _("source"), max_length=10, choices=WalletSource.choices, default=WalletSource.ENTERED
    )
    note = models.TextField(_("note"), blank=True)

    objects = WalletEstimateQuerySet.as_manager()

    class Meta:
        verbose_name = _("wallet estimate")
        verbose_name_plural = _("wallet estimates")
        ordering = ["account", "-year", "category__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "category", "year"],
                name="walletestimate_once_per_category_year",
                violation_error_message=_(
                    "This account already has an estimate for this category and year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(estimated_spend__gte=0),
                name="walletestimate_spend_not_negative",
                violation_error_message=_("A spend cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
                name="walletestimate_year_range",
                violation_error_message=_("The year must be between 2000 and 2100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.category} {self.year}"

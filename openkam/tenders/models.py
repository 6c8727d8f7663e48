"""Tenders and opportunities: what we bid for at an account, when, and how it ended — when
lost, why and to whom."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account, validate_currency
from openkam.accounts.querysets import AccountChildQuerySet, child_permissions
from openkam.catalog.models import ProductCategory
from openkam.competitors.models import Competitor
from openkam.core.models import TimeStampedModel


class TenderStatus(models.TextChoices):
    OPEN = "open", _("Open")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CANCELLED = "cancelled", _("Cancelled")


DECIDED = (TenderStatus.WON, TenderStatus.LOST)


class LostReason(models.TextChoices):
    PRICE = "price", _("Price")
    QUALITY = "quality", _("Quality")
    SERVICE = "service", _("Service")
    DELIVERY = "delivery", _("Delivery / deadline")
    RELATIONSHIP = "relationship", _("Relationship")
    SPECIFICATION = "specification", _("Specification")
    TIMING = "timing", _("Timing")
    COMPETITOR = "competitor", _("Competitor")
    OTHER = "other", _("Other")


class TenderQuerySet(AccountChildQuerySet):
    action_permissions = child_permissions("tenders", "tender")


class Tender(TimeStampedModel):
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="tenders"
    )
    title = models.CharField(_("title"), max_length=200)
    category = models.ForeignKey(
        ProductCategory,
        verbose_name=_("category"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    value = models.DecimalField(
        _("value"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, validators=[validate_currency]
    )
    announced_on = models.DateField(_("announced"), null=True, blank=True)
    submitted_on = models.DateField(_("submitted"), null=True, blank=True)
    decided_on = models.DateField(_("decided"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=TenderStatus.choices, default=TenderStatus.OPEN
    )
    lost_reason = models.CharField(
        _("reason lost"), max_length=20, choices=LostReason.choices, blank=True
    )
    lost_comment = models.TextField(_("comment on the loss"), blank=True)
    winner = models.ForeignKey(
        Competitor,
        verbose_name=_("winning competitor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tenders_won",
    )
    notes = models.TextField(_("notes"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = TenderQuerySet.as_manager()

    class Meta:
        verbose_name = _("tender")
        verbose_name_plural = _("tenders")
        ordering = ["-announced_on", "-id"]
        indexes = [models.Index(fields=["account", "status"], name="tender_account_status")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__isnull=True) | models.Q(value__gte=0),
                name="tender_value_not_negative",
                violation_error_message=_("A tender's value cannot be negative."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=DECIDED) | models.Q(decided_on__isnull=False),
                name="tender_decided_has_date",
                violation_error_message=_("A won or lost tender needs the date it was decided."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status=TenderStatus.LOST) | ~models.Q(lost_reason=""),
                name="tender_lost_has_reason",
                violation_error_message=_("Say why the tender was lost."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, str] = {}
        self.currency = (self.currency or "").strip().upper()
        if self.value is not None and not self.currency:
            errors["currency"] = _("Give the currency of the value.")
        dates = [
            ("announced_on", self.announced_on, _("announced")),
            ("submitted_on", self.submitted_on, _("submitted")),
            ("decided_on", self.decided_on, _("decided")),
        ]
        for i, (name, day, label) in enumerate(dates):
            for _earlier_name, earlier, earlier_label in dates[:i]:
                if day and earlier and day < earlier:
                    errors.setdefault(
                        name,
                        _("The date %(later)s cannot be before the date %(earlier)s.")
                        % {"later": label, "earlier": earlier_label},
                    )
        if self.status in DECIDED and not self.decided_on:
            errors.setdefault(
                "decided_on", _("A won or lost tender needs the date it was decided.")
            )
        if self.status == TenderStatus.OPEN and self.decided_on:
            errors.setdefault(
                "decided_on", _("An open tender is not decided yet: leave the date empty.")
            )
        if self.status == TenderStatus.LOST:
            if not self.lost_reason:
                errors["lost_reason"] = _("Say why the tender was lost.")
            elif self.lost_reason == LostReason.COMPETITOR and self.winner_id is None:
                errors["winner"] = _(
                    "The reason is a competitor: say which competitor won the tender."
                )
            elif self.lost_reason == LostReason.OTHER and not self.lost_comment.strip():
                errors["lost_comment"] = _("The reason is “other”: explain it in the comment.")
        else:
            if self.lost_reason:
                errors["lost_reason"] = _("Only a lost tender has a reason for the loss.")
            if self.winner_id is not None:
                errors["winner"] = _("Only a lost tender has a winning competitor.")
        if errors:
            raise ValidationError(errors)

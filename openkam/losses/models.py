"""Why an account was lost and where it went: what a KAM records when marking an account lost
(the sales history says *that* it was lost; only people know *why* and *to whom*)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account
from openkam.accounts.querysets import AccountChildQuerySet, child_permissions
from openkam.competitors.models import Competitor
from openkam.core.models import TimeStampedModel


class LossReason(models.TextChoices):
    PRICE = "price", _("Price")
    QUALITY = "quality", _("Quality")
    SERVICE = "service", _("Service or delivery")
    RELATIONSHIP = "relationship", _("Relationship")
    RANGE = "range", _("Range or product fit")
    CUSTOMER_CLOSED = "closed", _("Customer closed or was taken over")
    OTHER = "other", _("Other")


class AccountLossQuerySet(AccountChildQuerySet):
    action_permissions = child_permissions("losses", "accountloss")


class AccountLoss(TimeStampedModel):
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="losses"
    )
    lost_on = models.DateField(_("lost on"))
    reason = models.CharField(_("reason"), max_length=20, choices=LossReason.choices)
    details = models.TextField(_("details"), blank=True)
    competitor = models.ForeignKey(
        Competitor,
        verbose_name=_("went to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accounts_won",
        help_text=_("The competitor the account moved its business to, if known."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = AccountLossQuerySet.as_manager()

    class Meta:
        verbose_name = _("account loss")
        verbose_name_plural = _("account losses")
        ordering = ["-lost_on", "-id"]
        indexes = [models.Index(fields=["account", "lost_on"], name="accountloss_account_day")]

    def __str__(self) -> str:
        return f"{self.account_id} lost on {self.lost_on}"

    def clean(self) -> None:
        super().clean()
        self.details = self.details.strip()
        if self.lost_on and self.lost_on > timezone.localdate():
            raise ValidationError({"lost_on": _("An account cannot be lost in the future.")})

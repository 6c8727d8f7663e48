"""Who else is trying to win our customers: a shared register of competitors, and per account
who is present there, what they sell, their share of wallet and how dangerous they are — with
the history of every change of those estimates."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account
from openkam.accounts.querysets import AccountChildQuerySet, child_permissions
from openkam.catalog.models import ProductCategory
from openkam.core.models import TimeStampedModel

# The estimates whose every change is kept as an observation.
TRACKED_FIELDS = ("share_of_wallet", "threat_level", "last_seen", "won_account_on")


class CompetitorQuerySet(models.QuerySet):
    """The register is shared: whoever may read it reads all of it, whoever may change it
    changes any entry."""

    def visible_to(self, user, action: str = "view") -> CompetitorQuerySet:
        permission = f"competitors.{action}_competitor"
        active = bool(user and user.is_authenticated and user.is_active)
        if active and (user.is_superuser or user.has_perm(permission)):
            return self
        return self.none()


class Competitor(TimeStampedModel):
    """A company competing with us, in the register everybody shares."""

    name = models.CharField(_("name"), max_length=200)
    website = models.URLField(_("website"), blank=True)
    strengths = models.TextField(
        _("strengths"), blank=True, help_text=_("What they are strong at.")
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = CompetitorQuerySet.as_manager()

    class Meta:
        verbose_name = _("competitor")
        verbose_name_plural = _("competitors")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="competitor_unique_name",
                violation_error_message=_("A competitor of this name is already registered."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.name = " ".join(self.name.split())


class AccountCompetitorQuerySet(AccountChildQuerySet):
    action_permissions = child_permissions("competitors", "accountcompetitor")


class AccountCompetitor(TimeStampedModel):
    """A competitor present at an account."""

    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="competitors"
    )
    competitor = models.ForeignKey(
        Competitor,
        verbose_name=_("competitor"),
        on_delete=models.PROTECT,
        related_name="presences",
    )
    categories = models.ManyToManyField(
        ProductCategory,
        verbose_name=_("categories they sell there"),
        related_name="+",
        blank=True,
    )
    share_of_wallet = models.DecimalField(
        _("estimated share of wallet (%)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    threat_level = models.PositiveSmallIntegerField(
        _("threat level"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1: harmless … 5: about to take the account."),
    )
    last_seen = models.DateField(_("last seen"), null=True, blank=True)
    won_account_on = models.DateField(
        _("took the account on"),
        null=True,
        blank=True,
        help_text=_("The day this competitor took the account from us, if it did."),
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = AccountCompetitorQuerySet.as_manager()

    class Meta:
        verbose_name = _("competitor at an account")
        verbose_name_plural = _("competitors at accounts")
        ordering = ["-threat_level", "competitor__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "competitor"],
                name="accountcompetitor_once_per_account",
                violation_error_message=_("This competitor is already recorded at the account."),
            ),
            models.CheckConstraint(
                condition=models.Q(threat_level__gte=1, threat_level__lte=5),
                name="accountcompetitor_threat_1_to_5",
                violation_error_message=_("The threat level goes from 1 to 5."),
            ),
            models.CheckConstraint(
                condition=models.Q(share_of_wallet__isnull=True)
                | models.Q(share_of_wallet__gte=0, share_of_wallet__lte=100),
                name="accountcompetitor_share_0_to_100",
                violation_error_message=_("The share of wallet goes from 0 to 100 %."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competitor} @ {self.account}"

    def clean(self) -> None:
        from django.utils import timezone

        today = timezone.localdate()
        errors = {}
        if self.last_seen and self.last_seen > today:
            errors["last_seen"] = _("The last time they were seen cannot be in the future.")
        if self.won_account_on and self.won_account_on > today:
            errors["won_account_on"] = _("The day they took the account cannot be in the future.")
        if errors:
            raise ValidationError(errors)


class ObservationQuerySet(AccountChildQuerySet):
    action_permissions = child_permissions("competitors", "accountcompetitor")
    account_path = "presence__account"


class AccountCompetitorObservation(models.Model):
    """The estimates of a competitor at an account as they were set at one moment: one row
    each time the share of wallet, the threat, the last-seen date or the loss changes."""

    presence = models.ForeignKey(
        AccountCompetitor,
        verbose_name=_("competitor at the account"),
        on_delete=models.CASCADE,
        related_name="observations",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    share_of_wallet = models.DecimalField(
        _("estimated share of wallet (%)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    threat_level = models.PositiveSmallIntegerField(_("threat level"))
    last_seen = models.DateField(_("last seen"), null=True, blank=True)
    won_account_on = models.DateField(_("took the account on"), null=True, blank=True)

    objects = ObservationQuerySet.as_manager()

    class Meta:
        verbose_name = _("competitor observation")
        verbose_name_plural = _("competitor observations")
        ordering = ["-recorded_at", "-id"]
        indexes = [
            models.Index(fields=["presence", "-recorded_at"], name="competitor_obs_presence"),
        ]

    def __str__(self) -> str:
        return f"{self.presence_id} {self.recorded_at:%Y-%m-%d}"

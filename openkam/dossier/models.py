"""Knowing the customer: the general dossier (organisation, sites, key figures by year) and
the portrait (origin, culture and their strategy in four areas), each kept with its source and
the date somebody last checked it."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account, validate_currency
from openkam.accounts.querysets import AccountChildQuerySet, child_permissions, restrict_by_account
from openkam.core.models import TimeStampedModel

FIRST_YEAR, LAST_YEAR = 1900, 2100

# Marketing keeps every account's portrait up to date, and only the portrait.
PORTRAIT_PERMISSION = "dossier.change_portrait"


class AccountProfileQuerySet(AccountChildQuerySet):
    action_permissions = child_permissions("dossier", "accountprofile")


class AccountProfile(TimeStampedModel):
    """The general part of the dossier that the account itself does not hold."""

    account = models.OneToOneField(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="profile"
    )
    organisation_notes = models.TextField(
        _("organisation structure"),
        blank=True,
        help_text=_("How the customer is organised: divisions, regions, who reports to whom."),
    )
    sites = models.PositiveIntegerField(
        _("number of stores/sites"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(10_000_000)],
    )
    sites_notes = models.CharField(
        _("about the stores/sites"),
        max_length=250,
        blank=True,
        help_text=_("Formats, regions, warehouses: what the number counts."),
    )

    objects = AccountProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier profile")
        verbose_name_plural = _("dossier profiles")

    def __str__(self) -> str:
        return str(self.account)


class KeyFigureQuerySet(AccountChildQuerySet):
    action_permissions = child_permissions("dossier", "keyfigure")


class KeyFigure(TimeStampedModel):
    """The customer's own figures for a year (their turnover, their employees), with where they
    come from: an annual report, a trade magazine, the buyer."""

    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="key_figures"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    turnover = models.DecimalField(
        _("their turnover"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(10**15)],
    )
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, validators=[validate_currency]
    )
    employees = models.PositiveIntegerField(
        _("employees"), null=True, blank=True, validators=[MaxValueValidator(100_000_000)]
    )
    source = models.CharField(_("source"), max_length=250, blank=True)

    objects = KeyFigureQuerySet.as_manager()

    class Meta:
        verbose_name = _("key figure")
        verbose_name_plural = _("key figures")
        ordering = ["account", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "year"],
                name="keyfigure_once_per_year",
                violation_error_message=_("This account already has key figures for this year."),
            ),
            models.CheckConstraint(
                condition=Q(turnover__isnull=False) | Q(employees__isnull=False),
                name="keyfigure_has_a_figure",
                violation_error_message=_("Give their turnover, their employees or both."),
            ),
            models.CheckConstraint(
                condition=Q(turnover__isnull=True) | ~Q(currency=""),
                name="keyfigure_turnover_currency",
                violation_error_message=_("Say in which currency the turnover is."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.year}"

    def clean(self) -> None:
        super().clean()
        self.currency = (self.currency or "").strip().upper()
        if self.turnover is not None and not self.currency:
            raise ValidationError({"currency": _("Say in which currency the turnover is.")})
        if self.year and self.year > timezone.localdate().year + 1:
            raise ValidationError({"year": _("Key figures cannot be for a year that far ahead.")})


class Area(models.TextChoices):
    """The parts of the portrait: where the customer comes from, how they work, and their
    strategy in four areas (article 002)."""

    ORIGIN = "origin", _("Origin")
    CULTURE = "culture", _("Culture")
    CORPORATE = "corporate", _("Corporate strategy")
    CATEGORY = "category", _("Category strategy")
    OPERATIONS = "operations", _("Operations")
    CSR = "csr", _("Corporate social responsibility")


# What each area asks: shown as the help text of the section.
AREA_QUESTIONS = {
    Area.ORIGIN: _("Their country of origin and what it implies for how they behave."),
    Area.CULTURE: _("How they work and decide: formal or not, fast or slow, loyal or not."),
    Area.CORPORATE: _("Their goals and priorities as a company."),
    Area.CATEGORY: _("The role and goals of our category for them."),
    Area.OPERATIONS: _("Their processes and the key metrics they steer by."),
    Area.CSR: _("What they commit to on the environment and society, and ask of suppliers."),
}

# The strategy areas must be reviewed regularly; origin and culture change slowly.
REVIEWED_AREAS = (Area.CORPORATE, Area.CATEGORY, Area.OPERATIONS, Area.CSR)


class PortraitSectionQuerySet(AccountChildQuerySet):
    action_permissions = {
        "view": "dossier.view_portraitsection",
        "change": ("dossier.change_portraitsection", PORTRAIT_PERMISSION),
        "delete": "dossier.delete_portraitsection",
    }
    # Like `accounts.change_account_marketing` for an account: a permission that allows the
    # action *and* extends it to every account the user can see (marketing).
    everywhere_permissions = {"change": PORTRAIT_PERMISSION}

    def visible_to(self, user, action="view") -> PortraitSectionQuerySet:
        everywhere = self.everywhere_permissions.get(action)
        if (
            everywhere
            and user
            and user.is_authenticated
            and user.is_active
            and user.has_perm(everywhere)
        ):
            return restrict_by_account(self, user, "view", permission=everywhere)
        return super().visible_to(user, action)


class PortraitSection(TimeStampedModel):
    account = models.ForeignKey(
        Account,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="portrait_sections",
    )
    area = models.CharField(_("area"), max_length=20, choices=Area.choices)
    text = models.TextField(_("text"), blank=True)
    source = models.CharField(
        _("source"),
        max_length=250,
        blank=True,
        help_text=_("Where this comes from: their annual report, a meeting, the press."),
    )
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)

    objects = PortraitSectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("portrait section")
        verbose_name_plural = _("portrait sections")
        ordering = ["account", "area"]
        permissions = [("change_portrait", _("Can change the portrait of any account"))]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "area"],
                name="portraitsection_once_per_area",
                violation_error_message=_("The portrait already has this section."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account} — {self.get_area_display()}"

    def clean(self) -> None:
        super().clean()
        if self.reviewed_on and self.reviewed_on > timezone.localdate():
            raise ValidationError({"reviewed_on": _("A review date cannot be in the future.")})
        if self.reviewed_on and not self.text.strip():
            raise ValidationError({"text": _("Write what you reviewed, or leave the date empty.")})

    def is_stale(self, cutoff: dt.date) -> bool:
        """Written, but not reviewed since `cutoff` (see `selectors.stale_cutoff`)."""
        return bool(self.text.strip()) and (self.reviewed_on is None or self.reviewed_on < cutoff)

    @property
    def is_missing(self) -> bool:
        return not self.text.strip()

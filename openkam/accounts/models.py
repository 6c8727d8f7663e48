"""Accounts (customers), their groups and their account teams."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from openkam.core.models import TimeStampedModel

from .currencies import is_currency
from .querysets import AccountChildQuerySet, AccountQuerySet, child_permissions

# How deep a group of companies may nest (group → subsidiary → sub-subsidiary).
MAX_GROUP_DEPTH = 3


class AccountStatus(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    ACTIVE = "active", _("Active")
    KEY = "key", _("Key account")
    LOST = "lost", _("Lost")


class TeamRole(models.TextChoices):
    OWNER = "owner", _("Owner (key account manager)")
    SUPPORT = "support", _("Support")
    EXECUTIVE_SPONSOR = "executive_sponsor", _("Executive sponsor")


def validate_currency(value: str) -> None:
    if not is_currency(value):
        raise ValidationError(
            _("%(value)s is not an ISO 4217 currency code (e.g. THB, VND, RSD, PHP, EUR)."),
            params={"value": value},
            code="invalid_currency",
        )


class Segment(models.Model):
    """A customer segment the supplier uses to group its accounts (modern trade, HoReCa...)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Account(TimeStampedModel):
    """A customer organisation, from prospect to key account (or lost)."""

    name = models.CharField(_("name"), max_length=200, db_index=True)
    legal_name = models.CharField(_("legal name"), max_length=250, blank=True)
    external_id = models.CharField(
        _("external id"),
        max_length=64,
        blank=True,
        help_text=_("The customer number in your ERP; imports match order lines by it."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subsidiaries",
        help_text=_("The group this account belongs to, for global accounts."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=AccountStatus.choices, default=AccountStatus.ACTIVE
    )
    country = CountryField(_("country of origin"), blank=True, db_index=True)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    segment = models.ForeignKey(
        Segment,
        verbose_name=_("segment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accounts",
    )
    employees = models.PositiveIntegerField(_("number of employees"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    history = models.TextField(_("history"), blank=True)
    environment_notes = models.TextField(
        _("environment notes"),
        blank=True,
        help_text=_("Market, competitors, regulation: what surrounds this customer."),
    )
    reporting_currency = models.CharField(
        _("reporting currency"),
        max_length=3,
        default="USD",
        validators=[validate_currency],
    )

    objects = AccountQuerySet.as_manager()

    # The fields marketing may edit: the account's public portrait, not its commercial terms.
    MARKETING_FIELDS = (
        "industry",
        "employees",
        "website",
        "description",
        "history",
        "environment_notes",
    )

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["name", "id"]
        permissions = [
            ("view_all_accounts", _("Can view every account")),
            ("change_all_accounts", _("Can change every account")),
            ("change_account_marketing", _("Can change the marketing fields of any account")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="account_external_id_unique",
                violation_error_message=_("Another account already has this external id."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")),
                name="account_not_own_parent",
                violation_error_message=_("An account cannot be its own parent."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "name"], name="account_status_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        self.external_id = self.external_id.strip()
        self._validate_parent()

    def _validate_parent(self) -> None:
        depth, ancestor = 1 + self._levels_below(), self.parent
        while ancestor is not None:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError(
                    {"parent": _("This would make the account part of its own group.")}
                )
            depth += 1
            if depth > MAX_GROUP_DEPTH:
                raise ValidationError(
                    {
                        "parent": _("Groups nest at most %(depth)d levels deep.")
                        % {"depth": MAX_GROUP_DEPTH}
                    }
                )
            ancestor = ancestor.parent

    def _levels_below(self) -> int:
        """How many levels of subsidiaries hang below this account (0: none)."""
        if self.pk is None:
            return 0
        levels, current = 0, [self.pk]
        while current and levels <= MAX_GROUP_DEPTH:
            current = list(
                Account.objects.filter(parent_id__in=current).values_list("pk", flat=True)
            )
            levels += bool(current)
        return levels

    def get_absolute_url(self) -> str:
        return reverse("accounts:detail", args=[self.pk])

    def group_root(self) -> Account:
        root = self
        while root.parent_id is not None:
            root = root.parent
        return root


class TeamMemberQuerySet(AccountChildQuerySet):
    action_permissions = child_permissions("accounts", "accountteammember")


class AccountTeamMember(TimeStampedModel):
    """A user working on an account, in a role. A key account has exactly one owner."""

    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="team"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="account_memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=TeamRole.choices)
    since = models.DateField(_("since"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=250, blank=True)

    objects = TeamMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("account team member")
        verbose_name_plural = _("account team")
        ordering = ["account", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "user"],
                name="team_member_once_per_account",
                violation_error_message=_("This person is already on the account team."),
            ),
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(role="owner"),
                name="team_single_owner",
                violation_error_message=_("The account already has an owner."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.account}"

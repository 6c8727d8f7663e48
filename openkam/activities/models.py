"""The relationship's log: every meeting, call, visit, business review or dinner with a customer,
who was there on both sides, what came of it and what the time was for."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from openkam.accounts.models import Account
from openkam.accounts.querysets import AccountChildQuerySet, child_permissions
from openkam.core.models import TimeStampedModel, seeded_name
from openkam.stakeholders.models import Stakeholder

# The kinds OpenKAM seeds (migration 0002), by code: shown in the reader's language as long as
# an administrator has not renamed them.
SEEDED_KIND_NAMES = {
    "meeting": gettext_noop("Meeting"),
    "call": gettext_noop("Call"),
    "email": gettext_noop("E-mail"),
    "visit": gettext_noop("Visit"),
    "business_review": gettext_noop("Business review (QBR)"),
    "dinner": gettext_noop("Dinner"),
    "golf": gettext_noop("Golf"),
    "trip": gettext_noop("Trip"),
    "event": gettext_noop("Event"),
    "other": gettext_noop("Other"),
}
MAX_DURATION_MINUTES = 24 * 60


class ActivityKind(models.Model):
    """A kind of activity. Administrators add more; entertainment kinds (dinner, golf, a trip,
    an event) are counted apart in the time split."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    is_entertainment = models.BooleanField(_("entertainment"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("activity kind")
        verbose_name_plural = _("activity kinds")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return seeded_name(self.code, self.name, SEEDED_KIND_NAMES)


class Purpose(models.TextChoices):
    """What the time was for: the 80/20 split of a KAM's time."""

    KEY_ACCOUNT = "key_account", _("Key-account work")
    NEW_BUSINESS = "new_business", _("New business")
    OTHER = "other", _("Other")


class ActivityQuerySet(AccountChildQuerySet):
    action_permissions = child_permissions("activities", "activity")


class Activity(TimeStampedModel):
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.ForeignKey(
        ActivityKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="+"
    )
    occurred_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DURATION_MINUTES)],
    )
    purpose = models.CharField(
        _("purpose"),
        max_length=20,
        choices=Purpose.choices,
        default=Purpose.KEY_ACCOUNT,
        help_text=_("What the time was for: key-account work, new business or other."),
    )
    subject = models.CharField(_("subject"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    next_step = models.CharField(_("next step"), max_length=200, blank=True)
    next_step_due = models.DateField(_("next step due"), null=True, blank=True)
    our_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("our people present"),
        related_name="activities_attended",
        blank=True,
    )
    their_people = models.ManyToManyField(
        Stakeholder,
        verbose_name=_("their people present"),
        related_name="activities",
        blank=True,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities_written",
    )
    # The fingerprint of the imported line it came from (`kam import activities`): importing the
    # same file twice finds its activities again instead of making new ones. Empty when typed in.
    source_key = models.CharField(
        _("import fingerprint"), max_length=64, null=True, blank=True, unique=True, editable=False
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-occurred_at", "-id"]
        permissions = [("change_any_activity", "Can change and delete anyone's activities")]
        indexes = [models.Index(fields=["account", "-occurred_at"], name="activity_account_time")]

    def __str__(self) -> str:
        return self.subject

    def clean(self) -> None:
        if self.next_step_due and not self.next_step.strip():
            raise ValidationError(
                {"next_step": _("Say what the next step is, or leave its due date empty.")}
            )


class CalendarToken(models.Model):
    """A user's private calendar-feed address. Only the SHA-256 of the secret is stored: the
    address is shown once, when it is made, and a copy of the database cannot read anyone's
    calendar. Revoking deletes the row; a new token replaces the old one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_token",
    )
    digest = models.CharField(_("token digest"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar token")
        verbose_name_plural = _("calendar tokens")

    def __str__(self) -> str:
        return str(self.user)

    @staticmethod
    def new_secret() -> str:
        return secrets.token_urlsafe(32)

    @staticmethod
    def digest_of(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

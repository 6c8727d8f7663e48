"""Time that is not an activity: a weekly entry of hours by purpose (key-account work, new
business, other), optionally on an account. With the activities' durations it makes each
person's 80/20 split (see `selectors`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account
from openkam.activities.models import Purpose
from openkam.core.models import TimeStampedModel

MAX_ENTRY_HOURS = Decimal(80)
MAX_WEEK_HOURS = Decimal(7 * 24)

VIEW_EVERYONE = "timesplit.view_all_time"
CHANGE_ANYONE = "timesplit.change_any_timeentry"
_ACTION_PERMISSIONS = {
    "view": ("timesplit.view_timeentry", VIEW_EVERYONE),
    "change": ("timesplit.change_timeentry", CHANGE_ANYONE),
    "delete": ("timesplit.delete_timeentry", CHANGE_ANYONE),
}


def _holds(user, permission: str) -> bool:
    return user.is_superuser or user.has_perm(permission)


class TimeEntryQuerySet(models.QuerySet):
    """A person's time is their own: they see and change their entries; directors and
    administrators (`view_all_time`, `change_any_timeentry`) everyone's."""

    def visible_to(self, user, action: str = "view") -> TimeEntryQuerySet:
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        needed, everyone = _ACTION_PERMISSIONS[action]
        if not _holds(user, needed):
            return self.none()
        if _holds(user, everyone):
            return self
        return self.filter(user=user)


class TimeEntry(TimeStampedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="time_entries",
    )
    week = models.DateField(_("week"), help_text=_("The Monday of the week."))
    purpose = models.CharField(
        _("purpose"),
        max_length=20,
        choices=Purpose.choices,
        default=Purpose.KEY_ACCOUNT,
        help_text=_("What the time was for: key-account work, new business or other."),
    )
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=2,
        help_text=_("More than 0 and at most 80 hours."),
    )
    account = models.ForeignKey(
        Account,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="time_entries",
        help_text=_("Optional: the account the time was for."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = TimeEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")
        ordering = ["-week", "-id"]
        permissions = [
            ("view_all_time", "Can view everyone's time split"),
            ("change_any_timeentry", "Can change and delete anyone's time entries"),
        ]
        indexes = [
            models.Index(fields=["user", "week"], name="timeentry_user_week"),
            models.Index(fields=["account", "week"], name="timeentry_account_week"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="timeentry_hours_positive",
                violation_error_message=_("Enter more than 0 hours."),
            ),
            models.CheckConstraint(
                condition=Q(hours__lte=MAX_ENTRY_HOURS),
                name="timeentry_hours_at_most_80",
                violation_error_message=_("An entry holds at most 80 hours; split a longer week."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.week.isoformat()} · {self.get_purpose_display()} · {self.hours} h"

    @property
    def changelog_account_id(self) -> None:
        """A person's time is not part of the account's history (see `services`)."""
        return None

    def clean(self) -> None:
        errors = {}
        if isinstance(self.week, dt.date) and self.week.weekday() != 0:
            errors["week"] = _("Give the Monday of the week.")
        if self.hours is not None and self.hours <= 0:
            errors["hours"] = _("Enter more than 0 hours.")
        elif self.hours is not None and self.hours > MAX_ENTRY_HOURS:
            errors["hours"] = _("An entry holds at most 80 hours; split a longer week.")
        if errors:
            raise ValidationError(errors)

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openkam.accounts.forms import AccountByNameField
from openkam.accounts.models import Account
from openkam.activities.models import Purpose
from openkam.users.models import User

from . import selectors
from .models import MAX_ENTRY_HOURS, TimeEntry
from .periods import PERIOD_CHOICES, Period, Range, monday, whole_periods


def person_named(reader: User, username: str) -> User | None:
    """The person whose time `reader` asks for: None for everyone (a director's default).
    Anyone but a director may ask only for themselves (PermissionDenied: 403)."""
    username = (username or "").strip()
    if not username:
        return None if selectors.sees_everyone(reader) else reader
    if not selectors.sees_everyone(reader):
        if username != reader.get_username():
            raise PermissionDenied
        return reader
    person = User.objects.filter(username=username).first()
    if person is None:
        raise forms.ValidationError(
            _("Nobody is called “%(username)s”."), params={"username": username}, code="unknown"
        )
    return person


def time_range(period: str, start: dt.date | None, end: dt.date | None) -> Range:
    """Whole periods from `start` to `end` (default: the last few up to today); a
    ValidationError for an empty or overlong range."""
    end = end or timezone.localdate()
    try:
        return whole_periods(period, start, end)
    except ValueError as error:
        messages = {
            "start after end": _("The start comes after the end."),
            "out of range": _("Pick dates between 1900 and 2999."),
        }
        message = messages.get(
            str(error),
            _("That range is too long for this period: pick a shorter one or a longer period."),
        )
        raise forms.ValidationError(message, code="range") from error


class SplitForm(forms.Form):
    """The page's period picker (GET)."""

    period = forms.ChoiceField(label=_("Period"), choices=PERIOD_CHOICES, required=False)
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    user = forms.CharField(label=_("Person"), required=False, max_length=150)

    def __init__(self, *args, reader: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.reader = reader
        self.span: Range | None = None
        self.person: User | None = None

    def clean_user(self) -> str:
        self.person = person_named(self.reader, self.cleaned_data.get("user", ""))
        return self.cleaned_data.get("user", "")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        period = data.get("period") or Period.MONTH.value
        data["period"] = period
        self.span = time_range(period, data.get("start"), data.get("end"))
        return data


class TimeEntryForm(forms.Form):
    """Quick weekly entry: any day of the week will do (it is recorded on its Monday)."""

    week = forms.DateField(
        label=_("Week"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Any day of the week: the entry is recorded on its Monday."),
    )
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    hours = forms.DecimalField(
        label=_("Hours"),
        max_digits=5,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.25", "min": "0.25", "max": "80"}),
        help_text=_("More than 0 and at most 80 hours."),
    )
    account = AccountByNameField(
        queryset=Account.objects.none(),
        label=_("Account"),
        required=False,
        help_text=_("Optional: the account the time was for (its name or external id)."),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, user: User, entry: TimeEntry | None = None, **kwargs) -> None:
        if entry is not None:
            kwargs.setdefault(
                "initial",
                {
                    "week": entry.week,
                    "purpose": entry.purpose,
                    "hours": entry.hours,
                    "account": entry.account,
                    "note": entry.note,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = Account.objects.visible_to(user, "view")
        if entry is None:
            self.initial.setdefault("week", monday(timezone.localdate()))
            self.initial.setdefault("purpose", Purpose.KEY_ACCOUNT.value)

    def clean_week(self) -> dt.date:
        return monday(self.cleaned_data["week"])

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if hours <= 0:
            raise forms.ValidationError(_("Enter more than 0 hours."), code="min_value")
        if hours > MAX_ENTRY_HOURS:
            raise forms.ValidationError(
                _("An entry holds at most 80 hours; split a longer week."), code="max_value"
            )
        return hours

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("week", "purpose", "hours", "note")} | {
            "account": self.cleaned_data.get("account")
        }

"""The cockpit's choices (GET): snapshot date, period length and the accounts' filters."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from openkam.accounts.models import Account, AccountStatus, Segment
from openkam.metrics.models import Period
from openkam.users.models import User
from openkam.users.roles import Role

from .selectors import ABC, FLAGS, XYZ, CockpitQuery


class CockpitForm(forms.Form):
    as_of = forms.TypedChoiceField(
        label=_("As of"), required=False, coerce=dt.date.fromisoformat, empty_value=None
    )
    period = forms.ChoiceField(
        label=_("Period"), choices=Period.choices, required=False, initial=Period.YEAR
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    owner = forms.TypedChoiceField(label=_("Owner"), required=False, coerce=int, empty_value=None)
    segment = forms.TypedChoiceField(
        label=_("Segment"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all")), *AccountStatus.choices]
    )

    def __init__(self, data=None, *, user: User, dates: list, **kwargs):
        super().__init__(data, **kwargs)
        fill_filter_choices(self, user=user, dates=dates)

    def query(self) -> CockpitQuery:
        """The validated choices (the defaults when the form is invalid or empty)."""
        data: dict = {}
        if self.is_bound:
            self.is_valid()  # an invalid choice falls back to its default
            data = self.cleaned_data
        return CockpitQuery(
            as_of=data.get("as_of"),
            period=data.get("period") or Period.YEAR,
            country=data.get("country") or None,
            owner=data.get("owner"),
            segment=data.get("segment"),
            status=data.get("status") or None,
        )


class AccountsForm(forms.Form):
    """Which accounts of the cockpit to list: a matrix cell or a headline figure."""

    abc = forms.ChoiceField(required=False, choices=[("", "")] + [(c, c) for c in ABC])
    xyz = forms.ChoiceField(required=False, choices=[("", "")] + [(c, c) for c in XYZ])
    flag = forms.ChoiceField(required=False, choices=[("", ""), *list(FLAGS.items())])


def fill_filter_choices(form: forms.Form, *, user: User, dates: list) -> None:
    """The choices of a portfolio filter's `as_of`, `country`, `owner` and `segment` fields:
    the snapshot dates, the countries of the accounts `user` sees, the active KAMs, the
    segments (the cockpit's filters; the loss dynamics use the same)."""
    form.fields["as_of"].choices = [("", _("latest"))] + [
        (d.isoformat(), d.isoformat()) for d in dates
    ]
    present = (
        Account.objects.visible_to(user, "view")
        .exclude(country="")
        .values_list("country", flat=True)
        .distinct()
        .order_by()
    )
    codes = {str(code) for code in present}
    form.fields["country"].choices = [
        ("", _("all")),
        *sorted(((code, countries.name(code) or code) for code in codes), key=lambda c: str(c[1])),
    ]
    owners = (
        User.objects.filter(groups__name=Role.KEY_ACCOUNT_MANAGER.value, is_active=True)
        .order_by("username")
        .values_list("pk", "username")
    )
    form.fields["owner"].choices = [("", _("all")), *list(owners)]
    form.fields["segment"].choices = [
        ("", _("all")),
        *list(Segment.objects.order_by("name").values_list("pk", "name")),
    ]

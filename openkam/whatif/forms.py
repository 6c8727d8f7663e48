"""The what-if page's choices (GET): the snapshot, the points and whose accounts."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from openkam.analytics.whatif import DEFAULT_POINTS

from .models import Group
from .selectors import Choice

MAX_POINTS = 50
GROUP_LABELS = {
    Group.OWNER: _("Owner"),
    Group.SEGMENT: _("Segment"),
    Group.COUNTRY: _("Country"),
}


class WhatIfForm(forms.Form):
    points = forms.IntegerField(
        label=_("Raise retention by (points)"),
        required=False,
        initial=DEFAULT_POINTS,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_POINTS)],
        widget=forms.NumberInput(attrs={"min": 0, "max": MAX_POINTS, "step": 1, "size": 3}),
    )
    of = forms.ChoiceField(label=_("Accounts of"), required=False)
    as_of = forms.TypedChoiceField(
        label=_("As of"), required=False, coerce=dt.date.fromisoformat, empty_value=None
    )

    def __init__(self, data=None, *, dates: list, groups: dict[str, list], **kwargs):
        """`groups`: group → [(key, name)] the user may choose (empty: the portfolio only)."""
        super().__init__(data, **kwargs)
        self.fields["as_of"].choices = [("", _("latest"))] + [
            (d.isoformat(), d.isoformat()) for d in dates
        ]
        choices: list = []
        if groups.get(Group.PORTFOLIO) is not None:
            choices.append((Group.PORTFOLIO.value, _("Portfolio")))
        for group, keys in groups.items():
            if group == Group.PORTFOLIO or not keys:
                continue
            choices.append((GROUP_LABELS[group], [(f"{group}:{key}", name) for key, name in keys]))
        self.fields["of"].choices = choices

    def choice(self, default: Choice) -> Choice:
        if not self.is_valid() or not self.cleaned_data.get("of"):
            return default
        value = self.cleaned_data["of"]
        if value == Group.PORTFOLIO:
            return Choice()
        group, _sep, key = value.partition(":")
        return Choice(group, key)

    def chosen_points(self) -> int:
        if self.is_valid() and self.cleaned_data.get("points") is not None:
            return self.cleaned_data["points"]
        return DEFAULT_POINTS

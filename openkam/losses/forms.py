from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account
from openkam.competitors.models import Competitor
from openkam.keyaccounts.models import KeyAccountType
from openkam.metrics.models import Period
from openkam.portfolio.forms import fill_filter_choices
from openkam.tenders.models import LostReason
from openkam.users.models import User

from .models import AccountLoss, LossReason
from .selectors import GROUPS, MEASURES, SOURCES, DrillDown, LossQuery
from .services import LOSS_FIELDS


class AccountLossForm(forms.ModelForm):
    """Marking an account lost: when, why, and to which competitor (if known)."""

    class Meta:
        model = AccountLoss
        fields = list(LOSS_FIELDS)
        widgets = {
            "lost_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "details": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, account: Account, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.account = account
        self.fields["competitor"].queryset = Competitor.objects.visible_to(user).order_by("name")
        self.fields["competitor"].empty_label = _("— not known —")
        if not self.instance.pk:
            self.initial.setdefault("lost_on", timezone.localdate())

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in LOSS_FIELDS}


class LossesForm(forms.Form):
    """The loss dynamics' choices (GET): snapshot date, period length, the accounts' filters
    and the breakdown's dimension."""

    as_of = forms.TypedChoiceField(
        label=_("As of"), required=False, coerce=dt.date.fromisoformat, empty_value=None
    )
    period = forms.ChoiceField(
        label=_("Period"), choices=Period.choices, required=False, initial=Period.QUARTER
    )
    group = forms.ChoiceField(
        label=_("Group by"), choices=list(GROUPS.items()), required=False, initial="owner"
    )
    owner = forms.TypedChoiceField(label=_("Owner"), required=False, coerce=int, empty_value=None)
    country = forms.ChoiceField(label=_("Country"), required=False)
    segment = forms.TypedChoiceField(
        label=_("Segment"), required=False, coerce=int, empty_value=None
    )
    type = forms.ChoiceField(
        label=_("Key-account type"),
        required=False,
        choices=[("", _("all")), *KeyAccountType.choices],
    )
    key_only = forms.BooleanField(label=_("Key accounts only"), required=False)

    def __init__(self, data=None, *, user: User, dates: list, **kwargs):
        super().__init__(data, **kwargs)
        fill_filter_choices(self, user=user, dates=dates)

    def query(self) -> LossQuery:
        """The validated choices (the defaults where a choice is invalid or missing)."""
        data: dict = {}
        if self.is_bound:
            self.is_valid()  # an invalid choice falls back to its default
            data = self.cleaned_data
        return LossQuery(
            as_of=data.get("as_of"),
            period=data.get("period") or Period.QUARTER,
            owner=data.get("owner"),
            country=data.get("country") or None,
            segment=data.get("segment"),
            type=data.get("type") or None,
            key_only=bool(data.get("key_only")),
            group=data.get("group") or "owner",
        )


REASON_CHOICES = sorted(
    {*LossReason.values, *LostReason.values}
)  # both vocabularies: `source` says which


class DrillDownForm(forms.Form):
    """Which accounts to list: a figure (`measure` in period `index`, 0 the latest), a reason
    (`reason` from `source`) or a competitor — exactly one of the three."""

    measure = forms.ChoiceField(required=False, choices=[("", ""), *MEASURES.items()])
    index = forms.IntegerField(required=False, min_value=0, max_value=99)
    reason = forms.ChoiceField(
        required=False, choices=[("", ""), *((r, r) for r in REASON_CHOICES)]
    )
    source = forms.ChoiceField(required=False, choices=[("", ""), *SOURCES.items()])
    competitor = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)

    def clean(self):
        data = super().clean()
        chosen = [n for n in ("measure", "reason", "competitor") if data.get(n) not in (None, "")]
        if len(chosen) != 1:
            raise forms.ValidationError(
                _("Choose one figure, one reason or one competitor to list its accounts.")
            )
        return data

    def drill_down(self) -> DrillDown | None:
        if not self.is_valid():
            return None
        data = self.cleaned_data
        return DrillDown(
            measure=data.get("measure") or None,
            index=data.get("index") or 0,
            reason=data.get("reason") or None,
            source=data.get("source") or "loss",
            competitor=data.get("competitor"),
        )

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account
from openkam.activities.models import Activity, ActivityKind
from openkam.users.models import User

from .models import Campaign, CampaignAccount
from .services import CAMPAIGN_FIELDS, TARGET_FIELDS

DATE = {"type": "date"}


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = list(CAMPAIGN_FIELDS)
        widgets = {
            "starts_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "offer_description": forms.Textarea(attrs={"rows": 2}),
        }

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in CAMPAIGN_FIELDS}


def chosen_accounts_field() -> forms.ModelMultipleChoiceField:
    """The accounts ticked on the win-back list, sent along hidden (never 10,000 checkboxes
    here); the form sets the queryset to what its user may change."""
    return forms.ModelMultipleChoiceField(
        label=_("Accounts"),
        queryset=Account.objects.none(),
        widget=forms.MultipleHiddenInput,
        error_messages={"required": _("Choose at least one account on the win-back list.")},
    )


def offer_cost_field(help_text) -> forms.DecimalField:
    return forms.DecimalField(
        label=_("Cost of the offer per account"),
        required=False,
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
        help_text=help_text,
    )


class ChosenAccounts:
    """For a form whose `accounts` were chosen on the win-back list."""

    def chosen_accounts(self) -> list[Account]:
        """The chosen accounts the user may put in a campaign, by name (shown on the form)."""
        raw = self.data.getlist("accounts") if self.is_bound else self.initial.get("accounts", [])
        ids = [int(v) for v in raw if str(v).isdigit() and len(str(v)) < 19]
        return list(self.fields["accounts"].queryset.filter(pk__in=ids))


class CampaignStartForm(ChosenAccounts, CampaignForm):
    """A new campaign for the accounts chosen on the win-back list."""

    accounts = chosen_accounts_field()
    offer_cost = offer_cost_field(_("Leave empty to split the budget evenly over the accounts."))

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accounts"].queryset = Account.objects.visible_to(user, "change").order_by(
            "name", "id"
        )
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("starts_on", today)
            self.initial.setdefault("ends_on", today + dt.timedelta(days=30))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The campaign ends before it starts."))
        return cleaned


class CampaignAddForm(ChosenAccounts, forms.Form):
    """More accounts, chosen on the win-back list, for a campaign that has not ended."""

    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=Campaign.objects.none(),
        error_messages={
            "required": _("Choose the campaign to add the accounts to."),
            "invalid_choice": _("Choose a campaign you manage that has not ended."),
        },
    )
    accounts = chosen_accounts_field()
    offer_cost = offer_cost_field(
        _("Leave empty for the budget divided by the number of accounts the campaign will have.")
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = open_campaigns(user)
        self.fields["accounts"].queryset = Account.objects.visible_to(user, "change").order_by(
            "name", "id"
        )


def open_campaigns(user: User):
    """The campaigns `user` may change that have not ended, the latest first."""
    return (
        Campaign.objects.visible_to(user, "change")
        .filter(ends_on__gte=timezone.localdate())
        .order_by("-starts_on", "-id")
    )


class TargetForm(forms.ModelForm):
    class Meta:
        model = CampaignAccount
        fields = list(TARGET_FIELDS)


class StepForm(forms.ModelForm):
    """A contact step: an activity logged for the account, linked to its campaign."""

    class Meta:
        model = Activity
        fields = ["kind", "occurred_at", "subject", "outcome"]
        widgets = {
            "occurred_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "outcome": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault(
                "occurred_at", timezone.localtime().replace(second=0, microsecond=0)
            )
            self.initial.setdefault("kind", ActivityKind.objects.filter(code="call").first())

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

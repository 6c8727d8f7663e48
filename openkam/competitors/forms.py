from __future__ import annotations

from django import forms

from openkam.accounts.models import Account
from openkam.catalog.models import ProductCategory

from .models import AccountCompetitor, Competitor
from .services import COMPETITOR_FIELDS, PRESENCE_FIELDS


class CompetitorForm(forms.ModelForm):
    website = forms.URLField(
        label=Competitor._meta.get_field("website").verbose_name,
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = Competitor
        fields = list(COMPETITOR_FIELDS)
        widgets = {
            "strengths": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in COMPETITOR_FIELDS}


class AccountCompetitorForm(forms.ModelForm):
    class Meta:
        model = AccountCompetitor
        fields = [*PRESENCE_FIELDS[:1], "categories", *PRESENCE_FIELDS[1:]]
        widgets = {
            "last_seen": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "won_account_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "categories": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, account: Account, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.account = account
        self.fields["categories"].queryset = ProductCategory.objects.order_by("name")
        if self.instance.pk:
            self.fields["competitor"].disabled = True

    def service_data(self) -> tuple[dict, list]:
        data = {name: self.cleaned_data[name] for name in PRESENCE_FIELDS}
        return data, list(self.cleaned_data["categories"])

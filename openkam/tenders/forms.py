from __future__ import annotations

from django import forms

from openkam.accounts.currencies import currency_choices
from openkam.accounts.models import Account

from .models import Tender
from .services import TENDER_FIELDS


class TenderForm(forms.ModelForm):
    class Meta:
        model = Tender
        fields = list(TENDER_FIELDS)
        widgets = {
            "announced_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "submitted_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "decided_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "lost_comment": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, account: Account, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.account = account
        self.fields["currency"] = forms.ChoiceField(
            label=self.fields["currency"].label,
            choices=[("", "—"), *currency_choices()],
            required=False,
        )
        if not self.instance.pk:
            self.initial.setdefault("currency", account.reporting_currency)

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in TENDER_FIELDS}

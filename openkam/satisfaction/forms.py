from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account, AccountStatus
from openkam.stakeholders.models import Stakeholder

from .models import SurveyResponse
from .services import SURVEY_FIELDS


class SurveyResponseForm(forms.ModelForm):
    """Quick entry: who (or nobody, for an anonymous answer), when, a CSAT and/or an NPS."""

    class Meta:
        model = SurveyResponse
        fields = list(SURVEY_FIELDS)
        widgets = {
            "answered_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "csat": forms.NumberInput(attrs={"min": 1, "max": 5, "step": 1}),
            "nps": forms.NumberInput(attrs={"min": 0, "max": 10, "step": 1}),
            "comment": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, account: Account, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.account = account
        people = Stakeholder.objects.filter(account=account, active=True)
        if self.instance.stakeholder_id:  # an answer of somebody who has left or moved since
            people = people | Stakeholder.objects.filter(pk=self.instance.stakeholder_id)
        self.fields["stakeholder"].queryset = people.order_by("name")
        self.fields["stakeholder"].empty_label = _("— anonymous —")
        if not self.instance.pk:
            self.initial.setdefault("answered_on", timezone.localdate())

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in SURVEY_FIELDS}


TREND_CHOICES = [("down", _("Falling")), ("up", _("Rising")), ("flat", _("Steady"))]
ORDER_CHOICES = [
    ("nps", _("Lowest NPS first")),
    ("csat", _("Lowest CSAT first")),
    ("recent", _("Latest answers first")),
    ("name", _("Account name")),
]


class SatisfactionListForm(forms.Form):
    """The filters of the satisfaction list (accounts, not answers)."""

    q = forms.CharField(label=_("Account"), required=False, max_length=200)
    owner = forms.CharField(label=_("Owner"), required=False, max_length=150)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", "—"), *AccountStatus.choices]
    )
    trend = forms.ChoiceField(label=_("Trend"), required=False, choices=[("", "—"), *TREND_CHOICES])
    detractors = forms.BooleanField(label=_("Only with detractor decision makers"), required=False)
    order = forms.ChoiceField(label=_("Order"), required=False, choices=ORDER_CHOICES)

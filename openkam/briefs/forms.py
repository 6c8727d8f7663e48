from __future__ import annotations

from django import forms
from django.utils import timezone

from openkam.accounts.models import Account
from openkam.stakeholders.models import Stakeholder
from openkam.users.models import User

from .models import NegotiationBrief
from .services import BRIEF_FIELDS


class BriefForm(forms.ModelForm):
    class Meta:
        model = NegotiationBrief
        fields = [*BRIEF_FIELDS[:2], "attendees", "our_people", *BRIEF_FIELDS[2:]]
        widgets = {
            "meeting_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "attendees": forms.CheckboxSelectMultiple,
            "our_people": forms.CheckboxSelectMultiple,
            "goals": forms.Textarea(attrs={"rows": 3}),
            "questions": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user: User, account: Account, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.account = account
        self.fields["attendees"].queryset = Stakeholder.objects.filter(
            account=account, active=True
        ).order_by("name")
        team = account.team.values("user_id")
        self.fields["our_people"].queryset = User.objects.filter(
            is_active=True, pk__in=team
        ).order_by("username")
        if not self.instance.pk:
            self.initial.setdefault("meeting_on", timezone.localdate())
            self.initial.setdefault("our_people", [user.pk])

    def service_data(self) -> tuple[dict, list, list]:
        data = {name: self.cleaned_data[name] for name in BRIEF_FIELDS}
        return data, list(self.cleaned_data["attendees"]), list(self.cleaned_data["our_people"])

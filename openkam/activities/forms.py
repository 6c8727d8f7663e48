from __future__ import annotations

from django import forms
from django.utils import timezone

from openkam.accounts.models import Account
from openkam.stakeholders.models import Stakeholder
from openkam.users.models import User

from .models import Activity
from .services import ACTIVITY_FIELDS


class ActivityForm(forms.ModelForm):
    """Quick entry: the kind, a subject and the people; the rest is optional."""

    class Meta:
        model = Activity
        fields = [*ACTIVITY_FIELDS[:5], "their_people", "our_people", *ACTIVITY_FIELDS[5:]]
        widgets = {
            "occurred_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "next_step_due": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "their_people": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user: User, account: Account, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.account = account
        self.fields["their_people"].queryset = Stakeholder.objects.filter(
            account=account, active=True
        ).order_by("name")
        self.fields["our_people"].queryset = User.objects.filter(is_active=True).order_by(
            "username"
        )
        if not self.instance.pk:
            self.initial.setdefault(
                "occurred_at", timezone.localtime().replace(second=0, microsecond=0)
            )
            self.initial.setdefault("our_people", [user.pk])
            self.initial.setdefault(
                "kind", self.fields["kind"].queryset.filter(code="meeting").first()
            )

    def service_data(self) -> tuple[dict, list, list]:
        data = {name: self.cleaned_data[name] for name in ACTIVITY_FIELDS}
        return data, list(self.cleaned_data["our_people"]), list(self.cleaned_data["their_people"])

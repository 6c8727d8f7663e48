from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openkam.activities.models import Activity
from openkam.stakeholders.models import Stakeholder
from openkam.users.models import User

from .models import (
    BUSINESS_REVIEW,
    MAX_YEAR,
    MIN_YEAR,
    AccountPlan,
    PlanAction,
    PlanObjective,
    PlanReview,
    PlanRisk,
    ValueProposition,
)
from .services import (
    ACTION_FIELDS,
    OBJECTIVE_FIELDS,
    PLAN_FIELDS,
    REVIEW_FIELDS,
    RISK_FIELDS,
    VALUE_PROPOSITION_FIELDS,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _ServiceForm(forms.ModelForm):
    service_fields: tuple[str, ...] = ()

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.service_fields}


class AccountPlanForm(_ServiceForm):
    service_fields = PLAN_FIELDS

    class Meta:
        model = AccountPlan
        fields = list(PLAN_FIELDS)
        widgets = {"ambition": forms.Textarea(attrs={"rows": 3})}


class PlanYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR)


class ValuePropositionForm(_ServiceForm):
    service_fields = VALUE_PROPOSITION_FIELDS

    class Meta:
        model = ValueProposition
        fields = list(VALUE_PROPOSITION_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "expected_effect": forms.Textarea(attrs={"rows": 2}),
        }


class PlanObjectiveForm(_ServiceForm):
    service_fields = OBJECTIVE_FIELDS

    class Meta:
        model = PlanObjective
        fields = list(OBJECTIVE_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class PlanActionForm(_ServiceForm):
    service_fields = ACTION_FIELDS

    class Meta:
        model = PlanAction
        fields = list(ACTION_FIELDS)
        widgets = {"due_date": DATE, "done_on": DATE}

    def __init__(self, *args, account, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(
            is_active=True, account_memberships__account=account
        ).order_by("username")
        if not self.instance.pk:
            self.initial.setdefault("owner", user.pk)


class PlanRiskForm(_ServiceForm):
    service_fields = RISK_FIELDS

    class Meta:
        model = PlanRisk
        fields = list(RISK_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "mitigation": forms.Textarea(attrs={"rows": 2}),
        }


class PlanReviewForm(_ServiceForm):
    service_fields = REVIEW_FIELDS

    class Meta:
        model = PlanReview
        fields = ["held_on", "our_attendees", "their_attendees", "notes", "activity"]
        widgets = {
            "held_on": DATE,
            "their_attendees": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, account, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["our_attendees"].queryset = User.objects.filter(is_active=True).order_by(
            "username"
        )
        self.fields["their_attendees"].queryset = Stakeholder.objects.filter(
            account=account, active=True
        ).order_by("name")
        self.fields["activity"].queryset = Activity.objects.filter(
            account=account, kind__code=BUSINESS_REVIEW
        ).order_by("-occurred_at")
        if not self.instance.pk:
            self.initial.setdefault("held_on", timezone.localdate())
            self.initial.setdefault("our_attendees", [user.pk])

    def attendees(self) -> tuple[list, list]:
        return list(self.cleaned_data["our_attendees"]), list(self.cleaned_data["their_attendees"])

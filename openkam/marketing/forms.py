from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account
from openkam.stakeholders.models import Stakeholder
from openkam.users.models import User

from .models import ListKind, Programme, ProgrammeStep, TargetList, TouchKind
from .services import LIST_FIELDS, PROGRAMME_FIELDS, STEP_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _active_users():
    return User.objects.filter(is_active=True).order_by("username")


class TargetListForm(forms.ModelForm):
    """A list's name, tier, owner and — for a list by rule — its criteria. The kind is chosen
    when the list is made."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ListKind.choices, initial=ListKind.RULE)

    class Meta:
        model = TargetList
        fields = ["kind", *LIST_FIELDS]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _active_users()
        if self.instance.pk:
            del self.fields["kind"]
            if self.instance.kind == ListKind.STATIC:
                for name in TargetList.RULE_FIELDS:
                    del self.fields[name]

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in LIST_FIELDS if name in self.fields}


class AddAccountsForm(forms.Form):
    """Accounts to put on a static list, by name (one of the accounts the user may see)."""

    account = forms.ModelChoiceField(
        label=_("Account"), queryset=Account.objects.none(), to_field_name="pk"
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = Account.objects.visible_to(user).order_by("name")


class FreezeForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the static list"),
        max_length=200,
        required=False,
        help_text=_("Leave empty for the list's name and today's date."),
    )


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = list(PROGRAMME_FIELDS)
        widgets = {
            "objectives": forms.Textarea(attrs={"rows": 4}),
            "starts_on": DATE,
            "ends_on": DATE,
        }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = Account.objects.visible_to(user).order_by("name")
        self.fields["target_list"].queryset = TargetList.objects.visible_to(user).order_by("name")
        self.fields["marketing_owner"].queryset = _active_users()
        self.fields["sales_owner"].queryset = _active_users()
        if not self.instance.pk:
            self.initial.setdefault("starts_on", timezone.localdate())

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in PROGRAMME_FIELDS}


class StepForm(forms.ModelForm):
    class Meta:
        model = ProgrammeStep
        fields = list(STEP_FIELDS)
        widgets = {"on": DATE, "notes": forms.Textarea(attrs={"rows": 2})}

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in STEP_FIELDS}


class TouchForm(forms.Form):
    """Who, how, for which step of the programme; the date is the step's unless given."""

    step = forms.ModelChoiceField(label=_("Step"), queryset=ProgrammeStep.objects.none())
    stakeholder = forms.ModelChoiceField(
        label=_("Stakeholder"), queryset=Stakeholder.objects.none()
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=TouchKind.choices)
    on = forms.DateField(label=_("Date"), required=False, widget=DATE)

    def __init__(self, *args, programme: Programme, people, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["step"].queryset = programme.steps.order_by("on", "pk")
        self.fields["stakeholder"].queryset = people

    def service_data(self) -> dict:
        data = {"kind": self.cleaned_data["kind"]}
        if self.cleaned_data.get("on"):
            data["on"] = self.cleaned_data["on"]
        return data

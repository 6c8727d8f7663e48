from __future__ import annotations

from django import forms
from django.utils import timezone

from openkam.accounts.models import Account

from .models import AREA_QUESTIONS, AccountProfile, Area, KeyFigure, PortraitSection
from .services import KEY_FIGURE_FIELDS, PROFILE_FIELDS, SECTION_FIELDS


class ProfileForm(forms.ModelForm):
    class Meta:
        model = AccountProfile
        fields = list(PROFILE_FIELDS)
        widgets = {"organisation_notes": forms.Textarea(attrs={"rows": 5})}

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in PROFILE_FIELDS}


class KeyFigureForm(forms.ModelForm):
    class Meta:
        model = KeyFigure
        fields = list(KEY_FIGURE_FIELDS)
        widgets = {"currency": forms.TextInput(attrs={"size": 3, "autocapitalize": "characters"})}

    def __init__(self, *args, account: Account, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.account = account
        if not self.instance.pk:
            self.initial.setdefault("year", timezone.localdate().year - 1)
            self.initial.setdefault("currency", account.reporting_currency)

    def clean_currency(self) -> str:
        return (self.cleaned_data.get("currency") or "").strip().upper()

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in KEY_FIGURE_FIELDS}


class PortraitSectionForm(forms.ModelForm):
    class Meta:
        model = PortraitSection
        fields = list(SECTION_FIELDS)
        widgets = {
            "text": forms.Textarea(attrs={"rows": 6}),
            "reviewed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, account: Account, area: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.account = account
        self.instance.area = area
        self.fields["text"].label = Area(area).label
        self.fields["text"].help_text = AREA_QUESTIONS[Area(area)]
        # saving is reviewing: today unless the person says otherwise
        self.initial["reviewed_on"] = timezone.localdate()

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in SECTION_FIELDS}

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .rules import Rule

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SnoozeForm(forms.Form):
    until = forms.DateField(label=_("Snooze until"), widget=_DATE)


class ResolveForm(forms.Form):
    note = forms.CharField(
        label=_("How it was resolved"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class PlaybookForm(forms.Form):
    """The playbook's steps to turn into plan actions, and when they are due."""

    steps = forms.TypedMultipleChoiceField(
        label=_("Steps"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    due_date = forms.DateField(label=_("Due by"), widget=_DATE)

    def __init__(self, *args, playbook: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["steps"].choices = list(enumerate(playbook))
        self.initial.setdefault("steps", list(range(len(playbook))))
        self.initial.setdefault("due_date", timezone.localdate() + dt.timedelta(days=14))


class RuleSettingsForm(forms.Form):
    """One rule: on or off, and its thresholds."""

    enabled = forms.BooleanField(label=_("Enabled"), required=False)
    note = forms.CharField(label=_("Note"), max_length=250, required=False)

    def __init__(self, *args, rule: Rule, values: dict[str, float], enabled: bool, **kwargs):
        kwargs.setdefault("prefix", rule.key)
        super().__init__(*args, **kwargs)
        self.rule = rule
        self.initial.setdefault("enabled", enabled)
        for threshold in rule.thresholds:
            self.fields[f"t_{threshold.key}"] = forms.FloatField(
                label=threshold.label,
                min_value=threshold.minimum,
                max_value=threshold.maximum,
            )
            self.initial.setdefault(f"t_{threshold.key}", values.get(threshold.key))

    def thresholds(self) -> dict[str, float]:
        return {
            t.key: self.cleaned_data[f"t_{t.key}"]
            for t in self.rule.thresholds
            if self.cleaned_data.get(f"t_{t.key}") is not None
        }

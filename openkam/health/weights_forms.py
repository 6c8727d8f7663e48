"""The directors' form for the health weights and thresholds, and the backtest's date."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import components as registry
from .models import MAX_WEIGHT, HealthWeights

PREFIX = "weight_"


class WeightsForm(forms.Form):
    """A weight per registered component (0–100, at least one above 0), where green and amber
    start (0 ≤ amber < green ≤ 100) and a note."""

    green_from = forms.FloatField(
        label=gettext_lazy("Green from"),
        min_value=0,
        max_value=100,
        help_text=gettext_lazy("A score at least this high is green."),
        widget=forms.NumberInput(attrs={"step": "any", "min": 0, "max": 100}),
    )
    amber_from = forms.FloatField(
        label=gettext_lazy("Amber from"),
        min_value=0,
        max_value=100,
        help_text=gettext_lazy("At least this high and below green: amber; lower: red."),
        widget=forms.NumberInput(attrs={"step": "any", "min": 0, "max": 100}),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=250,
        required=False,
        help_text=gettext_lazy("Why the weights change (shown in their history)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        weight_fields = {}
        for component in registry.components():
            weight_fields[PREFIX + component.key] = forms.FloatField(
                label=component.label,
                min_value=0,
                max_value=MAX_WEIGHT,
                help_text=component.description,
                widget=forms.NumberInput(attrs={"step": "any", "min": 0, "max": MAX_WEIGHT}),
            )
        # the weights first, then the thresholds and the note
        self.fields = {**weight_fields, **self.fields}

    @classmethod
    def initial_from(cls, weights: HealthWeights) -> dict:
        initial = {PREFIX + key: value for key, value in weights.as_dict().items()}
        return {**initial, "green_from": weights.green_from, "amber_from": weights.amber_from}

    def weight_fields(self):
        return [self[name] for name in self.fields if name.startswith(PREFIX)]

    def other_fields(self):
        return [self[name] for name in self.fields if not name.startswith(PREFIX)]

    def clean(self):
        cleaned = super().clean()
        values = [cleaned.get(name) for name in self.fields if name.startswith(PREFIX)]
        if values and all(v is not None for v in values) and not any(v > 0 for v in values):
            raise forms.ValidationError(_("At least one component must count: not all zero."))
        green, amber = cleaned.get("green_from"), cleaned.get("amber_from")
        if green is not None and amber is not None and amber >= green:
            self.add_error("amber_from", _("Amber must start below green."))
        return cleaned

    def weights(self) -> dict[str, float]:
        return {
            name.removeprefix(PREFIX): float(self.cleaned_data[name])
            for name in self.fields
            if name.startswith(PREFIX)
        }


class BacktestDateForm(forms.Form):
    as_of = forms.DateField(label=gettext_lazy("Backtest as of"), required=False)

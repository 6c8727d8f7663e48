from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from openkam.analytics.sellout import Period, parse_period

PERIOD_HELP = _(
    "A year (2025), a quarter (2025-Q2), a month (2025-03) or months (2024-07..2025-06)."
)


class PeriodField(forms.CharField):
    def clean(self, value) -> Period | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_period(text)
        except ValueError as error:
            raise forms.ValidationError(
                _("“%(value)s” is not a period. %(help)s"),
                params={"value": text, "help": PERIOD_HELP},
            ) from error


class PeriodsForm(forms.Form):
    """Which two periods to compare (both, or neither for the last twelve months)."""

    before = PeriodField(label=_("Compare"), required=False, max_length=40, help_text=PERIOD_HELP)
    after = PeriodField(label=_("with"), required=False, max_length=40)

    def clean(self):
        data = super().clean()
        if bool(data.get("before")) != bool(data.get("after")):
            raise forms.ValidationError(_("Give both periods, or neither."))
        return data

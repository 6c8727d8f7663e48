from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openkam.catalog.models import ProductCategory

from .models import WalletEstimate


class AcceptForm(forms.Form):
    expected_value = forms.DecimalField(
        label=_("Expected value a year"), min_value=0, max_digits=18, decimal_places=2,
        required=False, help_text=_("Empty: the suggested expected revenue."),
    )  # fmt: skip
    add_to_plan = forms.BooleanField(
        label=_("Add it to this year's account plan as an action"), required=False
    )


class DismissForm(forms.Form):
    reason = forms.CharField(label=_("Why dismiss it?"), max_length=2000, widget=forms.Textarea(
        attrs={"rows": 2}))  # fmt: skip


class WalletEstimateForm(forms.ModelForm):
    class Meta:
        model = WalletEstimate
        fields = ["category", "year", "estimated_spend", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = ProductCategory.objects.order_by("name", "pk")
        if not self.instance.pk:
            self.initial.setdefault("year", timezone.localdate().year)

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

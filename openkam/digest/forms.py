from django import forms
from django.utils.translation import gettext_lazy as _


class SubscriptionForm(forms.Form):
    subscribed = forms.TypedChoiceField(
        label=_("Receive the weekly digest"),
        choices=[("1", _("Yes")), ("0", _("No"))],
        coerce=lambda value: value == "1",
    )

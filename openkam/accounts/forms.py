from __future__ import annotations

from django import forms
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from openkam.users.models import User

from .currencies import currency_choices
from .models import Account, AccountStatus, AccountTeamMember
from .services import ACCOUNT_FIELDS, editable_account_fields, marketing_only


class AccountByNameField(forms.CharField):
    """Pick an account by typing its name or external id (a select of 10,000 accounts helps
    nobody). Only accounts the user can see are found."""

    def __init__(self, *, queryset, **kwargs) -> None:
        self.queryset = queryset
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"list": "account-names", "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Account):
            return value.name
        if isinstance(value, int):
            account = self.queryset.filter(pk=value).first()
            return account.name if account else ""
        return value

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        matches = list(self.queryset.filter(Q(external_id=value) | Q(name=value))[:2])
        if not matches:
            raise forms.ValidationError(
                _(
                    "No account named “%(value)s” that you can see; type its exact name or its "
                    "external id."
                ),
                params={"value": value},
                code="unknown_account",
            )
        if len(matches) > 1:
            raise forms.ValidationError(
                _("Several accounts are named “%(value)s”; type the external id instead."),
                params={"value": value},
                code="ambiguous_account",
            )
        return matches[0]


def owner_candidates():
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(
                groups__permissions__codename="change_account",
                groups__permissions__content_type__app_label="accounts",
            )
        )
        .distinct()
        .order_by("username")
    )


def _https_by_default(model_field, **kwargs):
    """A website typed without a scheme gets https://, not Django 5's http://."""
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return model_field.formfield(**kwargs)


class AccountForm(forms.ModelForm):
    owner = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=_("Owner (key account manager)"),
        help_text=_("Required for key accounts."),
    )

    class Meta:
        model = Account
        fields = ACCOUNT_FIELDS
        formfield_callback = _https_by_default
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "history": forms.Textarea(attrs={"rows": 3}),
            "environment_notes": forms.Textarea(attrs={"rows": 3}),
            "reporting_currency": forms.Select(),
        }

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["parent"] = AccountByNameField(
            queryset=Account.objects.visible_to(user, "view").exclude(pk=self.instance.pk),
            required=False,
            label=_("Parent account"),
            help_text=_("The group this account belongs to: its name or external id."),
        )
        if self.instance.pk:
            self.initial["parent"] = self.instance.parent
        self.fields["reporting_currency"].widget.choices = currency_choices()
        self.fields["owner"].queryset = owner_candidates()
        if self.instance.pk:
            current = self.instance.team.filter(role="owner").first()
            self.initial.setdefault("owner", current.user_id if current else None)
        allowed = set(editable_account_fields(user))
        for name in list(self.fields):
            if name not in allowed and name != "owner":
                del self.fields[name]
        if marketing_only(user):
            del self.fields["owner"]
        if "status" in self.fields:
            self._status_by_nomination_only()

    def _status_by_nomination_only(self) -> None:
        """Key-account status is granted and ended by nomination decisions, never here."""
        status = self.fields["status"]
        if self.instance.status == AccountStatus.KEY:
            status.disabled = True
            status.help_text = _(
                "A key account. To end that, de-nominate it on its key-account page."
            )
        else:
            status.choices = [c for c in status.choices if c[0] != AccountStatus.KEY]
            status.help_text = _(
                "To make it a key account, nominate it (Key accounts › Candidates)."
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == "key" and "owner" in self.fields and not cleaned.get("owner"):
            self.add_error("owner", _("A key account needs an owner (its key account manager)."))
        return cleaned

    def account_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "owner"}


class TeamMemberForm(forms.ModelForm):
    class Meta:
        model = AccountTeamMember
        fields = ["user", "role", "since", "note"]
        widgets = {"since": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, account: Account, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.account = account
        self.fields["user"].queryset = owner_candidates().exclude(
            pk__in=account.team.values("user_id")
        )

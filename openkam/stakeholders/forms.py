from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openkam.accounts.forms import AccountByNameField
from openkam.accounts.models import Account
from openkam.users.models import User

from .models import BuyingRole, Department, DepartmentKind, Stakeholder
from .services import STAKEHOLDER_FIELDS, editable_stakeholder_fields


class StakeholderForm(forms.ModelForm):
    class Meta:
        model = Stakeholder
        fields = STAKEHOLDER_FIELDS
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user: User, account: Account, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.account = account
        if "department" in self.fields:
            self.fields["department"].queryset = Department.objects.filter(
                account=account
            ).select_related("kind")
        if "reports_to" in self.fields:
            bosses = Stakeholder.objects.filter(account=account, active=True)
            if self.instance.pk:
                bosses = bosses.exclude(pk=self.instance.pk)
            self.fields["reports_to"].queryset = bosses.order_by("name")
        allowed = set(editable_stakeholder_fields(user))
        for name in list(self.fields):
            if name not in allowed:
                del self.fields[name]


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["kind", "name"]

    def __init__(self, *args, account: Account, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.account = account


class StakeholderLeaveForm(forms.Form):
    on = forms.DateField(
        label=_("Left on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class StakeholderMoveForm(forms.Form):
    account = AccountByNameField(queryset=Account.objects.none(), label=_("New account"))
    department_kind = forms.ModelChoiceField(
        queryset=DepartmentKind.objects.all(), required=False, label=_("Department")
    )
    job_title = forms.CharField(max_length=200, required=False, label=_("Job title"))
    buying_role = forms.ChoiceField(
        choices=[("", "—"), *BuyingRole.choices],
        required=False,
        label=_("Role in the buying decision"),
    )
    on = forms.DateField(
        label=_("Since"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, user: User, stakeholder: Stakeholder, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = Account.objects.visible_to(user, "change").exclude(
            pk=stakeholder.account_id
        )

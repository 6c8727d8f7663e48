from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils import timezone

from openkam.accounts.models import Account
from openkam.activities.models import Activity
from openkam.plans.models import PlanAction
from openkam.stakeholders.models import Stakeholder
from openkam.tenders.models import Tender
from openkam.users.models import User

from .models import Commitment, CustomerRequest
from .services import COMMITMENT_FIELDS, REQUEST_FIELDS

_DATE = {"type": "date"}
_MOMENT = {"type": "datetime-local"}
_MOMENT_FORMAT = "%Y-%m-%dT%H:%M"
# Activities offered as where a commitment was made: those of the last year.
_ACTIVITY_DAYS = 365


def _owners(account: Account, actor: User | None):
    """Who can own it: the account's team, and whoever records it."""
    team = Q(account_memberships__account=account)
    if actor is not None:
        team |= Q(pk=actor.pk)
    return User.objects.filter(team, is_active=True).distinct().order_by("username")


class _AccountForm(forms.ModelForm):
    field_names: tuple[str, ...] = ()

    def __init__(self, *args, account: Account, actor: User | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.account = account
        self.account = account
        if "owner" in self.fields:
            self.fields["owner"].queryset = _owners(account, actor)
            self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username
            if not self.instance.pk and actor is not None:
                self.initial.setdefault("owner", actor.pk)
        for name in ("their_owner", "stakeholder"):
            if name in self.fields:
                self.fields[name].queryset = Stakeholder.objects.filter(account=account).order_by(
                    "name"
                )

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.field_names if name in self.fields}


class CommitmentForm(_AccountForm):
    field_names = COMMITMENT_FIELDS

    class Meta:
        model = Commitment
        fields = list(COMMITMENT_FIELDS)
        widgets = {
            "promised_on": forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
            "due_on": forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
            "done_on": forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, account: Account, actor: User | None = None, **kwargs) -> None:
        super().__init__(*args, account=account, actor=actor, **kwargs)
        since = timezone.now() - dt.timedelta(days=_ACTIVITY_DAYS)
        if "activity" in self.fields:
            self.fields["activity"].queryset = Activity.objects.filter(
                account=account, occurred_at__gte=since
            ).order_by("-occurred_at")
        if "plan_action" in self.fields:
            self.fields["plan_action"].queryset = PlanAction.objects.filter(
                objective__plan__account=account
            ).order_by("-objective__plan__year", "due_date")
        if "tender" in self.fields:
            self.fields["tender"].queryset = Tender.objects.filter(account=account).order_by(
                "-announced_on", "-id"
            )


class CommitmentQuickForm(CommitmentForm):
    """The few fields of the Promises tab's quick form."""

    class Meta(CommitmentForm.Meta):
        fields = ["direction", "description", "due_on", "owner", "their_owner"]

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "commitment_%s")  # unique ids beside the request form
        super().__init__(*args, **kwargs)


class RequestForm(_AccountForm):
    field_names = REQUEST_FIELDS

    class Meta:
        model = CustomerRequest
        fields = list(REQUEST_FIELDS)
        widgets = {
            "received_at": forms.DateTimeInput(attrs=_MOMENT, format=_MOMENT_FORMAT),
            "first_answered_at": forms.DateTimeInput(attrs=_MOMENT, format=_MOMENT_FORMAT),
            "closed_at": forms.DateTimeInput(attrs=_MOMENT, format=_MOMENT_FORMAT),
            "details": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, account: Account, actor: User | None = None, **kwargs) -> None:
        super().__init__(*args, account=account, actor=actor, **kwargs)
        if not self.instance.pk:
            now = timezone.localtime().replace(second=0, microsecond=0)
            self.initial.setdefault("received_at", now)


class RequestQuickForm(RequestForm):
    class Meta(RequestForm.Meta):
        fields = ["kind", "subject", "stakeholder", "received_at", "owner"]

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "request_%s")
        super().__init__(*args, **kwargs)

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openkam.accounts.forms import owner_candidates
from openkam.accounts.models import Account, TeamRole
from openkam.users.selectors import account_team_candidates

from .models import (
    SCORECARD_CRITERIA,
    Answer,
    KeyAccountType,
    ProspectAssessment,
    ProspectCriterion,
    QualificationRating,
    QualificationWeights,
    RatedCriterion,
)

DATE = forms.DateInput(attrs={"type": "date"})


def _person(user) -> str:
    name = user.get_full_name()
    return f"{user.get_username()} ({name})" if name else user.get_username()


class OwnerChoiceField(forms.ModelChoiceField):
    """People by username, the name the workload and the lists show, then their full name."""

    def label_from_instance(self, obj) -> str:
        return _person(obj)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return _person(obj)


class NominationForm(forms.Form):
    owner = OwnerChoiceField(
        queryset=None,
        label=_("Owner (key account manager)"),
        help_text=_("The manager who will look after the account."),
    )
    support = PeopleChoiceField(
        queryset=None,
        required=False,
        label=_("Support"),
        help_text=_("Others on the account team (hold Ctrl or ⌘ to choose several)."),
    )
    executive_sponsor = OwnerChoiceField(
        queryset=None, required=False, label=_("Executive sponsor")
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why this customer is worth building into a key account."),
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE, initial=timezone.localdate)
    override_capacity = forms.BooleanField(
        required=False,
        label=_("Nominate even if the owner is over capacity"),
        help_text=_("Recorded with the decision."),
    )

    def __init__(self, *args, account: Account, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owner_candidates()
        current = account.team.filter(role=TeamRole.OWNER).first()
        if current is not None:
            self.initial.setdefault("owner", current.user_id)
        self.fields["support"].queryset = owner_candidates()
        self.fields["executive_sponsor"].queryset = account_team_candidates()

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "owner": data["owner"],
            "support": list(data.get("support") or []),
            "executive_sponsor": data.get("executive_sponsor"),
            "reason": data["reason"],
            "decided_on": data["decided_on"],
            "override_capacity": data["override_capacity"],
        }


class DenominationForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the customer is no longer treated as a key account."),
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE, initial=timezone.localdate)


class ReassignForm(forms.Form):
    owner = OwnerChoiceField(queryset=None, label=_("New owner"))
    note = forms.CharField(
        label=_("Handover note"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the new owner needs to know: open deals, promises, people, risks."),
    )
    override_capacity = forms.BooleanField(
        required=False,
        label=_("Reassign even if the new owner is over capacity"),
        help_text=_("Recorded with the handover."),
    )

    def __init__(self, *args, account: Account, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        current = account.team.filter(role=TeamRole.OWNER).values_list("user_id", flat=True)
        self.fields["owner"].queryset = owner_candidates().exclude(pk__in=list(current))


class TypeForm(forms.Form):
    type = forms.ChoiceField(
        choices=KeyAccountType.choices,
        label=_("Type"),
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Why"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What makes this customer of this type."),
    )


class _PerCriterionForm(forms.Form):
    """One pair of fields per criterion, prefilled with the current values; only criteria the
    user changed are recorded."""

    pairs: tuple[str, str] = ("", "")
    criterion_values: list[str] = []
    criterion_choices: list[tuple[str, str]] = []

    def changed_criteria(self) -> dict[str, tuple]:
        first, second = self.pairs
        changed = {}
        for criterion in self.criterion_values:
            keys = (f"{criterion}_{first}", f"{criterion}_{second}")
            value = tuple(self.cleaned_data.get(k) for k in keys)
            if value[0] in (None, ""):
                continue
            if any(k in self.changed_data for k in keys):
                changed[criterion] = value
        return changed

    def criterion_rows(self):
        """(criterion label, first bound field, second bound field) for the template."""
        first, second = self.pairs
        return [
            (label, self[f"{value}_{first}"], self[f"{value}_{second}"])
            for value, label in self.criterion_choices
        ]


class ThreePsForm(_PerCriterionForm):
    pairs = ("answer", "evidence")
    criterion_values = ProspectCriterion.values
    criterion_choices = ProspectCriterion.choices

    def __init__(self, *args, current: dict[str, ProspectAssessment | None], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for value in ProspectCriterion.values:
            row = current.get(value)
            self.fields[f"{value}_answer"] = forms.ChoiceField(
                choices=Answer.choices,
                label=_("Answer"),
                initial=row.answer if row else Answer.UNKNOWN,
                widget=forms.RadioSelect,
            )
            self.fields[f"{value}_evidence"] = forms.CharField(
                required=False,
                label=_("Evidence"),
                initial=row.evidence if row else "",
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=ProspectAssessment._meta.get_field("evidence").help_text,
            )

    def clean(self):
        cleaned = super().clean()
        for value in ProspectCriterion.values:
            answer = cleaned.get(f"{value}_answer")
            if answer in (Answer.YES, Answer.NO) and not cleaned.get(f"{value}_evidence"):
                self.add_error(
                    f"{value}_evidence",
                    _("A yes or a no needs its evidence: where does it come from?"),
                )
        if not self.errors and not self.changed_criteria():
            raise forms.ValidationError(_("Nothing changed: change an answer or its evidence."))
        return cleaned


SCORES = [("", "—"), *[(str(n), str(n)) for n in range(1, 6)]]


class RatingsForm(_PerCriterionForm):
    pairs = ("score", "comment")
    criterion_values = RatedCriterion.values
    criterion_choices = RatedCriterion.choices

    def __init__(self, *args, current: dict[str, QualificationRating | None], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for value in RatedCriterion.values:
            row = current.get(value)
            self.fields[f"{value}_score"] = forms.TypedChoiceField(
                choices=SCORES,
                coerce=int,
                empty_value=None,
                required=False,
                label=_("Score"),
                initial=row.score if row else None,
                help_text=_("1 (poor) to 5 (excellent)."),
            )
            self.fields[f"{value}_comment"] = forms.CharField(
                required=False,
                label=_("Comment"),
                initial=row.comment if row else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean(self):
        cleaned = super().clean()
        for value in RatedCriterion.values:
            score = cleaned.get(f"{value}_score")
            if score is not None and not cleaned.get(f"{value}_comment"):
                self.add_error(f"{value}_comment", _("Say what the rating rests on."))
        if not self.errors and not self.changed_criteria():
            raise forms.ValidationError(_("Nothing changed: rate at least one criterion."))
        return cleaned


class WeightsForm(forms.ModelForm):
    class Meta:
        model = QualificationWeights
        fields = [*SCORECARD_CRITERIA, "note"]
        widgets = {
            name: forms.NumberInput(attrs={"min": 0, "max": 100}) for name in SCORECARD_CRITERIA
        }

    def clean(self):
        cleaned = super().clean()
        values = [cleaned.get(name) for name in SCORECARD_CRITERIA]
        if all(v is not None for v in values) and not any(values):
            raise forms.ValidationError(_("At least one criterion must count: not all zero."))
        return cleaned

    def weights(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in SCORECARD_CRITERIA}

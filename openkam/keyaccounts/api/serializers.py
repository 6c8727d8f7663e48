from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from openkam.accounts.models import Account
from openkam.core.api.fields import SlugRelatedField, VisibleRelatedField
from openkam.users.models import User

from ..models import (
    SCORECARD_CRITERIA,
    Handover,
    KeyAccountTypeAssignment,
    NominationDecision,
    NominationKind,
    ProspectAssessment,
    QualificationRating,
    QualificationWeights,
)


def _username_field(**kwargs) -> SlugRelatedField:
    return SlugRelatedField(
        slug_field="username", queryset=User.objects.filter(is_active=True), **kwargs
    )


# -- Nominations ------------------------------------------------------------------------------


class NominationDecisionSerializer(serializers.ModelSerializer):
    account_name = serializers.CharField(source="account.name", read_only=True)
    owner = SlugRelatedField(slug_field="username", read_only=True)
    decided_by = SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = NominationDecision
        fields = [
            "id",
            "account",
            "account_name",
            "kind",
            "reason",
            "decided_on",
            "decided_by",
            "owner",
            "previous_status",
            "capacity_override",
            "created_at",
        ]
        read_only_fields = fields


class NominationCreateSerializer(serializers.Serializer):
    account = VisibleRelatedField(Account)
    kind = serializers.ChoiceField(choices=NominationKind.choices)
    reason = serializers.CharField(max_length=5000)
    decided_on = serializers.DateField(
        required=False, help_text=_("When the decision was taken (default: today).")
    )
    owner = _username_field(
        required=False,
        allow_null=True,
        help_text=_("Nominate: username of the key account manager who will own the account."),
    )
    support = serializers.ListField(
        child=_username_field(),
        required=False,
        max_length=20,
        help_text=_("Nominate: usernames to put on the account team as support."),
    )
    executive_sponsor = _username_field(required=False, allow_null=True)
    override_capacity = serializers.BooleanField(
        default=False,
        help_text=_(
            "Nominate even if the owner already has as many key accounts as they can serve."
        ),
    )

    def validate(self, attrs):
        if attrs["kind"] == NominationKind.NOMINATE and not attrs.get("owner"):
            raise serializers.ValidationError(
                {"owner": _("A key account needs an owner (its key account manager).")}
            )
        return attrs


# -- Types, three P's, ratings ---------------------------------------------------------------


class KeyAccountTypeSerializer(serializers.ModelSerializer):
    account = VisibleRelatedField(Account)
    set_by = SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = KeyAccountTypeAssignment
        fields = ["id", "account", "type", "reason", "set_by", "created_at"]
        read_only_fields = ["set_by", "created_at"]


class ProspectAssessmentSerializer(serializers.ModelSerializer):
    account = VisibleRelatedField(Account)
    assessed_by = SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ProspectAssessment
        fields = ["id", "account", "criterion", "answer", "evidence", "assessed_by", "created_at"]
        read_only_fields = ["assessed_by", "created_at"]
        validators = []  # the service validates, after the account's scope is checked


class QualificationRatingSerializer(serializers.ModelSerializer):
    account = VisibleRelatedField(Account)
    rated_by = SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = QualificationRating
        fields = ["id", "account", "criterion", "score", "comment", "rated_by", "created_at"]
        read_only_fields = ["rated_by", "created_at"]
        validators = []


# -- Weights ---------------------------------------------------------------------------------


class QualificationWeightsSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, allow_null=True)
    set_by = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = QualificationWeights
        fields = ["id", *SCORECARD_CRITERIA, "note", "set_by", "created_at"]
        validators = []

    def get_set_by(self, obj: QualificationWeights) -> str | None:
        return obj.set_by.get_username() if obj.set_by_id else None

    def validate(self, attrs):
        values = [attrs.get(name, 1) for name in SCORECARD_CRITERIA]
        if not any(values):
            raise serializers.ValidationError(_("At least one criterion must count: not all zero."))
        return attrs


# -- Handovers and workload ------------------------------------------------------------------


class HandoverSerializer(serializers.ModelSerializer):
    account_name = serializers.CharField(source="account.name", read_only=True)
    from_owner = SlugRelatedField(slug_field="username", read_only=True)
    to_owner = SlugRelatedField(slug_field="username", read_only=True)
    handed_over_by = SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Handover
        fields = [
            "id",
            "account",
            "account_name",
            "from_owner",
            "to_owner",
            "note",
            "handed_over_by",
            "capacity_override",
            "created_at",
        ]
        read_only_fields = fields


class HandoverCreateSerializer(serializers.Serializer):
    account = VisibleRelatedField(Account)
    owner = _username_field(help_text=_("Username of the new owner."))
    note = serializers.CharField(max_length=5000, help_text=_("The handover note."))
    override_capacity = serializers.BooleanField(default=False)


class WorkloadAccountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ManagerFiguresSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    revenue = serializers.DecimalField(
        max_digits=18,
        decimal_places=2,
        allow_null=True,
        help_text="Last 12 months, the accounts they owned at the snapshot's date.",
    )
    growth = serializers.FloatField(allow_null=True, help_text="On the 12 months before.")
    retention_rate = serializers.FloatField(allow_null=True)
    revenue_covered = serializers.DecimalField(
        max_digits=18,
        decimal_places=2,
        help_text="Last 12 months' revenue of the key accounts they own now.",
    )


class WorkloadRowSerializer(serializers.Serializer):
    username = serializers.CharField(source="user.username")
    name = serializers.CharField(source="user.get_full_name")
    key_accounts = serializers.IntegerField(source="key_count")
    max_key_accounts = serializers.IntegerField(source="capacity.maximum", allow_null=True)
    headroom = serializers.IntegerField(source="capacity.headroom", allow_null=True)
    over_capacity = serializers.BooleanField(source="capacity.over")
    other_accounts = serializers.IntegerField(
        help_text="Accounts they own that are not key accounts."
    )
    accounts = WorkloadAccountSerializer(source="key_accounts", many=True)
    figures = ManagerFiguresSerializer(
        allow_null=True, help_text="From the latest metrics snapshot; null without one."
    )


class TypeSuggestionSerializer(serializers.Serializer):
    type = serializers.CharField()
    because = serializers.CharField()


class CriterionScoreSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    source = serializers.ChoiceField(choices=["team", "data"])
    value = serializers.IntegerField(allow_null=True, help_text="1–5; null: not known yet")
    detail = serializers.CharField(help_text="What the value rests on.")
    weight = serializers.IntegerField(help_text="The directors' weight in force.")
    share = serializers.FloatField(help_text="The weight's share of all six, 0–1.")
    contribution = serializers.FloatField(help_text="share × value (0 when unknown).")


class ScorecardSerializer(serializers.Serializer):
    account = serializers.IntegerField()
    as_of = serializers.DateField(
        allow_null=True, help_text="Date of the metrics snapshot the data criteria come from."
    )
    score = serializers.FloatField(help_text="Σ contributions, 0–5.")
    qualifying_score = serializers.FloatField()
    qualifies = serializers.BooleanField()
    known = serializers.IntegerField(help_text="How many of the six criteria have a value.")
    criteria = CriterionScoreSerializer(many=True)
    suggested_type = TypeSuggestionSerializer(allow_null=True)

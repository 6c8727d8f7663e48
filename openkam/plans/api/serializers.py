from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from openkam.accounts.models import Account
from openkam.activities.models import Activity
from openkam.core.api.fields import SlugRelatedField, VisibleRelatedField
from openkam.stakeholders.models import Stakeholder
from openkam.users.models import User

from .. import selectors
from ..models import (
    AccountPlan,
    PlanAction,
    PlanObjective,
    PlanReview,
    PlanRisk,
    ValueProposition,
)
from ..services import (
    ACTION_FIELDS,
    OBJECTIVE_FIELDS,
    PLAN_FIELDS,
    REVIEW_FIELDS,
    RISK_FIELDS,
    VALUE_PROPOSITION_FIELDS,
)


class _FixedParentMixin:
    """The parent (plan, objective) is set on creation and stays."""

    parent_field = "plan"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields[self.parent_field].read_only = True


class ValuePropositionSerializer(_FixedParentMixin, serializers.ModelSerializer):
    plan = VisibleRelatedField(AccountPlan)

    class Meta:
        model = ValueProposition
        fields = ["id", "plan", *VALUE_PROPOSITION_FIELDS, "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class PlanActionSerializer(_FixedParentMixin, serializers.ModelSerializer):
    parent_field = "objective"
    objective = VisibleRelatedField(PlanObjective)
    owner = SlugRelatedField(
        slug_field="username",
        queryset=User.objects.filter(is_active=True),
        help_text=_("Username of the owner, on the account team."),
    )
    overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = PlanAction
        fields = ["id", "objective", *ACTION_FIELDS, "overdue", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class PlanObjectiveSerializer(_FixedParentMixin, serializers.ModelSerializer):
    plan = VisibleRelatedField(AccountPlan)
    actions = PlanActionSerializer(many=True, read_only=True)

    class Meta:
        model = PlanObjective
        fields = ["id", "plan", *OBJECTIVE_FIELDS, "actions", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class PlanRiskSerializer(_FixedParentMixin, serializers.ModelSerializer):
    plan = VisibleRelatedField(AccountPlan)
    score = serializers.IntegerField(read_only=True, help_text=_("Likelihood × impact."))

    class Meta:
        model = PlanRisk
        fields = ["id", "plan", *RISK_FIELDS, "score", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class PlanReviewSerializer(_FixedParentMixin, serializers.ModelSerializer):
    plan = VisibleRelatedField(AccountPlan)
    activity = VisibleRelatedField(
        Activity,
        required=False,
        allow_null=True,
        help_text=_("Id of the business review (QBR) in the activities log."),
    )
    our_attendees = SlugRelatedField(
        slug_field="username",
        queryset=User.objects.filter(is_active=True),
        many=True,
        required=False,
        help_text=_("Usernames of our people present."),
    )
    their_attendees = VisibleRelatedField(
        Stakeholder,
        many=True,
        required=False,
        help_text=_("Ids of the account's stakeholders present."),
    )

    class Meta:
        model = PlanReview
        fields = [
            "id",
            "plan",
            *REVIEW_FIELDS,
            "our_attendees",
            "their_attendees",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class GoalSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    target = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    actual = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    is_share = serializers.BooleanField(help_text=_("A percentage, not an amount."))


class CheckSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    done = serializers.BooleanField()
    detail = serializers.CharField()


class CompletenessSerializer(serializers.Serializer):
    percent = serializers.IntegerField()
    checks = CheckSerializer(many=True)


class AccountPlanSerializer(serializers.ModelSerializer):
    account = VisibleRelatedField(
        Account, help_text=_("Set when creating it; a plan stays with its account.")
    )
    owner = serializers.CharField(
        source="owner_username", read_only=True, allow_null=True, help_text=_("The account's KAM.")
    )
    goals = serializers.SerializerMethodField(
        help_text=_("Targets with the actual figures of the latest snapshot of the year.")
    )
    actuals_as_of = serializers.DateField(source="actual_as_of", read_only=True, allow_null=True)
    completeness = serializers.SerializerMethodField()
    overdue_actions = serializers.IntegerField(source="n_overdue", read_only=True)
    objectives = PlanObjectiveSerializer(many=True, read_only=True)
    value_propositions = ValuePropositionSerializer(many=True, read_only=True)
    risks = PlanRiskSerializer(many=True, read_only=True)
    reviews = PlanReviewSerializer(many=True, read_only=True)

    class Meta:
        model = AccountPlan
        fields = [
            "id",
            "account",
            "year",
            "currency",
            *PLAN_FIELDS,
            "copied_from",
            "owner",
            "goals",
            "actuals_as_of",
            "completeness",
            "overdue_actions",
            "value_propositions",
            "objectives",
            "risks",
            "reviews",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["currency", "copied_from", "created_at", "updated_at"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["account"].read_only = True
            self.fields["year"].read_only = True

    @extend_schema_field(GoalSerializer(many=True))
    def get_goals(self, plan: AccountPlan) -> list[dict]:
        if not hasattr(plan, "n_overdue"):
            return []
        return GoalSerializer(selectors.goals(plan), many=True).data

    @extend_schema_field(CompletenessSerializer)
    def get_completeness(self, plan: AccountPlan) -> dict | None:
        if not hasattr(plan, "n_overdue"):
            return None
        return CompletenessSerializer(selectors.completeness(plan)).data

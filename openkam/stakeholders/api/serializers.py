from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from openkam.accounts.models import Account
from openkam.core.api.fields import SlugRelatedField, VisibleRelatedField

from ..models import (
    Attitude,
    BuyingRole,
    Department,
    DepartmentKind,
    Position,
    Stakeholder,
    StakeholderAssessment,
)
from ..services import STAKEHOLDER_FIELDS


class DepartmentKindSerializer(serializers.ModelSerializer):
    class Meta:
        model = DepartmentKind
        fields = ["id", "code", "name"]


class DepartmentSerializer(serializers.ModelSerializer):
    kind = SlugRelatedField(slug_field="code", queryset=DepartmentKind.objects.all())
    account = VisibleRelatedField(Account)

    class Meta:
        model = Department
        fields = ["id", "account", "kind", "name"]
        validators = []  # the service validates, with the account's scope checked first


class PositionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Position
        fields = ["account", "department", "job_title", "buying_role", "started_on", "ended_on"]


class AssessmentSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = StakeholderAssessment
        fields = ["field", "value", "since", "author"]


class StakeholderSerializer(serializers.ModelSerializer):
    account = VisibleRelatedField(
        Account, help_text=_("Set when creating; use the move endpoint to change it later.")
    )
    department = VisibleRelatedField(Department, required=False, allow_null=True)
    reports_to = VisibleRelatedField(Stakeholder, required=False, allow_null=True)
    positions = PositionSerializer(many=True, read_only=True)
    assessments = AssessmentSerializer(
        many=True,
        read_only=True,
        help_text=_("Influence and attitude over time, the latest first."),
    )

    class Meta:
        model = Stakeholder
        fields = [
            "id",
            "account",
            *STAKEHOLDER_FIELDS,
            "active",
            "positions",
            "assessments",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["active", "created_at", "updated_at"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["account"].read_only = True


class StakeholderMoveSerializer(serializers.Serializer):
    account = VisibleRelatedField(Account)
    department = VisibleRelatedField(Department, required=False, allow_null=True)
    job_title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    buying_role = serializers.ChoiceField(
        choices=BuyingRole.choices, required=False, allow_blank=True
    )
    on = serializers.DateField(required=False, help_text=_("Since when (default: today)."))


class StakeholderLeaveSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, help_text=_("Last day (default: today)."))


class OrgChartNodeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="person.pk")
    name = serializers.CharField(source="person.name")
    job_title = serializers.CharField(source="person.job_title")
    department = serializers.IntegerField(source="person.department_id", allow_null=True)
    department_name = serializers.SerializerMethodField()
    buying_role = serializers.ChoiceField(choices=BuyingRole.choices, source="person.buying_role")
    attitude = serializers.ChoiceField(choices=Attitude.choices, source="person.attitude")
    influence = serializers.IntegerField(source="person.influence", allow_null=True)
    relationship_strength = serializers.IntegerField(
        source="person.relationship_strength", allow_null=True
    )
    reports_to = serializers.IntegerField(source="person.reports_to_id", allow_null=True)
    last_contact = serializers.DateTimeField(allow_null=True)

    def get_department_name(self, node) -> str | None:
        return str(node.person.department) if node.person.department_id else None


OrgChartNodeSerializer._declared_fields["reports"] = OrgChartNodeSerializer(
    many=True, read_only=True
)


class OrgChartSerializer(serializers.Serializer):
    account = serializers.IntegerField(source="account.pk")
    people = serializers.IntegerField(help_text=_("How many people the chart shows."))
    roots = OrgChartNodeSerializer(many=True, help_text=_("People without a manager."))


class CoverageGapSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    account = serializers.IntegerField(source="account.pk")
    account_name = serializers.CharField(source="account.name")
    department = serializers.IntegerField(source="department.pk", allow_null=True, default=None)
    stakeholder = serializers.IntegerField(source="stakeholder.pk", allow_null=True, default=None)
    message = serializers.CharField()
    last_contact = serializers.DateTimeField(allow_null=True)


class AccountCoverageCellSerializer(serializers.Serializer):
    user = serializers.IntegerField()
    last_contact = serializers.DateTimeField(allow_null=True)


class AccountCoverageRowSerializer(serializers.Serializer):
    department = serializers.IntegerField(source="department.pk")
    department_name = serializers.CharField()
    kind = serializers.CharField(source="department.kind.code")
    people = serializers.IntegerField()
    last_contact = serializers.DateTimeField(allow_null=True)
    stale = serializers.BooleanField()
    cells = AccountCoverageCellSerializer(many=True)


class AccountCoverageUserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    on_team = serializers.BooleanField()


class AccountCoverageSerializer(serializers.Serializer):
    account = serializers.IntegerField(source="account.pk")
    days = serializers.IntegerField(help_text=_("KAM_COVERAGE_DAYS: older contact is a gap."))
    users = AccountCoverageUserSerializer(many=True)
    rows = AccountCoverageRowSerializer(many=True)
    gaps = CoverageGapSerializer(many=True)


class DepartureSerializer(serializers.Serializer):
    stakeholder = serializers.IntegerField(source="person.pk")
    name = serializers.CharField(source="person.name")
    direction = serializers.ChoiceField(choices=["left", "joined"])
    on = serializers.DateField()
    buying_role = serializers.CharField(source="position.buying_role")
    job_title = serializers.CharField(source="position.job_title")
    key_person = serializers.BooleanField(
        help_text=_("A decision maker or champion: their leaving is a risk.")
    )
    other_account = serializers.IntegerField(allow_null=True)
    other_account_name = serializers.CharField(allow_null=True)

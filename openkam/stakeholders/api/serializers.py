from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from openkam.accounts.models import Account
from openkam.core.api.fields import SlugRelatedField, VisibleRelatedField

from ..models import BuyingRole, Department, DepartmentKind, Position, Stakeholder
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


class StakeholderSerializer(serializers.ModelSerializer):
    account = VisibleRelatedField(
        Account, help_text=_("Set when creating; use the move endpoint to change it later.")
    )
    department = VisibleRelatedField(Department, required=False, allow_null=True)
    reports_to = VisibleRelatedField(Stakeholder, required=False, allow_null=True)
    positions = PositionSerializer(many=True, read_only=True)

    class Meta:
        model = Stakeholder
        fields = [
            "id",
            "account",
            *STAKEHOLDER_FIELDS,
            "active",
            "positions",
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

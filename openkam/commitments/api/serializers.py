from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from openkam.accounts.models import Account
from openkam.activities.models import Activity
from openkam.core.api.fields import SlugRelatedField, VisibleRelatedField
from openkam.plans.models import PlanAction
from openkam.stakeholders.models import Stakeholder
from openkam.tenders.models import Tender
from openkam.users.models import User

from ..models import Commitment, CustomerRequest
from ..services import COMMITMENT_FIELDS, REQUEST_FIELDS


def _owner_field():
    return SlugRelatedField(
        slug_field="username",
        queryset=User.objects.filter(is_active=True),
        required=False,
        help_text=_("Username of our owner (default: you); they must see the account."),
    )


class _AccountChildSerializer(serializers.ModelSerializer):
    account = VisibleRelatedField(
        Account, help_text=_("Set when recording it; it stays with its account.")
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["account"].read_only = True


class CommitmentSerializer(_AccountChildSerializer):
    owner = _owner_field()
    their_owner = VisibleRelatedField(
        Stakeholder,
        allow_null=True,
        required=False,
        help_text=_("Id of the person at the customer (of the same account)."),
    )
    activity = VisibleRelatedField(Activity, allow_null=True, required=False)
    plan_action = VisibleRelatedField(PlanAction, allow_null=True, required=False)
    tender = VisibleRelatedField(Tender, allow_null=True, required=False)
    late = serializers.SerializerMethodField(help_text=_("Open and past its due date today."))
    cancelled_on = serializers.DateField(read_only=True, allow_null=True)
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Commitment
        fields = [
            "id",
            "account",
            *COMMITMENT_FIELDS,
            "cancelled_on",
            "late",
            "author",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["author", "created_at", "updated_at"]

    def get_late(self, obj: Commitment) -> bool:
        return obj.is_late()


class CustomerRequestSerializer(_AccountChildSerializer):
    owner = _owner_field()
    stakeholder = VisibleRelatedField(
        Stakeholder,
        allow_null=True,
        required=False,
        help_text=_("Id of the person who asked (of the same account)."),
    )
    response_hours = serializers.SerializerMethodField(
        help_text=_("Working hours from receipt to the first answer; null while unanswered.")
    )
    overdue = serializers.SerializerMethodField(
        help_text=_("Unanswered after more than the response target (KAM_RESPONSE_HOURS).")
    )
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = CustomerRequest
        fields = [
            "id",
            "account",
            *REQUEST_FIELDS,
            "response_hours",
            "overdue",
            "author",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["author", "created_at", "updated_at"]

    def get_response_hours(self, obj: CustomerRequest) -> float | None:
        hours = obj.response_hours()
        return round(hours, 2) if hours is not None else None

    def get_overdue(self, obj: CustomerRequest) -> bool:
        return obj.is_overdue()


class ResponseGroupSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    received = serializers.IntegerField()
    answered = serializers.IntegerField()
    within_target = serializers.IntegerField()
    share_within_target = serializers.FloatField(allow_null=True)
    median_hours = serializers.FloatField(
        allow_null=True, help_text=_("Median working hours to the first answer.")
    )
    open = serializers.IntegerField()
    unanswered = serializers.IntegerField()
    overdue = serializers.IntegerField(help_text=_("Unanswered past the target."))


class ResponseStatsSerializer(serializers.Serializer):
    target_hours = serializers.FloatField(help_text=_("KAM_RESPONSE_HOURS, in working hours."))
    working_day = serializers.CharField(help_text=_("KAM_WORKING_HOURS, Monday to Friday."))
    total = ResponseGroupSerializer()
    by_owner = ResponseGroupSerializer(many=True)
    by_account = ResponseGroupSerializer(many=True)

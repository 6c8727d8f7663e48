from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from openkam.core.api.fields import SlugRelatedField, VisibleRelatedField
from openkam.users.models import User

from ..currencies import is_currency
from ..models import Account, AccountTeamMember, Segment
from ..services import ACCOUNT_FIELDS


class TeamMemberSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = AccountTeamMember
        fields = ["id", "username", "role", "since", "note"]


class AccountSerializer(serializers.ModelSerializer):
    owner = SlugRelatedField(
        slug_field="username",
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text=_("Username of the owner (the key account manager), or null."),
    )
    parent = VisibleRelatedField(Account, required=False, allow_null=True)
    segment = SlugRelatedField(
        slug_field="name", queryset=Segment.objects.all(), required=False, allow_null=True
    )
    country = CountryField(required=False, allow_blank=True)
    reporting_currency = serializers.CharField(
        max_length=3, required=False, help_text=_("ISO 4217 code, e.g. THB, VND, RSD, PHP.")
    )
    team = TeamMemberSerializer(many=True, read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:account-detail")

    class Meta:
        model = Account
        fields = ["id", "url", *ACCOUNT_FIELDS, "owner", "team", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        owner = getattr(instance, "owner_username", None)
        if owner is None and not hasattr(instance, "owner_username"):
            member = instance.team.filter(role="owner").select_related("user").first()
            owner = member.user.username if member else None
        data["owner"] = owner
        return data

    def validate_reporting_currency(self, value: str) -> str:
        value = value.upper()
        if not is_currency(value):
            raise serializers.ValidationError(
                _("Not an ISO 4217 currency code (e.g. THB, VND, RSD, PHP, EUR).")
            )
        return value


class SegmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Segment
        fields = ["id", "name", "description"]

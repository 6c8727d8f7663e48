from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from openkam.accounts.models import Account
from openkam.core.api.fields import VisibleRelatedField

from ..models import AccountProfile, Area, KeyFigure, PortraitSection
from ..services import KEY_FIGURE_FIELDS, PROFILE_FIELDS


class KeyFigureSerializer(serializers.ModelSerializer):
    account = VisibleRelatedField(
        Account, help_text=_("Set when recording them; key figures stay with their account.")
    )

    class Meta:
        model = KeyFigure
        fields = ["id", "account", *KEY_FIGURE_FIELDS, "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        validators = []  # the service validates (unique per account and year) with its message

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["account"].read_only = True


class AccountProfileSerializer(serializers.ModelSerializer):
    account = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = AccountProfile
        fields = ["account", *PROFILE_FIELDS, "updated_at"]
        read_only_fields = ["updated_at"]


class PortraitSectionSerializer(serializers.ModelSerializer):
    area = serializers.ChoiceField(choices=Area.choices)
    stale = serializers.BooleanField(read_only=True)
    missing = serializers.BooleanField(read_only=True)

    class Meta:
        model = PortraitSection
        fields = ["area", "text", "source", "reviewed_on", "stale", "missing", "updated_at"]
        read_only_fields = ["updated_at"]
        extra_kwargs = {
            "reviewed_on": {
                "help_text": _("Left out while the text is given: today (writing is reviewing).")
            }
        }
        validators = []


class PortraitSerializer(serializers.Serializer):
    account = serializers.IntegerField(read_only=True)
    country_of_origin = serializers.CharField(read_only=True)
    stale_months = serializers.IntegerField(read_only=True)
    stale_before = serializers.DateField(
        read_only=True, help_text=_("A section reviewed before this day is stale.")
    )
    flagged = serializers.BooleanField(
        read_only=True, help_text=_("A strategy section is stale or missing.")
    )
    sections = PortraitSectionSerializer(many=True)

    def validate_sections(self, value):
        areas = [item["area"] for item in value]
        if len(areas) != len(set(areas)):
            raise serializers.ValidationError(_("Give each area at most once."))
        return value

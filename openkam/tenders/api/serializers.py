from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from openkam.accounts.models import Account
from openkam.catalog.models import ProductCategory
from openkam.competitors.models import Competitor
from openkam.core.api.fields import VisibleRelatedField

from ..models import Tender
from ..services import TENDER_FIELDS


class TenderSerializer(serializers.ModelSerializer):
    account = VisibleRelatedField(
        Account, help_text=_("Set when recording it; a tender stays with its account.")
    )
    category = serializers.PrimaryKeyRelatedField(
        queryset=ProductCategory.objects.all(), allow_null=True, required=False
    )
    winner = serializers.PrimaryKeyRelatedField(
        queryset=Competitor.objects.all(),
        allow_null=True,
        required=False,
        help_text=_("Id of the winning competitor (lost tenders only)."),
    )
    winner_name = serializers.CharField(source="winner.name", read_only=True, default=None)
    owner = serializers.CharField(
        source="owner_username", read_only=True, default=None, help_text=_("The account's owner.")
    )
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Tender
        fields = [
            "id",
            "account",
            *TENDER_FIELDS,
            "winner_name",
            "owner",
            "author",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["author", "created_at", "updated_at"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["account"].read_only = True


class GroupSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    won = serializers.IntegerField()
    lost = serializers.IntegerField()
    win_rate = serializers.FloatField(allow_null=True)
    won_value = serializers.DecimalField(max_digits=24, decimal_places=2)
    lost_value = serializers.DecimalField(max_digits=24, decimal_places=2)


class TenderStatsSerializer(serializers.Serializer):
    currency = serializers.CharField(help_text=_("The reporting currency of the values."))
    total = GroupSerializer()
    open = serializers.IntegerField()
    by_reason = GroupSerializer(many=True)
    by_competitor = GroupSerializer(many=True)
    by_owner = GroupSerializer(many=True)
    unconverted = serializers.DictField(
        child=serializers.DecimalField(max_digits=24, decimal_places=2),
        help_text=_("Lost value per currency that has no exchange rate, not converted."),
    )

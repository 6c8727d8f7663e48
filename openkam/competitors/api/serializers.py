from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from openkam.accounts.models import Account
from openkam.catalog.models import ProductCategory
from openkam.core.api.fields import VisibleRelatedField

from ..models import AccountCompetitor, AccountCompetitorObservation, Competitor
from ..services import COMPETITOR_FIELDS, PRESENCE_FIELDS


class CompetitorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Competitor
        fields = ["id", *COMPETITOR_FIELDS, "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        validators = []  # the case-insensitive unique name is checked by the model (400)


class ObservationSerializer(serializers.ModelSerializer):
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = AccountCompetitorObservation
        fields = [
            "recorded_at",
            "recorded_by",
            "share_of_wallet",
            "threat_level",
            "last_seen",
            "won_account_on",
        ]
        read_only_fields = fields


class AccountCompetitorSerializer(serializers.ModelSerializer):
    account = VisibleRelatedField(
        Account, help_text=_("Set when recording it; a presence stays with its account.")
    )
    competitor = serializers.PrimaryKeyRelatedField(queryset=Competitor.objects.all())
    competitor_name = serializers.CharField(source="competitor.name", read_only=True)
    categories = serializers.PrimaryKeyRelatedField(
        queryset=ProductCategory.objects.all(),
        many=True,
        required=False,
        help_text=_("Ids of the product categories they sell there."),
    )
    history = ObservationSerializer(
        source="observations", many=True, read_only=True, help_text=_("Newest first.")
    )

    class Meta:
        model = AccountCompetitor
        fields = [
            "id",
            "account",
            *PRESENCE_FIELDS[:1],
            "competitor_name",
            "categories",
            *PRESENCE_FIELDS[1:],
            "history",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators = []  # (account, competitor) once: checked by the model (400)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["account"].read_only = True
            self.fields["competitor"].read_only = True

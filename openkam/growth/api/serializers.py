from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from openkam.accounts.models import Account
from openkam.catalog.models import ProductCategory
from openkam.core.api.fields import VisibleRelatedField
from openkam.plans.models import MAX_YEAR, MIN_YEAR

from ..models import GrowthOpportunity, WalletEstimate
from ..services import ESTIMATE_FIELDS


class WhySerializer(serializers.Serializer):
    share = serializers.FloatField(
        allow_null=True,
        required=False,
        help_text=_("Cross-sell: the share of similar accounts that buy the category."),
    )
    similar_count = serializers.IntegerField(
        required=False, help_text=_("Cross-sell: how many similar accounts there are.")
    )
    similar = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text=_("Cross-sell: ids of similar accounts that buy it (those you may see)."),
    )
    affinity = serializers.FloatField(required=False)
    band = serializers.IntegerField(required=False, help_text=_("Up-sell: its size band."))
    bands = serializers.IntegerField(required=False, allow_null=True)
    band_buyers = serializers.IntegerField(required=False)
    band_median = serializers.DecimalField(max_digits=18, decimal_places=2, required=False)
    spend = serializers.DecimalField(max_digits=18, decimal_places=2, required=False)


class GrowthOpportunitySerializer(serializers.ModelSerializer):
    account_name = serializers.CharField(source="account.name", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    why = serializers.SerializerMethodField()
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = GrowthOpportunity
        fields = [
            "id", "account", "account_name", "category", "category_name", "kind", "status",
            "expected_revenue", "expected_value", "why", "as_of", "current",
            "dismissed_reason", "decided_by", "decided_at", "plan_action",
        ]  # fmt: skip
        read_only_fields = fields

    def get_why(self, obj: GrowthOpportunity) -> WhySerializer:
        why = dict(obj.why or {})
        visible = self.context.get("visible_ids")
        if "similar" in why and visible is not None:
            why["similar"] = [i for i in why["similar"] if i in visible]
        return WhySerializer(why).data


class AcceptSerializer(serializers.Serializer):
    expected_value = serializers.DecimalField(
        max_digits=18, decimal_places=2, min_value=0, required=False, allow_null=True,
        help_text=_("What you expect to win a year; the suggested expected revenue if empty."),
    )  # fmt: skip
    add_to_plan = serializers.BooleanField(
        default=False, help_text=_("Also add it as an action to this year's account plan.")
    )


class DismissSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text=_("Why it is dismissed."))


class WalletEstimateSerializer(serializers.ModelSerializer):
    account = VisibleRelatedField(
        Account, help_text=_("Set when entering it; an estimate stays with its account.")
    )
    category = serializers.PrimaryKeyRelatedField(queryset=ProductCategory.objects.all())

    class Meta:
        model = WalletEstimate
        fields = ["id", "account", *ESTIMATE_FIELDS, "source", "created_at", "updated_at"]
        read_only_fields = ["source", "created_at", "updated_at"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["account"].read_only = True


class ShareOfWalletQuerySerializer(serializers.Serializer):
    account = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    year = serializers.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR, required=False)


class WalletCategorySerializer(serializers.Serializer):
    category = serializers.IntegerField()
    category_name = serializers.CharField()
    estimate = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    estimate_id = serializers.IntegerField(allow_null=True)
    source = serializers.CharField(allow_null=True)
    ours = serializers.DecimalField(max_digits=18, decimal_places=2)
    share = serializers.FloatField(allow_null=True)
    headroom = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)


class ShareOfWalletSerializer(serializers.Serializer):
    account = serializers.IntegerField()
    year = serializers.IntegerField()
    as_of = serializers.DateField(allow_null=True, help_text=_("Our revenue: 12 months to it."))
    currency = serializers.CharField()
    categories = WalletCategorySerializer(many=True)
    total_estimate = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    total_ours = serializers.DecimalField(max_digits=18, decimal_places=2)
    share = serializers.FloatField(allow_null=True)
    headroom = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)

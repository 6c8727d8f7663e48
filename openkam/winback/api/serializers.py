from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from openkam.accounts.models import Account
from openkam.losses.models import LossReason
from openkam.metrics.models import AccountMetrics

from ..models import Campaign, CampaignAccount, ContactStatus, OfferKind
from ..services import CAMPAIGN_FIELDS


class WinBackSerializer(serializers.ModelSerializer):
    account_name = serializers.CharField(source="account.name", read_only=True)
    state = serializers.SerializerMethodField()
    owner = serializers.CharField(source="owner_username", allow_null=True, read_only=True)
    country = serializers.CharField(source="account.country.code", read_only=True)
    segment = serializers.IntegerField(source="account.segment_id", allow_null=True)
    is_key = serializers.BooleanField(help_text=_("A key account on the snapshot's date."))
    revenue_at_stake = serializers.DecimalField(
        max_digits=18,
        decimal_places=2,
        help_text=_("Lost: revenue of the 12 months before the loss; shrinking: the shortfall."),
    )
    margin_at_stake = serializers.DecimalField(
        max_digits=18,
        decimal_places=2,
        help_text=_("Revenue at stake × the margin rate (the revenue without costs): the rank."),
    )
    reason = serializers.ChoiceField(
        source="loss_reason", choices=LossReason.choices, allow_null=True
    )
    competitor = serializers.IntegerField(source="competitor_id", allow_null=True)
    competitor_name = serializers.CharField(allow_null=True)
    people_left = serializers.IntegerField(help_text=_("Stakeholders still at the account."))
    average_strength = serializers.FloatField(allow_null=True)
    strongest = serializers.IntegerField(allow_null=True)
    last_contact = serializers.DateTimeField(allow_null=True)
    latest_campaign = serializers.IntegerField(source="latest_campaign_id", allow_null=True)

    class Meta:
        model = AccountMetrics
        fields = [
            "account",
            "account_name",
            "state",
            "owner",
            "country",
            "segment",
            "is_key",
            "lost_since",
            "last_purchase",
            "days_since_purchase",
            "revenue_before_loss",
            "revenue_at_stake",
            "margin_at_stake",
            "clv",
            "prob_alive",
            "reason",
            "competitor",
            "competitor_name",
            "people_left",
            "average_strength",
            "strongest",
            "last_contact",
            "latest_campaign",
        ]
        read_only_fields = fields

    def get_state(self, row) -> str:
        return "lost" if row.lost else "shrinking"


class ResultsSerializer(serializers.Serializer):
    accounts = serializers.IntegerField()
    measured = serializers.IntegerField()
    regained = serializers.IntegerField()
    regain_rate = serializers.FloatField(allow_null=True)
    cost = serializers.DecimalField(max_digits=18, decimal_places=2)
    revenue_after = serializers.DecimalField(max_digits=18, decimal_places=2)
    margin_after = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    return_on_offer = serializers.FloatField(
        allow_null=True,
        help_text=_("(margin after − cost) ÷ cost; revenue stands in where costs are unknown."),
    )


class OfferKindResultsSerializer(ResultsSerializer):
    offer_kind = serializers.ChoiceField(choices=OfferKind.choices)


class CampaignSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True)
    window_end = serializers.DateField(read_only=True)
    accounts = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        write_only=True,
        required=False,
        max_length=10_000,
        help_text=_("Ids of the accounts to put in a new campaign."),
    )
    offer_cost = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
        write_only=True,
        required=False,
        allow_null=True,
        help_text=_("The cost of the offer per account; by default the budget split evenly."),
    )
    results = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "id",
            *CAMPAIGN_FIELDS,
            "window_end",
            "owner",
            "measured_at",
            "accounts",
            "offer_cost",
            "results",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["measured_at", "created_at", "updated_at"]

    def validate(self, attrs):
        start = attrs.get("starts_on", getattr(self.instance, "starts_on", None))
        end = attrs.get("ends_on", getattr(self.instance, "ends_on", None))
        if start and end and end < start:
            raise serializers.ValidationError({"ends_on": _("The campaign ends before it starts.")})
        return attrs

    def validate_accounts(self, ids):
        user = self.context["request"].user
        found = Account.objects.visible_to(user, "view").filter(pk__in=ids).in_bulk()
        missing = sorted(set(ids) - set(found))
        if missing:
            raise serializers.ValidationError(
                _("No account you may see has the id %(ids)s.")
                % {"ids": ", ".join(map(str, missing))}
            )
        return [found[i] for i in dict.fromkeys(ids)]

    @extend_schema_field(ResultsSerializer(allow_null=True))
    def get_results(self, campaign) -> dict | None:
        results = self.context.get("results", {}).get(campaign.pk)
        return ResultsSerializer(results).data if results is not None else None


class CampaignAccountSerializer(serializers.ModelSerializer):
    campaign = serializers.PrimaryKeyRelatedField(read_only=True)
    account = serializers.PrimaryKeyRelatedField(read_only=True)
    account_name = serializers.CharField(source="account.name", read_only=True)
    status = serializers.ChoiceField(choices=ContactStatus.choices, required=False)
    return_on_offer = serializers.FloatField(read_only=True, allow_null=True)
    return_basis = serializers.CharField(read_only=True)
    steps = serializers.SerializerMethodField()

    class Meta:
        model = CampaignAccount
        fields = [
            "id",
            "campaign",
            "account",
            "account_name",
            "offer_cost",
            "status",
            "regained",
            "first_purchase",
            "revenue_after",
            "margin_after",
            "return_on_offer",
            "return_basis",
            "measured_at",
            "steps",
        ]
        read_only_fields = [
            "regained",
            "first_purchase",
            "revenue_after",
            "margin_after",
            "measured_at",
        ]

    def get_steps(self, target) -> list[int]:
        """Ids of the contact steps' activities (see /api/activities/)."""
        return [step.activity_id for step in target.steps.all()]


class AddAccountsSerializer(serializers.Serializer):
    accounts = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        min_length=1,
        max_length=10_000,
    )
    offer_cost = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=Decimal("0"), required=False, allow_null=True
    )

    validate_accounts = CampaignSerializer.validate_accounts

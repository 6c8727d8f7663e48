from rest_framework import serializers

from openkam.analytics.whatif import DEFAULT_POINTS

from ..forms import MAX_POINTS
from ..models import Group


class WhatIfQuerySerializer(serializers.Serializer):
    """The query parameters of /api/what-if/retention/."""

    points = serializers.IntegerField(
        required=False,
        default=DEFAULT_POINTS,
        min_value=0,
        max_value=MAX_POINTS,
        help_text="Percentage points added to retention at every cohort age (0–50).",
    )
    group = serializers.ChoiceField(
        choices=Group.choices,
        required=False,
        help_text="portfolio (default for those who see every account), owner, country or "
        "segment; a key account manager sees group=owner with their own id only.",
    )
    key = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        help_text="The owner's or segment's id, or the country code (not for the portfolio).",
    )
    as_of = serializers.DateField(
        required=False, help_text="The snapshot's date (default: the latest)."
    )

    def validate(self, attrs):
        group = attrs.get("group")
        key = attrs.get("key", "")
        if group and group != Group.PORTFOLIO and not key:
            raise serializers.ValidationError({"key": "Name the owner, country or segment."})
        if group in (Group.OWNER, Group.SEGMENT) and not key.isdigit():
            raise serializers.ValidationError({"key": "An owner or segment is named by its id."})
        if group in (None, Group.PORTFOLIO) and key:
            raise serializers.ValidationError({"key": "The portfolio has no key: leave it out."})
        return attrs


class HorizonSerializer(serializers.Serializer):
    years = serializers.IntegerField()
    baseline = serializers.DecimalField(max_digits=18, decimal_places=2)
    raised = serializers.DecimalField(max_digits=18, decimal_places=2)
    uplift = serializers.DecimalField(max_digits=18, decimal_places=2)
    uplift_share = serializers.FloatField(allow_null=True, help_text="raised / baseline − 1.")


class AssumptionSerializer(serializers.Serializer):
    age = serializers.IntegerField(help_text="Years since the first purchase.")
    retention = serializers.FloatField()
    raised_retention = serializers.FloatField()
    revenue_per_retained = serializers.DecimalField(max_digits=18, decimal_places=2)
    observed = serializers.BooleanField(
        help_text="False: no transition at this age; the nearest younger age's figures."
    )
    previously_active = serializers.IntegerField()
    retained = serializers.IntegerField()
    active_now = serializers.IntegerField()
    revenue_now = serializers.DecimalField(max_digits=18, decimal_places=2)


class CurrentSerializer(serializers.Serializer):
    age = serializers.IntegerField()
    active_now = serializers.IntegerField()
    revenue_now = serializers.DecimalField(max_digits=18, decimal_places=2)


class RuleOfThumbSerializer(serializers.Serializer):
    points = serializers.IntegerField()
    uplift_share = serializers.FloatField()


class WhatIfSerializer(serializers.Serializer):
    snapshot = serializers.IntegerField()
    as_of = serializers.DateField()
    reporting_currency = serializers.CharField()
    group = serializers.CharField()
    key = serializers.CharField(allow_blank=True)
    label = serializers.CharField()
    points = serializers.IntegerField()
    computable = serializers.BooleanField(
        help_text="False: not enough history (no accounts now, or no year-on-year transition)."
    )
    active_now = serializers.IntegerField()
    revenue_now = serializers.DecimalField(max_digits=18, decimal_places=2)
    horizons = HorizonSerializer(many=True)
    yearly_baseline = serializers.ListField(
        child=serializers.DecimalField(max_digits=18, decimal_places=2)
    )
    yearly_raised = serializers.ListField(
        child=serializers.DecimalField(max_digits=18, decimal_places=2)
    )
    assumptions = AssumptionSerializer(many=True)
    current = CurrentSerializer(many=True)
    rule_of_thumb = RuleOfThumbSerializer()

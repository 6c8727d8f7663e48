"""The backtest's API: its query and its answer (for the schema)."""

from rest_framework import serializers

from ..models import HealthLevel


class BacktestQuerySerializer(serializers.Serializer):
    as_of = serializers.DateField(
        help_text="The past date (YYYY-MM-DD) whose stored scores to check: at least 12 months "
        "before the end of the sales history. The latest scored snapshot on or before it is used."
    )
    weights = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Candidate weights over the ones in force, `key=value,key=value` (or "
        "`key:value`): the stored readings are rescored with them.",
    )
    green_from = serializers.FloatField(
        required=False, min_value=0, max_value=100, help_text="Candidate threshold of green."
    )
    amber_from = serializers.FloatField(
        required=False, min_value=0, max_value=100, help_text="Candidate threshold of amber."
    )


class RedSerializer(serializers.Serializer):
    flagged = serializers.IntegerField(help_text="Accounts that were red.")
    flagged_went_bad = serializers.IntegerField(help_text="Of which went bad.")
    precision = serializers.FloatField(
        allow_null=True, help_text="Of the red accounts, the share that went bad."
    )
    recall = serializers.FloatField(
        allow_null=True, help_text="Of the accounts that went bad, the share that were red."
    )


class BandSerializer(serializers.Serializer):
    low = serializers.FloatField(help_text="Health score from (inclusive).")
    high = serializers.FloatField(help_text="Up to (exclusive; the last band includes 100).")
    accounts = serializers.IntegerField()
    went_bad = serializers.IntegerField()
    went_bad_share = serializers.FloatField(allow_null=True)


class LevelRowSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=HealthLevel.choices)
    accounts = serializers.IntegerField()
    went_bad = serializers.IntegerField()
    went_bad_share = serializers.FloatField(allow_null=True)


class LeftOutSerializer(serializers.Serializer):
    no_revenue_before = serializers.IntegerField(
        help_text="Scored accounts without revenue in the 12 months before the date."
    )
    groups = serializers.IntegerField(help_text="Groups rolled up from their subsidiaries.")
    unscored = serializers.IntegerField(
        help_text="Accounts the candidate weights leave without a score."
    )


class BacktestSerializer(serializers.Serializer):
    as_of = serializers.DateField(help_text="The date of the scores used.")
    requested = serializers.DateField(help_text="The date asked for.")
    horizon_end = serializers.DateField(help_text="The end of the 12 months looked at.")
    history_end = serializers.DateField(help_text="The last day of the sales history.")
    snapshot = serializers.IntegerField()
    rescored = serializers.BooleanField(
        help_text="Whether candidate weights or thresholds rescored the stored readings."
    )
    weights = serializers.DictField(child=serializers.FloatField())
    green_from = serializers.FloatField()
    amber_from = serializers.FloatField()
    accounts = serializers.IntegerField(help_text="Accounts counted.")
    went_bad = serializers.IntegerField(
        help_text="Accounts lost or shrunk by more than 30 % in the 12 months after."
    )
    went_bad_share = serializers.FloatField(allow_null=True)
    auc = serializers.FloatField(
        allow_null=True,
        help_text="ROC AUC of the risk (100 − score): 0.5 a coin toss, 1 perfect; null when "
        "no account or every account went bad.",
    )
    red = RedSerializer()
    calibration = BandSerializer(many=True)
    levels = LevelRowSerializer(many=True)
    left_out = LeftOutSerializer()

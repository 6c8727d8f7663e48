from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import selectors
from ..models import HealthLevel, HealthScore


class AsOfQuerySerializer(serializers.Serializer):
    as_of = serializers.DateField(
        required=False,
        help_text="The snapshot date (YYYY-MM-DD) whose scores to show; the latest by default.",
    )


class ComponentSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    missing = serializers.BooleanField(
        help_text="No data: left out of the weights (never counted as zero)."
    )
    score = serializers.FloatField(allow_null=True, help_text="0 (worst) … 1 (healthy).")
    value = serializers.FloatField(allow_null=True, help_text="The measured figure.")
    evidence = serializers.CharField(help_text="Why, in the reader's language.")
    weight = serializers.FloatField()
    share = serializers.FloatField(
        allow_null=True, help_text="Share of the weights among the components with data."
    )
    contribution = serializers.FloatField(
        allow_null=True, help_text="Points of the 0–100 score; they add up to it."
    )


class HealthScoreSerializer(serializers.ModelSerializer):
    account_name = serializers.CharField(source="account.name", read_only=True)
    level = serializers.ChoiceField(choices=HealthLevel.choices, read_only=True)
    components = serializers.SerializerMethodField()

    class Meta:
        model = HealthScore
        fields = [
            "account",
            "account_name",
            "as_of",
            "snapshot",
            "score",
            "level",
            "rolled_up",
            "revenue",
            "weights",
            "components",
        ]
        read_only_fields = fields

    @extend_schema_field(ComponentSerializer(many=True))
    def get_components(self, obj: HealthScore) -> list[dict]:
        return ComponentSerializer(selectors.component_rows(obj), many=True).data


class HistoryPointSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    score = serializers.FloatField()
    level = serializers.ChoiceField(choices=HealthLevel.choices)
    rolled_up = serializers.BooleanField()


class AccountHealthSerializer(serializers.Serializer):
    account = serializers.IntegerField()
    current = HealthScoreSerializer(allow_null=True)
    history = HistoryPointSerializer(
        many=True, help_text="One score per snapshot date, oldest first."
    )

from rest_framework import serializers

from openkam.metrics.api.serializers import (
    MatrixCellSerializer,
    PortfolioQuerySerializer,
    PortfolioSerializer,
    SeriesPointSerializer,
)

__all__ = ["CockpitSerializer", "PortfolioQuerySerializer"]


class CockpitCellSerializer(MatrixCellSerializer):
    account_share = serializers.FloatField(help_text="Share of the classified accounts, 0–1.")
    revenue_share = serializers.FloatField(help_text="Share of the window's revenue, 0–1.")


class ParetoSerializer(serializers.Serializer):
    points = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField()),
        help_text="[share of accounts, cumulative share of revenue] at every percent.",
    )
    key_accounts = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField()),
        help_text="[share of accounts, share of revenue, account id] of each key account.",
    )


class TargetsSerializer(serializers.Serializer):
    retention_rate = serializers.FloatField(help_text="At least this (0.80).")
    key_account_share = serializers.ListField(
        child=serializers.FloatField(), help_text="Within this band ([0.30, 0.55])."
    )
    top20_share = serializers.FloatField(help_text="The Pareto rule of thumb (0.80).")


class TargetStatusSerializer(serializers.Serializer):
    retention_rate = serializers.ChoiceField(choices=["ok", "low", "unknown"])
    key_account_share = serializers.ChoiceField(choices=["ok", "low", "high", "unknown"])


class CockpitSerializer(PortfolioSerializer):
    """The cockpit's figures: the metrics portfolio's, with the targets, each target figure's
    status, the matrix cells' shares, the Pareto curve and which series is shown."""

    abc_xyz = CockpitCellSerializer(many=True, help_text="All nine cells, AX to CZ.")
    series = SeriesPointSerializer(
        many=True, help_text="Every period of the window, newest first; see series_scope."
    )
    series_scope = serializers.CharField(
        allow_null=True,
        help_text="portfolio, owner, country or segment (the group series matching the "
        "filter), own (a key account manager's accounts), or null (no series for this filter).",
    )
    targets = TargetsSerializer()
    target_status = TargetStatusSerializer()
    pareto = ParetoSerializer()

from __future__ import annotations

from rest_framework import serializers

from openkam.analytics.sellout import parse_period

from ..models import SelloutImport


class SelloutImportSerializer(serializers.ModelSerializer):
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    has_rejects = serializers.SerializerMethodField()

    class Meta:
        model = SelloutImport
        fields = [
            "id",
            "file_name",
            "created_by",
            "created_at",
            "status",
            "rows_read",
            "imported",
            "rejected",
            "duplicates",
            "reasons",
            "first_period",
            "last_period",
            "has_rejects",
        ]
        read_only_fields = fields

    def get_has_rejects(self, batch: SelloutImport) -> bool:
        return bool(batch.rejects_csv)


class PeriodParamsSerializer(serializers.Serializer):
    """`from` (the period compared against) and `to`: a year (2025), a quarter (2025-Q2), a
    month (2025-03) or months (2024-07..2025-06); both or neither (the last twelve months)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("from", "to"):
            self.fields[name] = serializers.CharField(required=False, max_length=40)

    def _period(self, value: str | None):
        if not value:
            return None
        try:
            return parse_period(value)
        except ValueError as error:
            raise serializers.ValidationError(
                "not a period: use 2025, 2025-Q2, 2025-03 or 2024-07..2025-06"
            ) from error

    def validate(self, data):
        errors, periods = {}, {}
        for name in ("from", "to"):
            try:
                periods[name] = self._period(data.get(name))
            except serializers.ValidationError as error:
                errors[name] = error.detail
        if errors:
            raise serializers.ValidationError(errors)
        if bool(periods["from"]) != bool(periods["to"]):
            raise serializers.ValidationError("give both `from` and `to`, or neither")
        return periods


class FiguresSerializer(serializers.Serializer):
    shoppers = serializers.IntegerField()
    visits = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=18, decimal_places=2)


class DecompositionSerializer(serializers.Serializer):
    before = FiguresSerializer()
    after = FiguresSerializer()
    change = serializers.DecimalField(max_digits=18, decimal_places=2)
    shoppers = serializers.DecimalField(max_digits=18, decimal_places=2)
    frequency = serializers.DecimalField(max_digits=18, decimal_places=2)
    spend = serializers.DecimalField(max_digits=18, decimal_places=2)


class StoreDecompositionSerializer(serializers.Serializer):
    store = serializers.CharField()
    status = serializers.ChoiceField(choices=["new", "closed", "continuing"])
    decomposition = DecompositionSerializer()


class AccountDecompositionSerializer(serializers.Serializer):
    account = serializers.IntegerField()
    currency = serializers.CharField()
    period_from = serializers.CharField(help_text="the period compared against")
    period_to = serializers.CharField()
    total = DecompositionSerializer()
    stores = StoreDecompositionSerializer(many=True)

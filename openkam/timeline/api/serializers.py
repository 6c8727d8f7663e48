from rest_framework import serializers

from ..events import EventKind


class TimelineQuerySerializer(serializers.Serializer):
    kind = serializers.ListField(
        child=serializers.ChoiceField(choices=EventKind.choices),
        required=False,
        help_text="Kinds of events to show (repeat the parameter); every kind by default.",
    )
    page = serializers.IntegerField(min_value=1, max_value=200, required=False, default=1)


class EventSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EventKind.choices)
    when = serializers.DateTimeField()
    dated = serializers.BooleanField(help_text="Only the date is known (no time of day).")
    title = serializers.CharField()
    detail = serializers.CharField()
    url = serializers.CharField()
    amount = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    currency = serializers.CharField()


class TimelineSerializer(serializers.Serializer):
    account = serializers.IntegerField()
    page = serializers.IntegerField()
    has_next = serializers.BooleanField()
    kinds = serializers.ListField(child=serializers.CharField())
    results = EventSerializer(many=True)

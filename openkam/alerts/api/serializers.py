from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import display
from ..models import Alert


class AlertSerializer(serializers.ModelSerializer):
    account_name = serializers.CharField(source="account.name", read_only=True)
    rule_label = serializers.SerializerMethodField(help_text=_("The rule, in your language."))
    text = serializers.SerializerMethodField(
        help_text=_("The evidence in your language, figures formatted.")
    )
    playbook = serializers.SerializerMethodField(
        help_text=_("The suggested steps, in your language.")
    )
    awake = serializers.BooleanField(
        read_only=True, help_text=_("In the inbox today: not resolved, not snoozed any more.")
    )
    acted_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Alert
        fields = [
            "id",
            "account",
            "account_name",
            "rule",
            "rule_label",
            "cause",
            "evidence",
            "params",
            "text",
            "url",
            "playbook",
            "as_of",
            "raised_at",
            "status",
            "awake",
            "snoozed_until",
            "resolved_note",
            "acted_by",
            "acted_at",
            "value_at_risk",
        ]
        read_only_fields = fields

    def get_rule_label(self, alert: Alert) -> str:
        return display.rule_label(alert.rule)

    def get_text(self, alert: Alert) -> str:
        return display.evidence_text(alert)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_playbook(self, alert: Alert) -> list[str]:
        return display.playbook(alert)


class SnoozeSerializer(serializers.Serializer):
    until = serializers.DateField(help_text=_("A future date; the alert re-opens the day after."))

    def validate_until(self, value):
        if value <= timezone.localdate():
            raise serializers.ValidationError(_("Snooze until a date in the future."))
        return value


class ResolveSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, help_text=_("How it was resolved (required)."))

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from openkam.accounts.models import Account
from openkam.activities.models import Purpose
from openkam.core.api.fields import VisibleRelatedField

from ..models import MAX_ENTRY_HOURS, TimeEntry
from ..periods import PERIOD_CHOICES, Period


class TimeEntrySerializer(serializers.ModelSerializer):
    user = serializers.SlugRelatedField(
        slug_field="username", read_only=True, help_text=_("Whose time it is: who recorded it.")
    )
    week = serializers.DateField(help_text=_("The Monday of the week (not a week to come)."))
    purpose = serializers.ChoiceField(choices=Purpose.choices, default=Purpose.KEY_ACCOUNT)
    hours = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MAX_ENTRY_HOURS,
        error_messages={
            "min_value": _("Enter more than 0 hours."),
            "max_value": _("An entry holds at most 80 hours; split a longer week."),
        },
        help_text=_("More than 0 and at most 80 hours."),
    )
    account = VisibleRelatedField(
        Account,
        allow_null=True,
        required=False,
        help_text=_("Optional: the id of an account you may see that the time was for."),
    )

    class Meta:
        model = TimeEntry
        fields = ["id", "user", "week", "purpose", "hours", "account", "note", "created_at"]
        read_only_fields = ["created_at"]


class SplitQuerySerializer(serializers.Serializer):
    period = serializers.ChoiceField(
        choices=PERIOD_CHOICES,
        default=Period.MONTH.value,
        help_text=_("Count the time per week, month or quarter."),
    )
    start = serializers.DateField(
        required=False,
        help_text=_("First day wanted; the range starts with the period holding it."),
    )
    end = serializers.DateField(
        required=False,
        help_text=_("Last day wanted (default: today); the range ends with its period."),
    )
    user = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=150,
        help_text=_("Username: one person's split (directors; anyone else only their own)."),
    )


class HoursSerializer(serializers.Serializer):
    key_account = serializers.FloatField()
    new_business = serializers.FloatField()
    other = serializers.FloatField()


class PeriodSplitSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    hours = HoursSerializer()
    total_hours = serializers.FloatField()
    key_account_share = serializers.FloatField(allow_null=True)


class PersonSplitSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    hours = HoursSerializer()
    total_hours = serializers.FloatField()
    key_account_share = serializers.FloatField(allow_null=True)
    on_target = serializers.BooleanField(allow_null=True)
    periods = PeriodSplitSerializer(many=True)


class AccountTimeSerializer(serializers.Serializer):
    account = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.CharField()
    owner = serializers.CharField(allow_null=True)
    hours = serializers.FloatField()
    revenue = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    growth = serializers.FloatField(allow_null=True)
    hours_per_thousand = serializers.FloatField(allow_null=True)
    over_served = serializers.BooleanField()
    neglected = serializers.BooleanField()


class TimeSplitSerializer(serializers.Serializer):
    period = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    target = serializers.FloatField()
    as_of = serializers.DateField(allow_null=True, help_text=_("The metrics snapshot's date."))
    reporting_currency = serializers.CharField(allow_blank=True)
    median_hours_per_thousand = serializers.FloatField(allow_null=True)
    people = PersonSplitSerializer(many=True)
    accounts = AccountTimeSerializer(many=True)

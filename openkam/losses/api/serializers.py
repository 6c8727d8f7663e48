from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from openkam.accounts.models import Account
from openkam.competitors.models import Competitor
from openkam.core.api.fields import VisibleRelatedField
from openkam.core.filters import MAX_ID
from openkam.keyaccounts.models import KeyAccountType
from openkam.metrics.models import Period

from ..forms import REASON_CHOICES
from ..models import AccountLoss
from ..selectors import GROUPS, MEASURES, SOURCES
from ..services import LOSS_FIELDS


class AccountLossSerializer(serializers.ModelSerializer):
    account = VisibleRelatedField(
        Account, help_text=_("Set when recording it; a loss record stays with its account.")
    )
    competitor = VisibleRelatedField(
        Competitor,
        required=False,
        allow_null=True,
        help_text=_("Id of the competitor the account went to; null when not known."),
    )
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = AccountLoss
        fields = ["id", "account", *LOSS_FIELDS, "recorded_by", "created_at", "updated_at"]
        read_only_fields = ["recorded_by", "created_at", "updated_at"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["account"].read_only = True


class LossQuerySerializer(serializers.Serializer):
    """Which snapshot, period length and accounts; which dimension the breakdown uses."""

    as_of = serializers.DateField(
        required=False, help_text="Snapshot date (default: the latest snapshot)."
    )
    period = serializers.ChoiceField(
        choices=Period.choices, default=Period.QUARTER, help_text="Period length (default quarter)."
    )
    group = serializers.ChoiceField(
        choices=list(GROUPS), default="owner", help_text="The breakdown's dimension."
    )
    owner = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="Owner (user id)."
    )
    country = serializers.CharField(
        required=False, max_length=2, help_text="ISO country code, e.g. TH."
    )
    segment = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="Segment id."
    )
    type = serializers.ChoiceField(
        choices=KeyAccountType.choices, required=False, help_text="Current key-account type."
    )
    key_only = serializers.BooleanField(
        default=False, help_text="Only the accounts that were key accounts on the snapshot's date."
    )


class DrillDownQuerySerializer(LossQuerySerializer):
    """The accounts behind one figure (`measure` in period `index`), one reason (`reason` from
    `source`) or one competitor — exactly one of the three."""

    measure = serializers.ChoiceField(choices=list(MEASURES), required=False)
    index = serializers.IntegerField(
        default=0, min_value=0, max_value=99, help_text="Period index, 0: the latest."
    )
    reason = serializers.ChoiceField(
        choices=REASON_CHOICES,
        required=False,
        help_text="A loss record's reason (source=loss) or a lost tender's (source=tender).",
    )
    source = serializers.ChoiceField(choices=list(SOURCES), default="loss")
    competitor = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)

    def validate(self, attrs):
        chosen = [n for n in ("measure", "reason", "competitor") if attrs.get(n) is not None]
        if len(chosen) != 1:
            raise serializers.ValidationError(
                _("Give exactly one of measure, reason or competitor.")
            )
        return attrs


class LossPointSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="0: the period ending on the as-of date.")
    start = serializers.DateField()
    end = serializers.DateField()
    lost = serializers.IntegerField()
    regained = serializers.IntegerField(allow_null=True, help_text="null: not known.")
    new = serializers.IntegerField(allow_null=True, help_text="null: not known.")
    shrinking = serializers.IntegerField(allow_null=True, help_text="null: not known.")
    revenue_lost = serializers.DecimalField(
        max_digits=18, decimal_places=2, allow_null=True, help_text="null: not known."
    )
    covered = serializers.CharField(help_text="How much of the period the history covers.")


class GroupRowSerializer(serializers.Serializer):
    key = serializers.CharField(allow_blank=True, help_text="The group's key; empty: none.")
    label = serializers.CharField()
    lost = serializers.IntegerField()
    regained = serializers.IntegerField()
    new = serializers.IntegerField()
    shrinking = serializers.IntegerField()
    revenue_lost = serializers.DecimalField(max_digits=18, decimal_places=2)


class ReasonSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=list(SOURCES))
    reason = serializers.CharField()
    label = serializers.CharField()
    accounts = serializers.IntegerField()
    records = serializers.IntegerField(help_text="Loss records or lost tenders.")
    revenue = serializers.DecimalField(
        max_digits=18,
        decimal_places=2,
        allow_null=True,
        help_text="The accounts' revenue before the loss (loss records only).",
    )


class CompetitorLossSerializer(serializers.Serializer):
    competitor_id = serializers.IntegerField()
    name = serializers.CharField()
    accounts = serializers.IntegerField()
    revenue = serializers.DecimalField(max_digits=18, decimal_places=2)
    tenders_won = serializers.IntegerField()


class LossDynamicsSerializer(serializers.Serializer):
    snapshot = serializers.IntegerField()
    as_of = serializers.DateField()
    period = serializers.CharField()
    start = serializers.DateField(help_text="The window's first day.")
    end = serializers.DateField(help_text="The window's last day (the as-of date).")
    reporting_currency = serializers.CharField()
    series_scope = serializers.CharField(
        help_text="portfolio, owner, country, segment, key (the engine's series; key: the key "
        "accounts only), own (a key account "
        "manager's own accounts) or computed (added up from the accounts' rows: earlier periods "
        "count the accounts still lost, regained/new/shrinking are null there)."
    )
    series = LossPointSerializer(many=True, help_text="Newest first.")
    group = serializers.CharField()
    breakdown = GroupRowSerializer(many=True, help_text="The latest period per group.")
    total = GroupRowSerializer()
    reasons = ReasonSerializer(many=True)
    without_reason = serializers.IntegerField()
    competitors = CompetitorLossSerializer(many=True)
    destination_unknown = serializers.IntegerField()


class LostAccountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    external_id = serializers.CharField(allow_blank=True)
    owner = serializers.CharField(allow_null=True)
    country = serializers.CharField(allow_blank=True)
    lost_since = serializers.DateField(allow_null=True)
    recorded_lost_on = serializers.DateField(allow_null=True)
    revenue_before_loss = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    reason = serializers.CharField(allow_null=True)
    competitor = serializers.CharField(allow_null=True)

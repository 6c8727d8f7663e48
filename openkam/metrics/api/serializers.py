from rest_framework import serializers

from ..models import Period


class MetricsQuerySerializer(serializers.Serializer):
    """The query of both metrics endpoints: which snapshot and which period length."""

    as_of = serializers.DateField(
        required=False, help_text="Snapshot date (default: the latest snapshot)."
    )
    period = serializers.ChoiceField(
        choices=Period.choices,
        default=Period.YEAR,
        help_text="Period length; the period ends on the as-of date (default: 12 months).",
    )


class PortfolioQuerySerializer(MetricsQuerySerializer):
    country = serializers.CharField(required=False, help_text="ISO country code, e.g. TH")
    owner = serializers.IntegerField(required=False, help_text="Owner (user id)")
    segment = serializers.IntegerField(required=False, help_text="Segment id")
    status = serializers.CharField(required=False, help_text="Account status, e.g. key")


class AccountRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.CharField()


class AccountMetricsSerializer(serializers.Serializer):
    account = AccountRefSerializer()
    period = serializers.CharField()
    revenue = serializers.DecimalField(max_digits=18, decimal_places=2)
    margin = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    volume = serializers.DecimalField(max_digits=18, decimal_places=4, allow_null=True)
    orders = serializers.IntegerField()
    revenue_prev = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    revenue_year_ago = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    growth_prev = serializers.FloatField(allow_null=True)
    growth_year_ago = serializers.FloatField(allow_null=True)
    window_revenue = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    revenue_cv = serializers.FloatField(allow_null=True)
    abc = serializers.CharField()
    xyz = serializers.CharField()
    active = serializers.BooleanField()
    previously_active = serializers.BooleanField()
    retained = serializers.BooleanField()
    lost_in_period = serializers.BooleanField()
    regained_in_period = serializers.BooleanField()
    discount_depth = serializers.FloatField(allow_null=True)
    discount_trend = serializers.FloatField(allow_null=True)
    haggler = serializers.BooleanField()
    is_key = serializers.BooleanField(
        help_text="A key account on the snapshot's date (by the nomination decisions); "
        "account.status is today's status."
    )
    # the account's state as of the date, whatever the period
    last_purchase = serializers.DateField(allow_null=True)
    rhythm = serializers.CharField(allow_blank=True)
    median_interval = serializers.FloatField(allow_null=True)
    interval_cv = serializers.FloatField(allow_null=True)
    expected_next_purchase = serializers.DateField(allow_null=True)
    days_since_purchase = serializers.IntegerField(allow_null=True)
    overdue = serializers.BooleanField()
    lost = serializers.BooleanField()
    prob_alive = serializers.FloatField(allow_null=True)
    expected_purchases_30 = serializers.FloatField(allow_null=True)
    expected_purchases_90 = serializers.FloatField(allow_null=True)
    expected_purchases_365 = serializers.FloatField(allow_null=True)
    expected_order_value = serializers.FloatField(allow_null=True)
    clv = serializers.FloatField(allow_null=True)


class MatrixCellSerializer(serializers.Serializer):
    abc = serializers.CharField()
    xyz = serializers.CharField()
    accounts = serializers.IntegerField()
    revenue = serializers.DecimalField(max_digits=18, decimal_places=2)


# How much of a period the imported history covers (openkam.analytics.periods.coverage).
COVERAGE_CHOICES = [("full", "full"), ("partial", "partial"), ("none", "none")]


class SeriesPointSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()
    revenue = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    active = serializers.IntegerField()
    retention_rate = serializers.FloatField(allow_null=True)
    revenue_retention_net = serializers.FloatField(allow_null=True)
    revenue_retention_gross = serializers.FloatField(allow_null=True)
    lost = serializers.IntegerField()
    regained = serializers.IntegerField()
    new = serializers.IntegerField()
    covered = serializers.ChoiceField(
        COVERAGE_CHOICES,
        help_text="How much of the period the imported history covers: zeros in a period it "
        "does not cover are no data, not no sales.",
    )


class CoverageSerializer(serializers.Serializer):
    """What the imported sales history covers of the periods a figure compares."""

    COVERED = COVERAGE_CHOICES
    history_start = serializers.DateField(
        allow_null=True, required=False, help_text="The first invoice date analysed."
    )
    history_end = serializers.DateField(
        allow_null=True, required=False, help_text="The last invoice date by the as-of date."
    )
    current = serializers.ChoiceField(COVERED, required=False)
    previous = serializers.ChoiceField(COVERED, required=False)
    year_ago = serializers.ChoiceField(COVERED, required=False)
    periods = serializers.ListField(
        child=serializers.ChoiceField(COVERED),
        required=False,
        help_text="Each period of the window, newest first.",
    )
    new_from = serializers.DateField(
        allow_null=True,
        required=False,
        help_text="Accounts first seen before this date may have bought before the history "
        "starts: they are not counted as new.",
    )


class PortfolioSerializer(serializers.Serializer):
    snapshot = serializers.IntegerField()
    as_of = serializers.DateField()
    period = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    reporting_currency = serializers.CharField()
    scope = serializers.CharField(help_text="portfolio, or filtered (filters or your accounts)")
    revenue = serializers.DecimalField(max_digits=18, decimal_places=2)
    revenue_prev = serializers.DecimalField(max_digits=18, decimal_places=2)
    revenue_year_ago = serializers.DecimalField(max_digits=18, decimal_places=2)
    growth_prev = serializers.FloatField(allow_null=True)
    growth_year_ago = serializers.FloatField(allow_null=True)
    growth_notes = serializers.DictField(
        child=serializers.CharField(),
        help_text="Why a growth figure is null although there was revenue before: the imported "
        "history covers the period compared with only in part (keys: growth_prev, "
        "growth_year_ago).",
    )
    coverage = CoverageSerializer()
    accounts_active = serializers.IntegerField()
    retention_rate = serializers.FloatField(allow_null=True)
    revenue_retention_net = serializers.FloatField(allow_null=True)
    revenue_retention_gross = serializers.FloatField(allow_null=True)
    key_accounts = serializers.IntegerField()
    key_account_share = serializers.FloatField(allow_null=True)
    top20_accounts = serializers.IntegerField()
    top20_share = serializers.FloatField(allow_null=True)
    lost = serializers.IntegerField()
    regained = serializers.IntegerField()
    new = serializers.IntegerField()
    accounts_overdue = serializers.IntegerField()
    accounts_lost = serializers.IntegerField()
    abc_xyz = MatrixCellSerializer(many=True)
    series = SeriesPointSerializer(many=True, help_text="the whole portfolio only")
    model = serializers.JSONField(help_text="BG/NBD and Gamma-Gamma parameters and check")
    available_as_of = serializers.ListField(child=serializers.DateField())

"""Snapshots of the analytics engine's results, stored so that pages and the API read them fast.

A snapshot is everything the engine computed as of one date. Pages and the API read the
latest finished snapshot for a date (or the latest date).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account
from openkam.accounts.querysets import AccountChildQuerySet, child_permissions


class Period(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year (12 months)")


class SnapshotStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Snapshot(models.Model):
    as_of = models.DateField(_("as of"), db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SnapshotStatus.choices, default=SnapshotStatus.RUNNING
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    engine = models.CharField(_("engine"), max_length=20, blank=True)
    reporting_currency = models.CharField(_("reporting currency"), max_length=3)
    duration_seconds = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    config = models.JSONField(_("configuration"), default=dict)
    # fitted model parameters and their check; per period: headline figures, Pareto curve,
    # ABC–XYZ matrix and period bounds
    model = models.JSONField(_("repeat-purchase model"), default=dict)
    periods = models.JSONField(_("portfolio per period"), default=dict)
    timings = models.JSONField(_("timings"), default=dict)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("metrics snapshot")
        verbose_name_plural = _("metrics snapshots")
        ordering = ["-as_of", "-created_at"]
        get_latest_by = ["as_of", "created_at"]
        permissions = [("run_analysis", _("Can run the analytics engine"))]

    def __str__(self) -> str:
        return f"Metrics as of {self.as_of} ({self.get_status_display()})"


class AccountMetricsQuerySet(AccountChildQuerySet):
    action_permissions = child_permissions("metrics", "accountmetrics")


class AccountMetrics(models.Model):
    """What does not depend on the period length: rhythm, lapse and the model's predictions."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="accounts")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    first_purchase = models.DateField(null=True)
    last_purchase = models.DateField(null=True)
    purchase_days = models.PositiveIntegerField(default=0)
    median_interval = models.FloatField(_("median days between purchases"), null=True)
    interval_cv = models.FloatField(_("variation of the intervals"), null=True)
    rhythm = models.CharField(max_length=10, blank=True, default="")
    expected_next_purchase = models.DateField(null=True)
    days_since_purchase = models.IntegerField(null=True)
    overdue = models.BooleanField(default=False)
    lost = models.BooleanField(default=False)
    # the loss criterion's second state: still buying, but revenue down more than the set share
    # against the twelve months before (AnalyticsConfig)
    shrinking = models.BooleanField(default=False)
    lost_since = models.DateField(null=True)  # the day the silence passed the lost criterion
    # the twelve months before the loss (lost) or before the as-of date (everyone else)
    revenue_before_loss = models.DecimalField(max_digits=18, decimal_places=2, null=True)
    prob_alive = models.FloatField(null=True)
    expected_purchases_30 = models.FloatField(null=True)
    expected_purchases_90 = models.FloatField(null=True)
    expected_purchases_365 = models.FloatField(null=True)
    expected_order_value = models.FloatField(null=True)
    clv = models.FloatField(_("customer lifetime value"), null=True)

    objects = AccountMetricsQuerySet.as_manager()

    class Meta:
        verbose_name = _("account metrics")
        verbose_name_plural = _("account metrics")
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "account"], name="account_metrics_once_per_snapshot"
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_id} as of snapshot {self.snapshot_id}"


class AccountPeriodMetricsQuerySet(AccountChildQuerySet):
    action_permissions = child_permissions("metrics", "accountperiodmetrics")


class AccountPeriodMetrics(models.Model):
    """An account's figures for the period ending on the snapshot's date."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="periods_set")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=10, choices=Period.choices)
    revenue = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    margin = models.DecimalField(max_digits=18, decimal_places=2, null=True)
    volume = models.DecimalField(max_digits=18, decimal_places=4, null=True)
    orders = models.PositiveIntegerField(default=0)
    revenue_prev = models.DecimalField(max_digits=18, decimal_places=2, null=True)
    revenue_year_ago = models.DecimalField(max_digits=18, decimal_places=2, null=True)
    growth_prev = models.FloatField(null=True)
    growth_year_ago = models.FloatField(null=True)
    window_revenue = models.DecimalField(max_digits=18, decimal_places=2, null=True)
    window_margin = models.DecimalField(max_digits=18, decimal_places=2, null=True)
    revenue_cv = models.FloatField(null=True)
    abc = models.CharField(max_length=1, blank=True, default="")
    xyz = models.CharField(max_length=1, blank=True, default="")
    active = models.BooleanField(default=False)
    previously_active = models.BooleanField(default=False)
    retained = models.BooleanField(default=False)
    discount_depth = models.FloatField(null=True)
    is_key = models.BooleanField(
        _("key account then"),
        default=False,
        help_text=_("A key account on the snapshot's date, by the nomination decisions."),
    )
    discount_trend = models.FloatField(null=True)
    haggler = models.BooleanField(default=False)
    # what happened in the period: silence passed the lost criterion, bought again after
    # being lost, first purchase ever
    lost_in_period = models.BooleanField(default=False)
    regained_in_period = models.BooleanField(default=False)
    new_in_period = models.BooleanField(default=False)

    objects = AccountPeriodMetricsQuerySet.as_manager()

    class Meta:
        verbose_name = _("account period metrics")
        verbose_name_plural = _("account period metrics")
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "account", "period"], name="account_period_once_per_snapshot"
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_id}, {self.period} to snapshot {self.snapshot_id}"


class SeriesPoint(models.Model):
    """One period of a group's time series (the portfolio, an owner, a country, a segment)."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="series")
    period = models.CharField(max_length=10, choices=Period.choices)
    group = models.CharField(max_length=10)
    key = models.CharField(max_length=40, blank=True)
    index = models.PositiveSmallIntegerField()
    start = models.DateField()
    end = models.DateField()
    revenue = models.DecimalField(max_digits=18, decimal_places=2, null=True)
    active = models.PositiveIntegerField(default=0)
    previously_active = models.PositiveIntegerField(default=0)
    retained = models.PositiveIntegerField(default=0)
    retention_rate = models.FloatField(null=True)
    revenue_retention_net = models.FloatField(null=True)
    revenue_retention_gross = models.FloatField(null=True)
    lost = models.PositiveIntegerField(default=0)
    regained = models.PositiveIntegerField(default=0)
    new = models.PositiveIntegerField(default=0)
    shrinking = models.PositiveIntegerField(default=0)  # shrinking at the end of the period
    # the revenue of the accounts lost in the period, over their twelve months before the loss
    revenue_lost = models.DecimalField(max_digits=18, decimal_places=2, null=True)

    class Meta:
        ordering = ["period", "group", "key", "index"]
        indexes = [models.Index(fields=["snapshot", "period", "group", "key"])]

    def __str__(self) -> str:
        return f"{self.group} {self.key} {self.period} {self.index}"


class CrossSellQuerySet(AccountChildQuerySet):
    action_permissions = child_permissions("metrics", "crosssellopportunity")


class CrossSellOpportunity(models.Model):
    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="cross_sell")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(
        "catalog.ProductCategory", on_delete=models.CASCADE, related_name="+"
    )
    rank = models.PositiveSmallIntegerField()
    affinity = models.FloatField()
    expected_revenue = models.FloatField()

    objects = CrossSellQuerySet.as_manager()

    class Meta:
        ordering = ["account", "rank"]

    def __str__(self) -> str:
        return f"{self.account_id}: category {self.category_id} (#{self.rank})"

"""Alerts on accounts and the thresholds directors set for the rules that raise them.

An alert is raised once per rule, cause and account (`alert_once_per_cause`): whatever becomes
of it (acknowledged, snoozed, resolved), the same cause never raises it again; a new cause (a
new late commitment, revenue down in a new quarter …) does. Its evidence is English with
`%(name)s` placeholders and their params, translated when shown (`display.evidence_text`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account
from openkam.accounts.querysets import AccountChildQuerySet, child_permissions


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    SNOOZED = "snoozed", _("Snoozed")
    RESOLVED = "resolved", _("Resolved")


class AlertQuerySet(AccountChildQuerySet):
    action_permissions = child_permissions("alerts", "alert")

    def awake(self, today: dt.date | None = None) -> AlertQuerySet:
        """Open or acknowledged, or snoozed until a day before `today` (it re-opens in the
        inbox the day after its snooze date)."""
        today = today or timezone.localdate()
        return self.filter(
            Q(status__in=(AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED))
            | Q(status=AlertStatus.SNOOZED, snoozed_until__lt=today)
        )

    def unresolved(self) -> AlertQuerySet:
        return self.exclude(status=AlertStatus.RESOLVED)

    def newest_and_most_valuable(self) -> AlertQuerySet:
        return self.order_by("-as_of", F("value_at_risk").desc(nulls_last=True), "-pk")


class Alert(models.Model):
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="alerts"
    )
    rule = models.CharField(_("rule"), max_length=60)
    cause = models.CharField(
        _("cause"), max_length=200, help_text=_("What is wrong, as a stable key of the rule.")
    )
    evidence = models.TextField(_("evidence"))
    params = models.JSONField(_("evidence figures"), default=dict, blank=True)
    url = models.CharField(_("where to act"), max_length=500, blank=True)
    as_of = models.DateField(_("as of"), help_text=_("The date of the data that raised it."))
    raised_at = models.DateTimeField(_("raised"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=12, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    snoozed_until = models.DateField(_("snoozed until"), null=True, blank=True)
    resolved_note = models.TextField(_("how it was resolved"), blank=True)
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last acted on by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    acted_at = models.DateTimeField(_("last acted on"), null=True, blank=True)
    value_at_risk = models.DecimalField(
        _("value at risk"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The account's revenue of the last 12 months (the latest metrics)."),
    )

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-as_of", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "cause", "account"],
                name="alert_once_per_cause",
                violation_error_message=_("This alert was already raised for the same cause."),
            ),
            models.CheckConstraint(
                condition=~Q(status=AlertStatus.SNOOZED) | Q(snoozed_until__isnull=False),
                name="alert_snoozed_has_date",
                violation_error_message=_("A snoozed alert needs the date it wakes up."),
            ),
            models.CheckConstraint(
                condition=~Q(status=AlertStatus.RESOLVED) | ~Q(resolved_note=""),
                name="alert_resolved_has_note",
                violation_error_message=_("Say how the alert was resolved."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=AlertStatus.values),
                name="alert_status_known",
                violation_error_message=_("Not an alert status."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-as_of"], name="alert_status_date"),
            models.Index(fields=["account", "status"], name="alert_account_status"),
        ]

    def __str__(self) -> str:
        return f"{self.rule}: {self.account_id} ({self.cause})"

    @property
    def awake(self) -> bool:
        """Whether it belongs in the inbox today."""
        if self.status == AlertStatus.SNOOZED:
            return self.snoozed_until is not None and self.snoozed_until < timezone.localdate()
        return self.status != AlertStatus.RESOLVED

    @property
    def woke_up(self) -> bool:
        """Snoozed, and back in the inbox since its snooze date passed."""
        return self.status == AlertStatus.SNOOZED and self.awake

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.status == AlertStatus.SNOOZED and self.snoozed_until is None:
            errors["snoozed_until"] = _("Give the date until which the alert sleeps.")
        if self.status == AlertStatus.RESOLVED and not (self.resolved_note or "").strip():
            errors["resolved_note"] = _("Say how the alert was resolved.")
        if errors:
            raise ValidationError(errors)


class AlertSettings(models.Model):
    """A rule's thresholds and whether it runs, set by a director. The newest row of a rule is
    in force; the older ones say who changed what and when (never edited). A rule without a
    row runs with its default thresholds."""

    rule = models.CharField(_("rule"), max_length=60)
    enabled = models.BooleanField(_("enabled"), default=True)
    thresholds = models.JSONField(_("thresholds"), default=dict, blank=True)
    note = models.CharField(_("note"), max_length=250, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("set at"), auto_now_add=True)

    class Meta:
        verbose_name = _("alert settings")
        verbose_name_plural = _("alert settings")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["rule", "-created_at"], name="alertsettings_rule_date")]

    def __str__(self) -> str:
        state = "on" if self.enabled else "off"
        values = ", ".join(f"{k} {v:g}" for k, v in sorted((self.thresholds or {}).items()))
        return f"{self.rule} ({state}{', ' + values if values else ''})"

    def clean(self) -> None:
        super().clean()
        from . import rules as registry

        try:
            rule = registry.rule(self.rule)
        except KeyError:
            raise ValidationError({"rule": _("No such alert rule.")}) from None
        known = {t.key: t for t in rule.thresholds}
        errors = []
        if not isinstance(self.thresholds, dict):
            raise ValidationError({"thresholds": _("Thresholds are a mapping of name to value.")})
        for key, value in self.thresholds.items():
            threshold = known.get(key)
            if threshold is None:
                errors.append(_("%(key)s: not a threshold of this rule.") % {"key": key})
            elif not isinstance(value, int | float) or isinstance(value, bool):
                errors.append(_("%(key)s: a threshold is a number.") % {"key": key})
            elif (threshold.minimum is not None and value < threshold.minimum) or (
                threshold.maximum is not None and value > threshold.maximum
            ):
                errors.append(
                    _("%(key)s: from %(min)s to %(max)s.")
                    % {"key": key, "min": threshold.minimum, "max": threshold.maximum}
                )
        if errors:
            raise ValidationError({"thresholds": errors})

"""The health score: the weights directors set, and each account's score per snapshot date.

A score is stored for every finished metrics snapshot (its history), with each component's
reading, weight and contribution, so that the page explains it and the backtest can rescore
the past with other weights (`openkam.health.scoring`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account
from openkam.accounts.querysets import AccountChildQuerySet, child_permissions
from openkam.metrics.models import Snapshot

from . import components as registry
from .scoring import Thresholds

DEFAULT_GREEN_FROM = 70.0
DEFAULT_AMBER_FROM = 45.0
MAX_WEIGHT = 100.0


class HealthLevel(models.TextChoices):
    GREEN = "green", _("Green")
    AMBER = "amber", _("Amber")
    RED = "red", _("Red")


class HealthWeights(models.Model):
    """How much each component counts and where the levels start, set by a director. The
    newest row is in force; the older ones say who changed what and when (never edited)."""

    weights = models.JSONField(
        _("weights"),
        default=dict,
        blank=True,
        help_text=_(
            "Per component key, a weight of 0 or more; a component not listed counts "
            "with its default weight."
        ),
    )
    green_from = models.FloatField(
        _("green from"),
        default=DEFAULT_GREEN_FROM,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("A score at least this high is green."),
    )
    amber_from = models.FloatField(
        _("amber from"),
        default=DEFAULT_AMBER_FROM,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("A score at least this high (and below green) is amber; lower is red."),
    )
    note = models.CharField(_("note"), max_length=250, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("set at"), auto_now_add=True)

    class Meta:
        verbose_name = _("health weights")
        verbose_name_plural = _("health weights")
        ordering = ["-created_at", "-id"]
        get_latest_by = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amber_from__gte=0) & Q(green_from__lte=100),
                name="healthweights_thresholds_0_to_100",
                violation_error_message=_("Thresholds go from 0 to 100."),
            ),
            models.CheckConstraint(
                condition=Q(amber_from__lte=models.F("green_from")),
                name="healthweights_amber_below_green",
                violation_error_message=_("Amber must start at or below green."),
            ),
        ]

    def __str__(self) -> str:
        return ", ".join(f"{key} {value:g}" for key, value in self.as_dict().items())

    def clean(self) -> None:
        super().clean()
        errors = {}
        if not isinstance(self.weights, dict):
            errors["weights"] = _("The weights are a mapping of component to weight.")
        else:
            for key, value in self.weights.items():
                if not isinstance(value, int | float) or isinstance(value, bool):
                    errors["weights"] = _("%(key)s: a weight is a number.") % {"key": key}
                elif value < 0 or value > MAX_WEIGHT:
                    errors["weights"] = _("%(key)s: a weight goes from 0 to %(max)s.") % {
                        "key": key,
                        "max": int(MAX_WEIGHT),
                    }
            if not errors and not any(value > 0 for value in self.as_dict().values()):
                errors["weights"] = _("At least one component must count: not all zero.")
        if (
            self.green_from is not None
            and self.amber_from is not None
            and self.amber_from > self.green_from
        ):
            errors["amber_from"] = _("Amber must start at or below green.")
        if errors:
            raise ValidationError(errors)

    def as_dict(self) -> dict[str, float]:
        """The weight of every registered component (its default where none was set), and of
        any key set here that no app registers any more."""
        weights = {c.key: float(c.default_weight) for c in registry.components()}
        for key, value in (self.weights or {}).items():
            weights[key] = float(value)
        return weights

    def weight_for(self, key: str) -> float:
        return self.as_dict().get(key, 0.0)

    def shares(self) -> dict[str, float]:
        """Each component's share of the total weight, 0–1 (before missing ones are left out)."""
        weights = self.as_dict()
        total = sum(weights.values()) or 1.0
        return {key: value / total for key, value in weights.items()}

    def thresholds(self) -> Thresholds:
        return Thresholds(green_from=self.green_from, amber_from=self.amber_from)


class HealthScoreQuerySet(AccountChildQuerySet):
    action_permissions = child_permissions("health", "healthscore")


class HealthScore(models.Model):
    """An account's health as of a snapshot's date.

    `components`: per component key either {score (0–1), value, evidence, params, weight,
    share, contribution (points of the 0–100 score)} or {missing: true, weight}. A parent of a
    group (`rolled_up`) holds its subsidiaries' revenue-weighted score, and its components are
    the revenue-weighted readings of theirs (see `services.roll_up`)."""

    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="health_scores"
    )
    snapshot = models.ForeignKey(
        Snapshot,
        verbose_name=_("snapshot"),
        on_delete=models.CASCADE,
        related_name="health_scores",
    )
    as_of = models.DateField(_("as of"), db_index=True)
    score = models.FloatField(
        _("health score"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    level = models.CharField(_("level"), max_length=5, choices=HealthLevel.choices)
    components = models.JSONField(_("components"), default=dict)
    weights = models.ForeignKey(
        HealthWeights,
        verbose_name=_("weights"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The weights in force when it was computed (empty: the defaults)."),
    )
    revenue = models.DecimalField(
        _("revenue (12 months)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    rolled_up = models.BooleanField(
        _("rolled up"),
        default=False,
        help_text=_("A group's score: its subsidiaries' scores weighted by their revenue."),
    )
    computed_at = models.DateTimeField(_("computed"), auto_now_add=True)

    objects = HealthScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("health score")
        verbose_name_plural = _("health scores")
        ordering = ["-as_of", "account_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "account"],
                name="healthscore_once_per_snapshot",
                violation_error_message=_("The account already has a score for this snapshot."),
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=100),
                name="healthscore_0_to_100",
                violation_error_message=_("A health score goes from 0 to 100."),
            ),
            models.CheckConstraint(
                condition=Q(level__in=HealthLevel.values),
                name="healthscore_level_known",
                violation_error_message=_("Not a health level."),
            ),
        ]
        indexes = [
            models.Index(fields=["account", "-as_of"], name="healthscore_account_date"),
            models.Index(fields=["snapshot", "level"], name="healthscore_snapshot_level"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} as of {self.as_of}: {self.score:.0f} ({self.level})"

    def missing(self) -> list[str]:
        return [key for key, part in self.components.items() if part.get("missing")]

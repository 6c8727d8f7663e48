"""The retention what-if's basis, stored from every metrics snapshot so the page and the API
never run the engine: per group (the portfolio, an owner, a country, a segment) and cohort age,
the year-on-year transitions and the accounts active now (see openkam/analytics/whatif.py)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from openkam.metrics.models import Snapshot


class Group(models.TextChoices):
    PORTFOLIO = "portfolio", _("Portfolio")
    OWNER = "owner", _("Owner")
    COUNTRY = "country", _("Country")
    SEGMENT = "segment", _("Segment")


class CohortAge(models.Model):
    snapshot = models.ForeignKey(
        Snapshot, on_delete=models.CASCADE, related_name="cohort_ages", verbose_name=_("snapshot")
    )
    group = models.CharField(_("group"), max_length=10, choices=Group.choices)
    # the owner's or segment's id, the country code; "" for the portfolio (and for accounts
    # without an owner, country or segment)
    key = models.CharField(_("group key"), max_length=40, blank=True)
    age = models.PositiveSmallIntegerField(_("cohort age"))
    previously_active = models.PositiveIntegerField(_("active the year before"), default=0)
    retained = models.PositiveIntegerField(_("retained"), default=0)
    retained_revenue = models.DecimalField(
        _("revenue of the retained accounts"), max_digits=18, decimal_places=2, default=0
    )
    active_now = models.PositiveIntegerField(_("active now"), default=0)
    revenue_now = models.DecimalField(_("revenue now"), max_digits=18, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("cohort age")
        verbose_name_plural = _("cohort ages")
        ordering = ["snapshot", "group", "key", "age"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "group", "key", "age"],
                name="cohortage_one_row_per_group_key_and_age",
                violation_error_message=_("A snapshot has one row per group, key and age."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.key} age {self.age}"

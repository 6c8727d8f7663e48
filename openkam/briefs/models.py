"""A negotiation brief: one page to prepare a meeting with a key account, built from the dossier
for a chosen date and the people who will be in the room. Only what the KAM types is stored
(the meeting, the people, what we want, the questions, notes); the rest is read from the dossier
each time, so the brief is never out of date before the meeting."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account
from openkam.accounts.querysets import AccountChildQuerySet, child_permissions
from openkam.core.models import TimeStampedModel
from openkam.stakeholders.models import Stakeholder


class BriefQuerySet(AccountChildQuerySet):
    action_permissions = child_permissions("briefs", "negotiationbrief")


class NegotiationBrief(TimeStampedModel):
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="briefs"
    )
    meeting_on = models.DateField(
        _("meeting date"), help_text=_("The figures are read as of this date (or today).")
    )
    title = models.CharField(_("meeting"), max_length=200)
    attendees = models.ManyToManyField(
        Stakeholder,
        verbose_name=_("their people in the room"),
        related_name="briefs",
        blank=True,
    )
    our_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("our people in the room"),
        related_name="briefs_attended",
        blank=True,
    )
    goals = models.TextField(
        _("what we want from it"),
        blank=True,
        help_text=_("Our aim, our opening position and where we can give way."),
    )
    questions = models.TextField(_("questions to ask"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = BriefQuerySet.as_manager()

    class Meta:
        verbose_name = _("negotiation brief")
        verbose_name_plural = _("negotiation briefs")
        ordering = ["-meeting_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title=""),
                name="negotiationbrief_title_given",
                violation_error_message=_("Name the meeting the brief prepares."),
            ),
        ]
        indexes = [models.Index(fields=["account", "-meeting_on"], name="brief_account_idx")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        self.title = self.title.strip()
        if not self.title:
            raise ValidationError({"title": _("Name the meeting the brief prepares.")})

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("briefs:detail", args=[self.pk])

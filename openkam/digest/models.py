"""The weekly digest: who wants it, and each sending (so a week's digest goes out once).

A `DigestRun` is one sending of the digest to everyone (or to one user, from the command
line). A scheduled run holds its `slot` — the week's moment it was due (Monday 07:00 by
default) — and the slot is unique, so however often the scheduler restarts or runs beside
another, a week's digest is queued once. Each recipient's `DigestDelivery` is unique per run:
a run that is retried after a crash sends only to those it had not reached yet.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DigestSubscription(models.Model):
    """A user's choice about the weekly digest. No row: they receive it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="digest_subscription",
    )
    subscribed = models.BooleanField(_("receives the weekly digest"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("digest subscription")
        verbose_name_plural = _("digest subscriptions")
        ordering = ["user__username"]
        permissions = [
            ("receive_director_digest", _("Receives the directors' part of the weekly digest"))
        ]

    def __str__(self) -> str:
        return f"{self.user}: {'subscribed' if self.subscribed else 'opted out'}"


class RunTrigger(models.TextChoices):
    SCHEDULE = "schedule", _("Schedule")
    MANUAL = "manual", _("Command line")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    MISSED = "missed", _("Missed (the server was down too long)")


class DigestRun(models.Model):
    slot = models.DateTimeField(
        _("scheduled for"),
        null=True,
        blank=True,
        help_text=_("The week's moment the digest was due (empty: sent from the command line)."),
    )
    as_of = models.DateField(_("as of"))
    trigger = models.CharField(_("trigger"), max_length=10, choices=RunTrigger.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    sent = models.PositiveIntegerField(_("sent"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("digest run")
        verbose_name_plural = _("digest runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                name="digestrun_once_per_slot",
                violation_error_message=_("The digest of this week has already been sent."),
            )
        ]

    def __str__(self) -> str:
        return f"Digest as of {self.as_of} ({self.get_status_display()})"


class DeliveryStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Skipped")
    FAILED = "failed", _("Failed")


class DigestDelivery(models.Model):
    run = models.ForeignKey(
        DigestRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="deliveries"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=10, choices=DeliveryStatus.choices)
    # why it was skipped or failed: inactive, no_email, opted_out, empty, or the error
    reason = models.CharField(_("reason"), max_length=250, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("digest delivery")
        verbose_name_plural = _("digest deliveries")
        ordering = ["run", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "user"],
                name="digestdelivery_once_per_run",
                violation_error_message=_("This run has already reached this user."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} in run {self.run_id}: {self.status}"

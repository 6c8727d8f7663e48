"""Promises and responsiveness: what we promised a customer and what they promised us
(commitments), and what they asked of us and how fast we answered (customer requests).

"Delays and lateness" and "missed deadlines and promises" are how key customers are lost
(`../shared/DOMAIN.md`, "Keeping them"): a late commitment shows on the account, on its owner's
list and in the digest; a request's first answer is timed in working hours against
`KAM_RESPONSE_HOURS` (see `working_hours`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account
from openkam.accounts.querysets import AccountChildQuerySet, child_permissions
from openkam.activities.models import Activity
from openkam.core.models import TimeStampedModel
from openkam.plans.models import PlanAction
from openkam.stakeholders.models import Stakeholder
from openkam.tenders.models import Tender

from . import working_hours

# A time typed on a slightly fast clock is not "in the future".
CLOCK_SKEW = dt.timedelta(minutes=5)


class Direction(models.TextChoices):
    OURS = "ours", _("We promised them")
    THEIRS = "theirs", _("They promised us")


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class CommitmentQuerySet(AccountChildQuerySet):
    action_permissions = child_permissions("commitments", "commitment")

    def known_on(self, day: dt.date) -> CommitmentQuerySet:
        """Commitments made on or before `day` (what was known then)."""
        return self.filter(promised_on__lte=day)

    def open_on(self, day: dt.date) -> CommitmentQuerySet:
        """Commitments that were open at the end of `day`: made by then, and not done or
        cancelled by then (a commitment done later was still open that day)."""
        return self.known_on(day).filter(
            Q(status=CommitmentStatus.OPEN)
            | Q(status=CommitmentStatus.DONE, done_on__gt=day)
            | Q(status=CommitmentStatus.CANCELLED, cancelled_on__gt=day)
        )

    def late_on(self, day: dt.date) -> CommitmentQuerySet:
        """Open on `day` and due before it."""
        return self.open_on(day).filter(due_on__lt=day)


class Commitment(TimeStampedModel):
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="commitments"
    )
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.OURS
    )
    description = models.CharField(_("what was promised"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("our owner"),
        on_delete=models.PROTECT,
        related_name="commitments",
        help_text=_("Who on our side keeps it, or follows it up when they promised it."),
    )
    their_owner = models.ForeignKey(
        Stakeholder,
        verbose_name=_("their owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
        help_text=_("The person at the customer it was promised to, or who promised it."),
    )
    promised_on = models.DateField(_("promised on"), default=timezone.localdate)
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CommitmentStatus.choices,
        default=CommitmentStatus.OPEN,
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True, editable=False)
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
        help_text=_("The meeting or call where it was promised."),
    )
    plan_action = models.ForeignKey(
        PlanAction,
        verbose_name=_("plan action"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
    )
    tender = models.ForeignKey(
        Tender,
        verbose_name=_("tender"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
    )
    notes = models.TextField(_("notes"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["account", "status", "due_on"], name="commitment_account_due"),
            models.Index(fields=["owner", "status", "due_on"], name="commitment_owner_due"),
            models.Index(fields=["status", "due_on"], name="commitment_status_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(description=""),
                name="commitment_description_given",
                violation_error_message=_("Say what was promised."),
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("promised_on")),
                name="commitment_due_after_promised",
                violation_error_message=_("The due date cannot be before the day it was promised."),
            ),
            models.CheckConstraint(
                condition=~Q(status=CommitmentStatus.DONE) | Q(done_on__isnull=False),
                name="commitment_done_has_date",
                violation_error_message=_("Give the date the commitment was done."),
            ),
            models.CheckConstraint(
                condition=Q(status=CommitmentStatus.DONE) | Q(done_on__isnull=True),
                name="commitment_date_only_when_done",
                violation_error_message=_("Only a done commitment has a done date."),
            ),
            models.CheckConstraint(
                condition=Q(status=CommitmentStatus.CANCELLED) | Q(cancelled_on__isnull=True),
                name="commitment_cancel_date_only_when_cancelled",
                violation_error_message=_("Only a cancelled commitment has a cancellation date."),
            ),
        ]

    def __str__(self) -> str:
        return self.description

    def is_late(self, as_of: dt.date | None = None) -> bool:
        """Open and past its due date (as of today, or `as_of`)."""
        return self.status == CommitmentStatus.OPEN and self.due_on < (
            as_of or timezone.localdate()
        )

    def days_late(self, as_of: dt.date | None = None) -> int:
        return max(((as_of or timezone.localdate()) - self.due_on).days, 0)

    def clean(self) -> None:
        errors: dict[str, object] = {}
        today = timezone.localdate()
        if self.promised_on and self.promised_on > today:
            errors["promised_on"] = _("A commitment cannot be promised in the future.")
        if self.promised_on and self.due_on and self.due_on < self.promised_on:
            errors["due_on"] = _("The due date cannot be before the day it was promised.")
        if self.status == CommitmentStatus.DONE:
            if not self.done_on:
                errors["done_on"] = _("Give the date the commitment was done.")
            elif self.done_on > today:
                errors["done_on"] = _("The done date cannot be in the future.")
        elif self.done_on:
            errors["done_on"] = _("Only a done commitment has a done date: leave it empty.")
        if self.account_id is not None:
            errors.update(self._account_errors())
        if errors:
            raise ValidationError(errors)

    def _account_errors(self) -> dict[str, object]:
        """Everything linked must belong to the commitment's account; the owner must see it."""
        errors: dict[str, object] = {}
        if self.their_owner_id and self.their_owner.account_id != self.account_id:
            errors["their_owner"] = _("This person works at another account.")
        if self.activity_id and self.activity.account_id != self.account_id:
            errors["activity"] = _("This activity belongs to another account.")
        if self.tender_id and self.tender.account_id != self.account_id:
            errors["tender"] = _("This tender belongs to another account.")
        if (
            self.plan_action_id
            and not PlanAction.objects.filter(
                pk=self.plan_action_id, objective__plan__account_id=self.account_id
            ).exists()
        ):
            errors["plan_action"] = _("This plan action belongs to another account's plan.")
        if self.owner_id and not _sees_account(self.owner, self.account_id):
            errors["owner"] = _("%(user)s cannot see this account: choose someone who can.") % {
                "user": self.owner
            }
        return errors


def _sees_account(user, account_id: int) -> bool:
    return (
        user.is_active and Account.objects.visible_to(user, "view").filter(pk=account_id).exists()
    )


class RequestKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    QUOTE = "quote", _("Quote")
    SAMPLE = "sample", _("Sample")
    LISTING = "listing", _("Listing")
    OTHER = "other", _("Other")


class CustomerRequestQuerySet(AccountChildQuerySet):
    action_permissions = child_permissions("commitments", "customerrequest")

    def received_by(self, moment: dt.datetime) -> CustomerRequestQuerySet:
        return self.filter(received_at__lt=moment)

    def open_at(self, moment: dt.datetime) -> CustomerRequestQuerySet:
        """Received before `moment` and not closed by then."""
        return self.received_by(moment).filter(Q(closed_at__isnull=True) | Q(closed_at__gte=moment))

    def unanswered_at(self, moment: dt.datetime) -> CustomerRequestQuerySet:
        """Received before `moment` and not answered by then."""
        return self.received_by(moment).filter(
            Q(first_answered_at__isnull=True) | Q(first_answered_at__gte=moment)
        )

    def overdue_at(
        self, moment: dt.datetime, hours: float | None = None
    ) -> CustomerRequestQuerySet:
        """Unanswered at `moment` after more than `hours` working hours (the target)."""
        hours = working_hours.response_target() if hours is None else hours
        cutoff = working_hours.overdue_cutoff(moment, hours)
        return self.unanswered_at(moment).filter(received_at__lt=cutoff)


class CustomerRequest(TimeStampedModel):
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="requests"
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=RequestKind.choices, default=RequestKind.OTHER
    )
    stakeholder = models.ForeignKey(
        Stakeholder,
        verbose_name=_("asked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests",
    )
    subject = models.CharField(_("subject"), max_length=200)
    details = models.TextField(_("details"), blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    first_answered_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("our owner"),
        on_delete=models.PROTECT,
        related_name="customer_requests",
        help_text=_("Who answers it."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = CustomerRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("customer request")
        verbose_name_plural = _("customer requests")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["account", "received_at"], name="request_account_received"),
            models.Index(fields=["owner", "received_at"], name="request_owner_received"),
            models.Index(fields=["first_answered_at", "received_at"], name="request_unanswered"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(subject=""),
                name="request_subject_given",
                violation_error_message=_("Say what the customer asked for."),
            ),
            models.CheckConstraint(
                condition=Q(first_answered_at__isnull=True)
                | Q(first_answered_at__gte=models.F("received_at")),
                name="request_answered_after_received",
                violation_error_message=_("A request cannot be answered before it was received."),
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True)
                | Q(first_answered_at__isnull=False, closed_at__gte=models.F("first_answered_at")),
                name="request_closed_after_answered",
                violation_error_message=_(
                    "A request is closed after its first answer: give the first answer first."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def response_hours(self) -> float | None:
        """Working hours from receipt to the first answer; None while unanswered."""
        if self.first_answered_at is None:
            return None
        return working_hours.working_hours_between(self.received_at, self.first_answered_at)

    def hours_waiting(self, at: dt.datetime | None = None) -> float:
        """Working hours the customer has waited for a first answer (until it came, or `at`)."""
        end = self.first_answered_at or at or timezone.now()
        return working_hours.working_hours_between(self.received_at, end)

    def is_overdue(self, at: dt.datetime | None = None, hours: float | None = None) -> bool:
        """Unanswered at `at` (now) after more than the target of working hours."""
        at = at or timezone.now()
        if self.first_answered_at is not None and self.first_answered_at < at:
            return False
        target = working_hours.response_target() if hours is None else hours
        return working_hours.working_hours_between(self.received_at, at) > target

    def clean(self) -> None:
        errors: dict[str, object] = {}
        latest = timezone.now() + CLOCK_SKEW
        received, answered, closed = self.received_at, self.first_answered_at, self.closed_at
        for name, moment in (
            ("received_at", received),
            ("first_answered_at", answered),
            ("closed_at", closed),
        ):
            if moment and moment > latest:
                errors[name] = _("This time is in the future.")
        if received and answered and answered < received:
            errors.setdefault(
                "first_answered_at", _("A request cannot be answered before it was received.")
            )
        if closed and not answered:
            errors.setdefault(
                "first_answered_at",
                _("A request is closed after its first answer: give the first answer first."),
            )
        elif closed and answered and closed < answered:
            errors.setdefault("closed_at", _("A request cannot be closed before its first answer."))
        if self.account_id is not None:
            if self.stakeholder_id and self.stakeholder.account_id != self.account_id:
                errors["stakeholder"] = _("This person works at another account.")
            if self.owner_id and not _sees_account(self.owner, self.account_id):
                errors["owner"] = _("%(user)s cannot see this account: choose someone who can.") % {
                    "user": self.owner
                }
        if errors:
            raise ValidationError(errors)

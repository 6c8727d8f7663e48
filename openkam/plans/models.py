"""The account plan: one per key account and year, bringing value to the customer's business.

Goals (revenue, margin, share of wallet) are targets; the actual figures beside them are read
from the metrics snapshots (`selectors.with_actuals`), never typed in. Value propositions say
how we help the customer earn more or spend less; objectives break into actions with an owner
from the account team; risks are weighed; business reviews (QBRs) are held at the plan's
cadence. Every row belongs to an account through its plan and is authorised through it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account, AccountStatus
from openkam.accounts.querysets import AccountChildQuerySet, child_permissions
from openkam.activities.models import Activity
from openkam.core.models import TimeStampedModel
from openkam.stakeholders.models import Stakeholder

MIN_YEAR, MAX_YEAR = 2000, 2100
BUSINESS_REVIEW = "business_review"  # the activity kind a review may be linked to


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class ReviewCadence(models.TextChoices):
    """How often the plan is reviewed with the customer (business reviews, QBRs)."""

    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Half-yearly")
    YEARLY = "yearly", _("Yearly")


CADENCE_MONTHS = {
    ReviewCadence.MONTHLY: 1,
    ReviewCadence.QUARTERLY: 3,
    ReviewCadence.HALF_YEARLY: 6,
    ReviewCadence.YEARLY: 12,
}


class ValueKind(models.TextChoices):
    """How a plan brings value to the customer's business (DOMAIN.md, "Creating value")."""

    RAISE_MARGIN = "raise_margin", _("Raise their margin")
    CUT_COST = "cut_cost", _("Cut their operating cost")
    GROW_SHOPPERS = "grow_shoppers", _("Grow their shoppers")
    GROW_SPEND = "grow_spend", _("Grow spend per shopper")
    GROW_FREQUENCY = "grow_frequency", _("Grow visit frequency")
    BETTER_SERVICE = "better_service", _("Better service")
    OTHER = "other", _("Other")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


def _money(verbose_name, help_text="") -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=help_text,
    )


class AccountPlanQuerySet(AccountChildQuerySet):
    action_permissions = child_permissions("plans", "accountplan")


class AccountPlan(TimeStampedModel):
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    ambition = models.TextField(
        _("ambition"), blank=True, help_text=_("What we want to achieve together this year.")
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        editable=False,
        help_text=_("The reporting currency the targets are in, as the metrics are."),
    )
    revenue_target = _money(_("revenue target"))
    margin_target = _money(_("margin target"), _("Gross margin (revenue less cost) to reach."))
    wallet_estimate = _money(
        _("their total spend (wallet)"),
        _("What the customer spends a year on what we sell, from all suppliers."),
    )
    share_of_wallet_target = models.DecimalField(
        _("share-of-wallet target (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    review_cadence = models.CharField(
        _("review cadence"),
        max_length=12,
        choices=ReviewCadence.choices,
        default=ReviewCadence.QUARTERLY,
        help_text=_("How often the plan is reviewed with the customer (business reviews)."),
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = AccountPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("account plan")
        verbose_name_plural = _("account plans")
        ordering = ["-year", "account__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "year"],
                name="accountplan_once_per_year",
                violation_error_message=_("This account already has a plan for that year."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
                name="accountplan_year_range",
                violation_error_message=_("The year must be between 2000 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(share_of_wallet_target__isnull=True)
                | Q(share_of_wallet_target__gte=0, share_of_wallet_target__lte=100),
                name="accountplan_share_is_percentage",
                violation_error_message=_("A share of wallet is between 0 and 100 %."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.year}"

    def save(self, *args, **kwargs) -> None:
        if not self.currency:
            self.currency = settings.REPORTING_CURRENCY
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        adding = self._state.adding and self.account_id is not None
        if adding and self.account.status != AccountStatus.KEY:
            raise ValidationError(
                {
                    "account": _(
                        "Only key accounts have an account plan: %(account)s is not a key "
                        "account (nominate it first)."
                    )
                    % {"account": self.account}
                }
            )


class _PlanChildQuerySet(AccountChildQuerySet):
    account_path = "plan__account"


class ValuePropositionQuerySet(_PlanChildQuerySet):
    action_permissions = child_permissions("plans", "valueproposition")


class ValueProposition(TimeStampedModel):
    """A way the plan brings value to the customer's business, with the effect we expect."""

    plan = models.ForeignKey(
        AccountPlan,
        verbose_name=_("account plan"),
        on_delete=models.CASCADE,
        related_name="value_propositions",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ValueKind.choices)
    description = models.TextField(_("description"))
    expected_effect = models.TextField(
        _("expected effect"), help_text=_("What changes for the customer, and by when.")
    )
    expected_amount = models.DecimalField(
        _("expected effect (amount)"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Optional: the effect in money for the customer, a year."),
    )

    objects = ValuePropositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("value proposition")
        verbose_name_plural = _("value propositions")
        ordering = ["plan", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(description=""),
                name="valueproposition_description_given",
                violation_error_message=_("Describe the value proposition."),
            ),
        ]

    @property
    def plan_account_id(self) -> int:
        """The account the row belongs to (for the change log)."""
        return self.plan.account_id

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description[:60]}"


class PlanObjectiveQuerySet(_PlanChildQuerySet):
    action_permissions = child_permissions("plans", "planobjective")


class PlanObjective(TimeStampedModel):
    plan = models.ForeignKey(
        AccountPlan,
        verbose_name=_("account plan"),
        on_delete=models.CASCADE,
        related_name="objectives",
    )
    title = models.CharField(_("objective"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    objects = PlanObjectiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["plan", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title=""),
                name="planobjective_title_given",
                violation_error_message=_("Name the objective."),
            ),
        ]

    @property
    def plan_account_id(self) -> int:
        """The account the row belongs to (for the change log)."""
        return self.plan.account_id

    def __str__(self) -> str:
        return self.title


class PlanActionQuerySet(AccountChildQuerySet):
    action_permissions = child_permissions("plans", "planaction")
    account_path = "objective__plan__account"

    def overdue(self, today: dt.date | None = None) -> PlanActionQuerySet:
        return self.filter(status__in=OPEN_STATUSES, due_date__lt=today or timezone.localdate())


class PlanAction(TimeStampedModel):
    objective = models.ForeignKey(
        PlanObjective,
        verbose_name=_("objective"),
        on_delete=models.CASCADE,
        related_name="actions",
    )
    title = models.CharField(_("action"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="plan_actions",
        help_text=_("Who on the account team does it."),
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)

    objects = PlanActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ActionStatus.DONE) | Q(done_on__isnull=False),
                name="planaction_done_has_date",
                violation_error_message=_("Give the date a done action was done."),
            ),
            models.CheckConstraint(
                condition=Q(status=ActionStatus.DONE) | Q(done_on__isnull=True),
                name="planaction_date_only_when_done",
                violation_error_message=_("Only a done action has a done date."),
            ),
            models.CheckConstraint(
                condition=~Q(title=""),
                name="planaction_title_given",
                violation_error_message=_("Say what the action is."),
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="planaction_status_due")]

    @property
    def plan_account_id(self) -> int:
        """The account the row belongs to (for the change log)."""
        return self.objective.plan.account_id

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.is_open and self.due_date < (today or timezone.localdate())

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.status == ActionStatus.DONE and self.done_on is None:
            errors["done_on"] = _("Give the date the action was done.")
        if self.status != ActionStatus.DONE and self.done_on is not None:
            errors["done_on"] = _("Only a done action has a done date: clear it or mark it done.")
        if self.done_on is not None and self.done_on > timezone.localdate():
            errors["done_on"] = _("An action cannot have been done in the future.")
        if self.owner_id is not None and self.objective_id is not None:
            account = self.objective.plan.account
            if not account.team.filter(user_id=self.owner_id).exists():
                errors["owner"] = _(
                    "%(user)s is not on the team of %(account)s: an action's owner must be."
                ) % {"user": self.owner, "account": account}
        if errors:
            raise ValidationError(errors)


class PlanRiskQuerySet(_PlanChildQuerySet):
    action_permissions = child_permissions("plans", "planrisk")


def _one_to_five(verbose_name) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose_name, default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )


class PlanRisk(TimeStampedModel):
    plan = models.ForeignKey(
        AccountPlan, verbose_name=_("account plan"), on_delete=models.CASCADE, related_name="risks"
    )
    description = models.TextField(_("risk"))
    likelihood = _one_to_five(_("likelihood (1–5)"))
    impact = _one_to_five(_("impact (1–5)"))
    mitigation = models.TextField(_("mitigation"), blank=True)

    objects = PlanRiskQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ["plan", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5, impact__gte=1, impact__lte=5),
                name="planrisk_scores_one_to_five",
                violation_error_message=_("Likelihood and impact are scored from 1 to 5."),
            ),
            models.CheckConstraint(
                condition=~Q(description=""),
                name="planrisk_description_given",
                violation_error_message=_("Describe the risk."),
            ),
        ]

    @property
    def plan_account_id(self) -> int:
        """The account the row belongs to (for the change log)."""
        return self.plan.account_id

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


class PlanReviewQuerySet(_PlanChildQuerySet):
    action_permissions = child_permissions("plans", "planreview")


class PlanReview(TimeStampedModel):
    """A business review (QBR) of the plan with the customer."""

    plan = models.ForeignKey(
        AccountPlan,
        verbose_name=_("account plan"),
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    held_on = models.DateField(_("held on"))
    our_attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("our people present"),
        related_name="plan_reviews",
        blank=True,
    )
    their_attendees = models.ManyToManyField(
        Stakeholder,
        verbose_name=_("their people present"),
        related_name="plan_reviews",
        blank=True,
    )
    notes = models.TextField(_("notes"), blank=True)
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("business review activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_reviews",
        help_text=_("The business review in the activities log, if it was logged there."),
    )

    objects = PlanReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan review")
        verbose_name_plural = _("plan reviews")
        ordering = ["-held_on", "-id"]

    @property
    def plan_account_id(self) -> int:
        """The account the row belongs to (for the change log)."""
        return self.plan.account_id

    def __str__(self) -> str:
        return f"{self.plan} — {self.held_on.isoformat()}"

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.held_on and self.held_on > timezone.localdate():
            errors["held_on"] = _("A review is recorded once it was held: not in the future.")
        if self.activity_id is not None and self.plan_id is not None:
            activity = self.activity
            if activity.account_id != self.plan.account_id:
                errors["activity"] = _("The activity is with another account.")
            elif activity.kind.code != BUSINESS_REVIEW:
                errors["activity"] = _("Link a business review (QBR), not another activity.")
        if errors:
            raise ValidationError(errors)

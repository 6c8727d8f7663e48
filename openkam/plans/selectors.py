"""Reads on account plans, always through the accounts the reader may see.

The actual figures beside the goals come from the latest finished metrics snapshot dated in
the plan's year (its 12 months to that date), annotated in the same query as the plan.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, IntegerField, Max, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.accounts.models import AccountTeamMember, TeamRole
from openkam.core import formatting
from openkam.metrics.models import AccountPeriodMetrics, Period, Snapshot, SnapshotStatus
from openkam.users.models import User

from .models import (
    CADENCE_MONTHS,
    OPEN_STATUSES,
    AccountPlan,
    PlanAction,
    PlanObjective,
    PlanReview,
    PlanRisk,
    ValueProposition,
)


def _count(queryset: QuerySet, link: str = "plan") -> Coalesce:
    rows = queryset.filter(**{link: OuterRef("pk")}).order_by().values(link)
    return Coalesce(
        Subquery(rows.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), 0
    )


def with_figures(plans: QuerySet[AccountPlan], today: dt.date | None = None) -> QuerySet:
    """Annotate what the lists and the completeness need, one query for any number of plans:
    the owner, the counts of each part, the overdue actions, the last review and the actuals."""
    today = today or timezone.localdate()
    owners = AccountTeamMember.objects.filter(account=OuterRef("account"), role=TeamRole.OWNER)
    snapshot = (
        Snapshot.objects.filter(status=SnapshotStatus.DONE, as_of__year=OuterRef("year"))
        .order_by("-as_of", "-created_at")
        .values("pk")[:1]
    )
    metrics = AccountPeriodMetrics.objects.filter(
        snapshot_id=OuterRef("actual_snapshot"),
        account_id=OuterRef("account_id"),
        period=Period.YEAR,
    )
    return plans.annotate(
        owner_username=Subquery(owners.values("user__username")[:1]),
        n_value_propositions=_count(ValueProposition.objects.all()),
        n_objectives=_count(PlanObjective.objects.all()),
        n_objectives_without_actions=_count(PlanObjective.objects.filter(actions__isnull=True)),
        n_actions=_count(PlanAction.objects.all(), "objective__plan"),
        n_open_actions=_count(
            PlanAction.objects.filter(status__in=OPEN_STATUSES), "objective__plan"
        ),
        n_overdue=_count(PlanAction.objects.overdue(today), "objective__plan"),
        n_risks=_count(PlanRisk.objects.all()),
        last_review=Subquery(
            PlanReview.objects.filter(plan=OuterRef("pk"))
            .order_by()
            .values("plan")
            .annotate(last=Max("held_on"))
            .values("last")[:1]
        ),
        actual_snapshot=Subquery(snapshot),
        actual_as_of=Subquery(
            Snapshot.objects.filter(pk=OuterRef("actual_snapshot")).values("as_of")[:1]
        ),
        actual_currency=Subquery(
            Snapshot.objects.filter(pk=OuterRef("actual_snapshot")).values("reporting_currency")[:1]
        ),
        actual_revenue=Subquery(metrics.values("revenue")[:1]),
        actual_margin=Subquery(metrics.values("margin")[:1]),
    )


def plan_list(*, user: User) -> QuerySet[AccountPlan]:
    return with_figures(AccountPlan.objects.visible_to(user, "view")).select_related("account")


def _parts(plans: QuerySet[AccountPlan]) -> QuerySet[AccountPlan]:
    actions = PlanAction.objects.select_related("owner").order_by("due_date", "id")
    reviews = PlanReview.objects.select_related("activity").prefetch_related(
        "our_attendees", "their_attendees"
    )
    return plans.prefetch_related(
        "value_propositions",
        Prefetch(
            "objectives",
            queryset=PlanObjective.objects.prefetch_related(Prefetch("actions", queryset=actions)),
        ),
        "risks",
        Prefetch("reviews", queryset=reviews),
    )


def plan_detail(*, user: User, pk: int) -> AccountPlan | None:
    """The plan with all its parts and figures, or None when `user` cannot see it."""
    return _parts(plan_list(user=user)).filter(pk=pk).first()


def plan_of_year(*, user: User, account_id: int, year: int) -> AccountPlan | None:
    return _parts(plan_list(user=user)).filter(account_id=account_id, year=year).first()


def plan_years(*, user: User, account_id: int) -> list[int]:
    return list(
        AccountPlan.objects.visible_to(user, "view")
        .filter(account_id=account_id)
        .order_by("-year")
        .values_list("year", flat=True)
    )


# Goals and actuals ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Goal:
    code: str
    label: str
    target: Decimal | None
    actual: Decimal | None
    is_share: bool = False  # a percentage, not money

    @property
    def reached(self) -> float | None:
        """The actual as a share of the target (1.0: reached)."""
        if self.target in (None, 0) or self.actual is None:
            return None
        return float(self.actual / self.target)


def goals(plan: AccountPlan) -> list[Goal]:
    """The plan's goals with the actual figures of its year (annotated by `with_figures`)."""
    comparable = getattr(plan, "actual_currency", None) == plan.currency
    revenue = plan.actual_revenue if comparable else None
    margin = plan.actual_margin if comparable else None
    share = None
    if revenue is not None and plan.wallet_estimate:
        share = (Decimal(revenue) * 100 / plan.wallet_estimate).quantize(Decimal("0.01"))
    return [
        Goal("revenue", _("Revenue"), plan.revenue_target, revenue),
        Goal("margin", _("Margin"), plan.margin_target, margin),
        Goal("share_of_wallet", _("Share of wallet"), plan.share_of_wallet_target, share, True),
    ]


# Completeness --------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Check:
    code: str
    label: str
    done: bool
    detail: str = ""


@dataclass
class Completeness:
    checks: list[Check] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(check.done for check in self.checks)

    @property
    def ratio(self) -> float:
        return self.done / len(self.checks) if self.checks else 0.0

    @property
    def percent(self) -> int:
        return round(self.ratio * 100)

    @property
    def missing(self) -> list[Check]:
        return [check for check in self.checks if not check.done]


def next_review_due(plan: AccountPlan) -> dt.date:
    """When the next business review is due: a cadence after the last one (or after the start
    of the plan's year, when none was held yet)."""
    start = plan.last_review or dt.date(plan.year, 1, 1)
    return add_months(start, CADENCE_MONTHS[plan.review_cadence])


def completeness(plan: AccountPlan, today: dt.date | None = None) -> Completeness:
    """Which sections of the plan (annotated by `with_figures`) are empty or stale."""
    today = today or timezone.localdate()
    missing_goals = [
        label
        for label, value in (
            (_("revenue"), plan.revenue_target),
            (_("margin"), plan.margin_target),
            (_("share of wallet"), plan.share_of_wallet_target),
        )
        if value is None
    ]
    due = next_review_due(plan)
    checks = [
        Check(
            "goals",
            _("Goals set: revenue, margin and share of wallet"),
            not missing_goals,
            _("Missing: %(goals)s") % {"goals": ", ".join(missing_goals)} if missing_goals else "",
        ),
        Check(
            "value_propositions",
            _("At least one value proposition for the customer"),
            plan.n_value_propositions > 0,
        ),
        Check(
            "objectives",
            _("Objectives, each with an action"),
            plan.n_objectives > 0 and plan.n_objectives_without_actions == 0,
            _("%(count)s objectives without an action")
            % {"count": plan.n_objectives_without_actions}
            if plan.n_objectives_without_actions
            else "",
        ),
        Check(
            "actions",
            _("No overdue actions"),
            plan.n_overdue == 0,
            _("%(count)s overdue") % {"count": plan.n_overdue} if plan.n_overdue else "",
        ),
        Check("risks", _("Risks weighed"), plan.n_risks > 0),
        Check(
            "reviews",
            _("Reviewed with the customer within the cadence"),
            due >= today,
            _("Next review due by %(date)s") % {"date": formatting.day(due)},
        ),
    ]
    return Completeness(checks)

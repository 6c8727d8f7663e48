import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import TeamRole
from openkam.core.filters import id_filter

from .models import (
    MAX_YEAR,
    MIN_YEAR,
    OPEN_STATUSES,
    AccountPlan,
    ActionStatus,
    PlanAction,
    PlanObjective,
    PlanReview,
    PlanRisk,
    PlanStatus,
    ValueKind,
    ValueProposition,
)


def _year_filter() -> django_filters.NumberFilter:
    return django_filters.NumberFilter(
        field_name="year", label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR
    )


class AccountPlanFilterSet(django_filters.FilterSet):
    account = id_filter("account_id", _("Account id"))
    year = _year_filter()
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices, label=_("Status"))
    owner = django_filters.CharFilter(
        method="filter_owner", label=_("Key account manager (username of the account's owner)")
    )

    class Meta:
        model = AccountPlan
        fields = ["account", "year", "status", "owner"]

    def filter_owner(self, queryset, name, value):
        return queryset.filter(
            account__team__role=TeamRole.OWNER, account__team__user__username=value
        )


class _PlanPartFilterSet(django_filters.FilterSet):
    plan = id_filter("plan_id", _("Account plan id"))
    account = id_filter("plan__account_id", _("Account id"))


class ValuePropositionFilterSet(_PlanPartFilterSet):
    kind = django_filters.ChoiceFilter(choices=ValueKind.choices, label=_("Kind"))

    class Meta:
        model = ValueProposition
        fields = ["plan", "account", "kind"]


class PlanObjectiveFilterSet(_PlanPartFilterSet):
    class Meta:
        model = PlanObjective
        fields = ["plan", "account"]


class PlanRiskFilterSet(_PlanPartFilterSet):
    class Meta:
        model = PlanRisk
        fields = ["plan", "account"]


class PlanReviewFilterSet(_PlanPartFilterSet):
    class Meta:
        model = PlanReview
        fields = ["plan", "account"]


class PlanActionFilterSet(django_filters.FilterSet):
    objective = id_filter("objective_id", _("Objective id"))
    plan = id_filter("objective__plan_id", _("Account plan id"))
    account = id_filter("objective__plan__account_id", _("Account id"))
    owner = django_filters.CharFilter(field_name="owner__username", label=_("Owner (username)"))
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices, label=_("Status"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))

    class Meta:
        model = PlanAction
        fields = ["objective", "plan", "account", "owner", "status", "overdue"]

    def filter_overdue(self, queryset, name, value):
        overdue = {"status__in": OPEN_STATUSES, "due_date__lt": timezone.localdate()}
        return queryset.filter(**overdue) if value else queryset.exclude(**overdue)

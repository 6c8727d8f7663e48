"""FilterSets shared by the HTML lists and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from openkam.core.filters import id_filter

from .models import (
    Handover,
    KeyAccountType,
    KeyAccountTypeAssignment,
    NominationDecision,
    NominationKind,
    ProspectAssessment,
    ProspectCriterion,
    QualificationRating,
    RatedCriterion,
)


def account_id_filter() -> django_filters.NumberFilter:
    return id_filter("account_id", _("Account id"))


class NominationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="account__name", lookup_expr="icontains", label=_("Account")
    )
    account = account_id_filter()
    kind = django_filters.ChoiceFilter(choices=NominationKind.choices, label=_("Decision"))
    owner = django_filters.CharFilter(
        field_name="owner__username", label=_("Owner"), help_text=_("The owner's username")
    )
    decided_after = django_filters.DateFilter(
        field_name="decided_on", lookup_expr="gte", label=_("Decided on or after")
    )
    decided_before = django_filters.DateFilter(
        field_name="decided_on", lookup_expr="lte", label=_("Decided on or before")
    )

    class Meta:
        model = NominationDecision
        fields = ["q", "account", "kind", "owner", "decided_after", "decided_before"]


class _AccountHistoryFilterSet(django_filters.FilterSet):
    account = account_id_filter()


class TypeAssignmentFilterSet(_AccountHistoryFilterSet):
    type = django_filters.ChoiceFilter(choices=KeyAccountType.choices, label=_("Type"))

    class Meta:
        model = KeyAccountTypeAssignment
        fields = ["account", "type"]


class ProspectAssessmentFilterSet(_AccountHistoryFilterSet):
    criterion = django_filters.ChoiceFilter(choices=ProspectCriterion.choices)

    class Meta:
        model = ProspectAssessment
        fields = ["account", "criterion"]


class QualificationRatingFilterSet(_AccountHistoryFilterSet):
    criterion = django_filters.ChoiceFilter(choices=RatedCriterion.choices)

    class Meta:
        model = QualificationRating
        fields = ["account", "criterion"]


class HandoverFilterSet(_AccountHistoryFilterSet):
    owner = django_filters.CharFilter(
        method="filter_owner", label=_("Owner"), help_text=_("Handed to or from this username")
    )

    class Meta:
        model = Handover
        fields = ["account", "owner"]

    def filter_owner(self, queryset: QuerySet[Handover], name: str, value: str):
        if not value:
            return queryset
        return queryset.filter(Q(to_owner__username=value) | Q(from_owner__username=value))

"""One FilterSet per model, shared by the HTML list and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from openkam.core.filters import id_filter

from .models import Account, AccountStatus, Segment


def _country_codes_matching(text: str) -> list[str]:
    text = text.casefold()
    return [code for code, name in countries if text in str(name).casefold()]


class AccountFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        label=_("Search"),
        help_text=_("Name, legal name, external id, country or industry."),
    )
    status = django_filters.MultipleChoiceFilter(choices=AccountStatus.choices, label=_("Status"))
    country = django_filters.CharFilter(
        field_name="country",
        lookup_expr="iexact",
        label=_("Country"),
        help_text=_("ISO code, e.g. TH"),
    )
    owner = django_filters.CharFilter(
        method="filter_owner", label=_("Owner"), help_text=_("The owner's username")
    )
    segment = django_filters.ModelChoiceFilter(queryset=Segment.objects.all(), label=_("Segment"))
    parent = id_filter("parent_id", _("Parent account id"))
    ordering = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("country", "country"),
            ("status", "status"),
            ("industry", "industry"),
            ("owner_username", "owner"),
            ("updated_at", "updated"),
            ("created_at", "created"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = Account
        fields = ["q", "status", "country", "owner", "segment", "parent"]

    def search(self, queryset: QuerySet[Account], name: str, value: str) -> QuerySet[Account]:
        value = value.strip()
        if not value:
            return queryset
        condition = (
            Q(name__icontains=value)
            | Q(legal_name__icontains=value)
            | Q(external_id__iexact=value)
            | Q(industry__icontains=value)
        )
        codes = _country_codes_matching(value)
        if codes:
            condition |= Q(country__in=codes)
        return queryset.filter(condition)

    def filter_owner(self, queryset: QuerySet[Account], name: str, value: str):
        if not value:
            return queryset
        if value == "none":
            return queryset.filter(owner_username__isnull=True)
        return queryset.filter(owner_username=value)

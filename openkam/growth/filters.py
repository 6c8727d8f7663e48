import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import AccountTeamMember, TeamRole
from openkam.core.filters import id_filter

from .models import GrowthOpportunity, OpportunityKind, OpportunityStatus, WalletEstimate


class GrowthOpportunityFilterSet(django_filters.FilterSet):
    account = id_filter("account_id", _("Account id"))
    category = id_filter("category_id", _("Category id"))
    q = django_filters.CharFilter(
        field_name="account__name", lookup_expr="icontains", label=_("Account name contains")
    )
    owner = django_filters.CharFilter(method="filter_owner", label=_("Owner (username)"))
    kind = django_filters.ChoiceFilter(choices=OpportunityKind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=OpportunityStatus.choices, label=_("Status"))
    current = django_filters.BooleanFilter(label=_("Suggested by the latest analysis"))
    min_revenue = django_filters.NumberFilter(
        field_name="expected_revenue", lookup_expr="gte", min_value=0,
        label=_("Expected revenue at least"),
    )  # fmt: skip

    def filter_owner(self, queryset, name, value):
        owners = AccountTeamMember.objects.filter(
            account=OuterRef("account_id"), role=TeamRole.OWNER, user__username=value
        )
        return queryset.filter(Exists(owners))

    class Meta:
        model = GrowthOpportunity
        fields = ["account", "category", "q", "owner", "kind", "status", "current", "min_revenue"]


class WalletEstimateFilterSet(django_filters.FilterSet):
    account = id_filter("account_id", _("Account id"))
    category = id_filter("category_id", _("Category id"))
    year = django_filters.NumberFilter(min_value=2000, max_value=2100, label=_("Year"))

    class Meta:
        model = WalletEstimate
        fields = ["account", "category", "year", "source"]

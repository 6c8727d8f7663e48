import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from openkam.core.filters import id_filter

from .models import Attitude, BuyingRole, DepartmentKind, Stakeholder


class StakeholderFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        label=_("Search"),
        help_text=_("Name, job title, email or the account's name."),
    )
    account = id_filter("account_id", _("Account id"))
    department_kind = django_filters.ModelChoiceFilter(
        field_name="department__kind",
        queryset=DepartmentKind.objects.all(),
        label=_("Department"),
    )
    buying_role = django_filters.ChoiceFilter(choices=BuyingRole.choices, label=_("Buying role"))
    attitude = django_filters.ChoiceFilter(choices=Attitude.choices, label=_("Attitude to us"))
    influence_min = django_filters.NumberFilter(
        field_name="influence", lookup_expr="gte", label=_("Influence at least")
    )
    active = django_filters.BooleanFilter(label=_("Still at the account"))
    ordering = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("account__name", "account"),
            ("job_title", "job_title"),
            ("relationship_strength", "relationship_strength"),
            ("influence", "influence"),
            ("updated_at", "updated"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = Stakeholder
        fields = [
            "q",
            "account",
            "department_kind",
            "buying_role",
            "attitude",
            "influence_min",
            "active",
        ]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(job_title__icontains=value)
            | Q(email__icontains=value)
            | Q(account__name__icontains=value)
        )

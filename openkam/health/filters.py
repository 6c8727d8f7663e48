import django_filters
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import AccountStatus

from .models import HealthLevel, HealthScore


class HealthScoreFilterSet(django_filters.FilterSet):
    level = django_filters.MultipleChoiceFilter(choices=HealthLevel.choices, label=_("Level"))
    owner = django_filters.CharFilter(
        field_name="owner_username", label=_("Username of the account's owner")
    )
    status = django_filters.ChoiceFilter(
        field_name="account__status", choices=AccountStatus.choices, label=_("Account status")
    )
    q = django_filters.CharFilter(
        field_name="account__name", lookup_expr="icontains", label=_("Account name contains")
    )
    below = django_filters.NumberFilter(
        field_name="score", lookup_expr="lt", min_value=0, max_value=100, label=_("Score below")
    )
    groups = django_filters.BooleanFilter(
        field_name="rolled_up", label=_("Groups rolled up from their subsidiaries")
    )

    class Meta:
        model = HealthScore
        fields = ["level", "owner", "status", "q", "below", "groups"]

import django_filters
from django.utils.translation import gettext_lazy as _

from openkam.core.filters import id_filter

from .models import AccountCompetitor, Competitor


class CompetitorFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"))

    class Meta:
        model = Competitor
        fields = ["q"]


class AccountCompetitorFilterSet(django_filters.FilterSet):
    account = id_filter("account_id", _("Account id"))
    competitor = id_filter("competitor_id", _("Competitor id"))
    threat = django_filters.NumberFilter(
        field_name="threat_level", min_value=1, max_value=5, label=_("Threat level")
    )
    min_threat = django_filters.NumberFilter(
        field_name="threat_level",
        lookup_expr="gte",
        min_value=1,
        max_value=5,
        label=_("Threat level at least"),
    )
    won_account = django_filters.BooleanFilter(
        field_name="won_account_on", lookup_expr="isnull", exclude=True, label=_("Took the account")
    )

    class Meta:
        model = AccountCompetitor
        fields = ["account", "competitor", "threat", "min_threat", "won_account"]

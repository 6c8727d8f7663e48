import django_filters
from django.utils.translation import gettext_lazy as _

from openkam.activities.models import Purpose
from openkam.core.filters import id_filter

from .models import TimeEntry


class TimeEntryFilterSet(django_filters.FilterSet):
    account = id_filter("account_id", _("Account id"))
    user = django_filters.CharFilter(field_name="user__username", label=_("Username"))
    purpose = django_filters.ChoiceFilter(choices=Purpose.choices, label=_("Purpose"))
    since = django_filters.DateFilter(field_name="week", lookup_expr="gte", label=_("From week"))
    until = django_filters.DateFilter(field_name="week", lookup_expr="lte", label=_("To week"))

    class Meta:
        model = TimeEntry
        fields = ["account", "user", "purpose", "since", "until"]

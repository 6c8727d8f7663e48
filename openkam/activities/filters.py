import django_filters
from django.utils.translation import gettext_lazy as _

from openkam.core.filters import id_filter

from .models import Activity, ActivityKind, Purpose


class ActivityFilterSet(django_filters.FilterSet):
    """No DISTINCT needed: each person filter takes one person, who is present at most once in
    an activity (and DISTINCT over the page's rows made the list sort every visible row)."""

    account = id_filter("account_id", _("Account id"))
    stakeholder = id_filter("their_people", _("Stakeholder id"))
    kind = django_filters.ModelChoiceFilter(
        field_name="kind",
        to_field_name="code",
        queryset=ActivityKind.objects.all(),
        label=_("Kind"),
    )
    user = django_filters.CharFilter(
        field_name="our_people__username", label=_("Username of one of our people present")
    )
    purpose = django_filters.ChoiceFilter(choices=Purpose.choices, label=_("Purpose"))
    since = django_filters.DateFilter(
        field_name="occurred_at", lookup_expr="date__gte", label=_("From")
    )
    until = django_filters.DateFilter(
        field_name="occurred_at", lookup_expr="date__lte", label=_("To")
    )

    class Meta:
        model = Activity
        fields = ["account", "stakeholder", "kind", "user", "purpose", "since", "until"]

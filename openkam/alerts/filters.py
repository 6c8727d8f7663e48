import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openkam.core.filters import id_filter

from .display import rule_choices
from .models import Alert, AlertStatus

# The status filter's "awake": what the inbox shows (open, acknowledged, back from a snooze).
AWAKE = "awake"


class AlertFilterSet(django_filters.FilterSet):
    account = id_filter("account_id", _("Account id"))
    rule = django_filters.ChoiceFilter(choices=rule_choices, label=_("Rule"))
    status = django_filters.ChoiceFilter(
        choices=[(AWAKE, _("In the inbox")), *AlertStatus.choices],
        method="filter_status",
        label=_("Status"),
    )
    mine = django_filters.BooleanFilter(
        method="filter_mine",
        label=_("Only the accounts whose team you are on (directors: every account)"),
    )
    since = django_filters.DateFilter(
        field_name="as_of", lookup_expr="gte", label=_("Raised as of from")
    )
    until = django_filters.DateFilter(
        field_name="as_of", lookup_expr="lte", label=_("Raised as of until")
    )

    class Meta:
        model = Alert
        fields = ["account", "rule", "status", "mine", "since", "until"]

    def filter_mine(self, queryset, name, value):
        from .selectors import mine

        return mine(queryset, self.request.user) if value and self.request else queryset

    def filter_status(self, queryset, name, value):
        today = timezone.localdate()
        if value == AWAKE:
            return queryset.awake(today)
        if value == AlertStatus.SNOOZED:  # still asleep
            return queryset.filter(status=value, snoozed_until__gte=today)
        if value == AlertStatus.OPEN:  # open, or back from a snooze
            return queryset.filter(
                Q(status=value) | Q(status=AlertStatus.SNOOZED, snoozed_until__lt=today)
            )
        return queryset.filter(status=value)

"""The win-back list's filters: one FilterSet for the page, its export and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries import countries

from openkam.core.filters import id_filter
from openkam.losses.models import LossReason
from openkam.metrics.models import AccountMetrics

from .models import CampaignAccount, ContactStatus
from .selectors import ORDERINGS

STATES = [("lost", _("Lost")), ("shrinking", _("Shrinking"))]
ORDER_CHOICES = [
    ("worth", _("Margin at stake")),
    ("revenue", _("Revenue at stake")),
    ("value", _("Expected value (model)")),
    ("recent", _("Lost most recently")),
    ("name", _("Account name")),
]
YES_NO = [("true", pgettext_lazy("answer", "yes")), ("false", pgettext_lazy("answer", "no"))]


class WinBackFilterSet(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=STATES, method="filter_state", label=_("State"))
    q = django_filters.CharFilter(
        field_name="account__name", lookup_expr="icontains", label=_("Account name contains")
    )
    owner = django_filters.CharFilter(
        field_name="owner_username", label=_("Username of the account's owner")
    )
    country = django_filters.ChoiceFilter(
        field_name="account__country", choices=countries, label=_("Country")
    )
    segment = id_filter("account__segment_id", _("Segment id"))
    reason = django_filters.ChoiceFilter(
        field_name="loss_reason", choices=LossReason.choices, label=_("Reason for the loss")
    )
    competitor = id_filter("competitor_id", _("Competitor id (where it went)"))
    key = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_key", label=_("Key accounts (true) or the others (false)")
    )
    order = django_filters.ChoiceFilter(
        choices=ORDER_CHOICES, method="filter_order", label=_("Order"), empty_label=None
    )

    class Meta:
        model = AccountMetrics
        fields = ["state", "q", "owner", "country", "segment", "reason", "competitor", "key"]

    def filter_state(self, queryset, name, value):
        return queryset.filter(lost=True) if value == "lost" else queryset.filter(lost=False)

    def filter_key(self, queryset, name, value):
        return queryset.filter(is_key=value == "true")

    def filter_order(self, queryset, name, value):
        ordering = ORDERINGS.get(value)
        return queryset.order_by(*ordering) if ordering else queryset


class CampaignAccountFilterSet(django_filters.FilterSet):
    campaign = id_filter("campaign_id", _("Campaign id"))
    account = id_filter("account_id", _("Account id"))
    status = django_filters.ChoiceFilter(choices=ContactStatus.choices, label=_("Status"))
    regained = django_filters.BooleanFilter(label=_("Regained (measured)"))

    class Meta:
        model = CampaignAccount
        fields = ["campaign", "account", "status", "regained"]

import django_filters
from django.utils.translation import gettext_lazy as _

from openkam.core.filters import id_filter

from .models import LostReason, Tender, TenderStatus


class TenderFilterSet(django_filters.FilterSet):
    account = id_filter("account_id", _("Account id"))
    owner = django_filters.CharFilter(
        field_name="owner_username", label=_("Username of the account's owner")
    )
    status = django_filters.ChoiceFilter(choices=TenderStatus.choices, label=_("Status"))
    reason = django_filters.ChoiceFilter(
        field_name="lost_reason", choices=LostReason.choices, label=_("Reason lost")
    )
    competitor = id_filter("winner_id", _("Winning competitor id"))
    since = django_filters.DateFilter(
        field_name="decided_on", lookup_expr="gte", label=_("Decided from")
    )
    until = django_filters.DateFilter(
        field_name="decided_on", lookup_expr="lte", label=_("Decided until")
    )

    class Meta:
        model = Tender
        fields = ["account", "owner", "status", "reason", "competitor", "since", "until"]

import django_filters
from django.utils.translation import gettext_lazy as _

from openkam.core.filters import id_filter

from .models import AccountLoss, LossReason


class AccountLossFilterSet(django_filters.FilterSet):
    account = id_filter("account_id", _("Account id"))
    competitor = id_filter("competitor_id", _("Competitor id"))
    reason = django_filters.ChoiceFilter(choices=LossReason.choices, label=_("Reason"))
    since = django_filters.DateFilter(field_name="lost_on", lookup_expr="gte", label=_("Lost from"))
    until = django_filters.DateFilter(
        field_name="lost_on", lookup_expr="lte", label=_("Lost until")
    )

    class Meta:
        model = AccountLoss
        fields = ["account", "competitor", "reason", "since", "until"]

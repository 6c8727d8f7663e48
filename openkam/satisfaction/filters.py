import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from openkam.core.filters import id_filter

from .models import CSAT_MAX, CSAT_MIN, NPS_MAX, NPS_MIN, Source, SurveyResponse


class SurveyResponseFilterSet(django_filters.FilterSet):
    account = id_filter("account_id", _("Account id"))
    stakeholder = id_filter("stakeholder_id", _("Stakeholder id"))
    anonymous = django_filters.ChoiceFilter(
        choices=[
            ("true", pgettext_lazy("answer", "yes")),
            ("false", pgettext_lazy("answer", "no")),
        ],
        method="filter_anonymous",
        label=_("Anonymous answers (true) or answers of a person (false)"),
    )
    source = django_filters.ChoiceFilter(choices=Source.choices, label=_("Source"))
    since = django_filters.DateFilter(
        field_name="answered_on", lookup_expr="gte", label=_("Answered from")
    )
    until = django_filters.DateFilter(
        field_name="answered_on", lookup_expr="lte", label=_("Answered until")
    )
    csat_max = django_filters.NumberFilter(
        field_name="csat",
        lookup_expr="lte",
        min_value=CSAT_MIN,
        max_value=CSAT_MAX,
        label=_("CSAT at most"),
    )
    nps_max = django_filters.NumberFilter(
        field_name="nps",
        lookup_expr="lte",
        min_value=NPS_MIN,
        max_value=NPS_MAX,
        label=_("NPS score at most"),
    )

    def filter_anonymous(self, queryset, name, value):
        return queryset.filter(stakeholder__isnull=value == "true")

    class Meta:
        model = SurveyResponse
        fields = [
            "account",
            "stakeholder",
            "anonymous",
            "source",
            "since",
            "until",
            "csat_max",
            "nps_max",
        ]

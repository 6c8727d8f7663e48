import django_filters
from django.utils.translation import gettext_lazy as _

from openkam.core.filters import id_filter

from .models import KeyFigure


class KeyFigureFilterSet(django_filters.FilterSet):
    account = id_filter("account_id", _("Account id"))
    year = django_filters.NumberFilter(field_name="year", label=_("Year"))

    class Meta:
        model = KeyFigure
        fields = ["account", "year"]

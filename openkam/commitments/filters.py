"""One FilterSet per model, for the HTML lists and the API alike."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openkam.core.filters import id_filter

from . import working_hours
from .models import Commitment, CommitmentStatus, CustomerRequest, Direction, RequestKind


class _MineFilterSet(django_filters.FilterSet):
    owner = django_filters.CharFilter(
        field_name="owner__username", label=_("Username of our owner")
    )
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("Only mine"))

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if value and user is not None and user.is_authenticated:
            return queryset.filter(owner=user)
        return queryset


class CommitmentFilterSet(_MineFilterSet):
    account = id_filter("account_id", _("Account id"))
    status = django_filters.ChoiceFilter(choices=CommitmentStatus.choices, label=_("Status"))
    direction = django_filters.ChoiceFilter(choices=Direction.choices, label=_("Direction"))
    late = django_filters.BooleanFilter(method="filter_late", label=_("Late"))
    due_from = django_filters.DateFilter(
        field_name="due_on", lookup_expr="gte", label=_("Due from")
    )
    due_until = django_filters.DateFilter(
        field_name="due_on", lookup_expr="lte", label=_("Due until")
    )

    class Meta:
        model = Commitment
        fields = [
            "account",
            "status",
            "direction",
            "owner",
            "mine",
            "late",
            "due_from",
            "due_until",
        ]

    def filter_late(self, queryset, name, value):
        if value is None:
            return queryset
        late = Q(status=CommitmentStatus.OPEN, due_on__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)


REQUEST_STATES = [
    ("open", _("Open")),
    ("unanswered", _("Unanswered")),
    ("overdue", _("Unanswered past the target")),
    ("closed", _("Closed")),
]


class CustomerRequestFilterSet(_MineFilterSet):
    account = id_filter("account_id", _("Account id"))
    kind = django_filters.ChoiceFilter(choices=RequestKind.choices, label=_("Kind"))
    state = django_filters.ChoiceFilter(
        choices=REQUEST_STATES, method="filter_state", label=_("State")
    )
    received_from = django_filters.DateFilter(method="filter_from", label=_("Received from"))
    received_until = django_filters.DateFilter(method="filter_until", label=_("Received until"))

    class Meta:
        model = CustomerRequest
        fields = ["account", "kind", "owner", "mine", "state", "received_from", "received_until"]

    def filter_state(self, queryset, name, value):
        now = timezone.now()
        if value == "open":
            return queryset.open_at(now)
        if value == "unanswered":
            return queryset.unanswered_at(now)
        if value == "overdue":
            return queryset.overdue_at(now)
        if value == "closed":
            return queryset.filter(closed_at__lt=now)
        return queryset

    def filter_from(self, queryset, name, value):
        return queryset.filter(received_at__gte=working_hours.start_of_day(value))

    def filter_until(self, queryset, name, value):
        return queryset.filter(received_at__lt=working_hours.end_of_day(value))

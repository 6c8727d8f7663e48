from __future__ import annotations

from django import forms
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from openkam.core.api.permissions import ScopedModelPermissions

from .. import selectors, services
from ..filters import TimeEntryFilterSet
from ..forms import person_named, time_range
from ..models import TimeEntry
from .serializers import SplitQuerySerializer, TimeEntrySerializer, TimeSplitSerializer


class TimeEntryViewSet(viewsets.ModelViewSet):
    """Weekly time entries, for time that is not an activity: yours (directors and
    administrators: everyone's). You record your own time; its person or a director changes
    or deletes an entry."""

    serializer_class = TimeEntrySerializer
    filterset_class = TimeEntryFilterSet
    permission_classes = [ScopedModelPermissions]
    queryset = TimeEntry.objects.all()

    def get_queryset(self):
        return TimeEntry.objects.visible_to(self.request.user).select_related("user")

    def perform_create(self, serializer) -> None:
        serializer.instance = services.time_entry_create(
            actor=self.request.user, data=dict(serializer.validated_data)
        )

    def perform_update(self, serializer) -> None:
        serializer.instance = services.time_entry_update(
            actor=self.request.user,
            entry=serializer.instance,
            data=dict(serializer.validated_data),
        )

    def perform_destroy(self, instance) -> None:
        services.time_entry_delete(actor=self.request.user, entry=instance)


def _hours(hours: selectors.Hours) -> dict:
    return {
        "hours": hours.as_dict(),
        "total_hours": round(hours.total, 2),
        "key_account_share": None if hours.share is None else round(hours.share, 4),
    }


class TimeSplitView(APIView):
    """Each person's 80/20 split per week, month or quarter — hours of key-account work, new
    business and other (the activities attended plus the weekly time entries) — against the
    target; and the time each account you may see gets, against its revenue and growth over
    the 12 months to the latest metrics snapshot (hours per 1,000 of revenue, the range's
    hours scaled to a year), with the over-served and neglected ones flagged. Directors and
    administrators see everyone, anyone else only themselves (`user=` someone else: 403)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[SplitQuerySerializer], responses=TimeSplitSerializer)
    def get(self, request):
        query = SplitQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        try:
            person = person_named(request.user, params.get("user", ""))
            span = time_range(params["period"], params.get("start"), params.get("end"))
        except forms.ValidationError as error:
            raise serializers.ValidationError({"detail": error.messages}) from error
        people = selectors.people_split(user=request.user, span=span, person=person)
        report = selectors.account_time(user=request.user, span=span, person=person)
        data = {
            "period": span.period,
            "start": span.start,
            "end": span.end,
            "target": selectors.target(),
            "as_of": report.as_of,
            "reporting_currency": report.currency,
            "median_hours_per_thousand": report.median_hours_per_thousand,
            "people": [
                {
                    "username": split.user.get_username(),
                    "full_name": split.user.get_full_name(),
                    **_hours(split.hours),
                    "on_target": split.on_target,
                    "periods": [
                        {"start": part.start, "end": part.end, **_hours(part.hours)}
                        for part in split.periods
                    ],
                }
                for split in people
            ],
            "accounts": [
                {
                    "account": row.account.pk,
                    "name": row.account.name,
                    "status": row.account.status,
                    "owner": row.account.owner_username,
                    "hours": row.hours,
                    "revenue": row.revenue,
                    "growth": row.growth,
                    "hours_per_thousand": None
                    if row.hours_per_thousand is None
                    else round(row.hours_per_thousand, 4),
                    "over_served": row.over_served,
                    "neglected": row.neglected,
                }
                for row in report.rows
            ],
        }
        return Response(TimeSplitSerializer(data).data)

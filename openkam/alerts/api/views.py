from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from openkam.core.api.permissions import ScopedModelPermissions

from .. import selectors, services
from ..filters import AlertFilterSet
from ..models import Alert
from .serializers import AlertSerializer, ResolveSerializer, SnoozeSerializer


def _invalid(error: DjangoValidationError) -> serializers.ValidationError:
    if hasattr(error, "error_dict"):
        return serializers.ValidationError(error.message_dict)
    return serializers.ValidationError({"detail": error.messages})


class AlertViewSet(viewsets.ReadOnlyModelViewSet):
    """Alerts on the accounts you may see, newest and most valuable first. `status=awake`
    lists what the inbox shows (open, acknowledged, back from a snooze); `mine=true` only the
    accounts whose team you are on. Acting on one (acknowledge, snooze, resolve) takes the
    right to change its account."""

    serializer_class = AlertSerializer
    filterset_class = AlertFilterSet
    permission_classes = [ScopedModelPermissions]
    permission_action = {"acknowledge": "change", "snooze": "change", "resolve": "change"}
    queryset = Alert.objects.all()

    def get_queryset(self):
        return selectors.alert_list(user=self.request.user)

    def _done(self, alert: Alert) -> Response:
        return Response(AlertSerializer(self.get_queryset().get(pk=alert.pk)).data)

    @extend_schema(request=None, responses=AlertSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """Mark the alert seen and being dealt with (it stays in the inbox)."""
        alert = self.get_object()
        try:
            services.alert_acknowledge(actor=request.user, alert=alert)
        except DjangoValidationError as error:
            raise _invalid(error) from error
        return self._done(alert)

    @extend_schema(request=SnoozeSerializer, responses=AlertSerializer)
    @action(detail=True, methods=["post"])
    def snooze(self, request, pk=None):
        """Out of the inbox until `until` (a future date); it re-opens the day after."""
        alert = self.get_object()
        body = SnoozeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            services.alert_snooze(
                actor=request.user, alert=alert, until=body.validated_data["until"]
            )
        except DjangoValidationError as error:
            raise _invalid(error) from error
        return self._done(alert)

    @extend_schema(request=ResolveSerializer, responses=AlertSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        """Resolve the alert with a note saying how; the same cause never raises it again."""
        alert = self.get_object()
        body = ResolveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            services.alert_resolve(
                actor=request.user, alert=alert, note=body.validated_data["note"]
            )
        except DjangoValidationError as error:
            raise _invalid(error) from error
        return self._done(alert)

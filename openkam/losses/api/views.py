"""/api/losses/ (the dynamics), /api/losses/accounts/ (the accounts behind a figure) and
/api/account-losses/ (the loss records)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from openkam.core.api.permissions import ScopedModelPermissions
from openkam.metrics import selectors as metrics_selectors
from openkam.metrics.models import Snapshot

from .. import selectors, services
from ..filters import AccountLossFilterSet
from ..models import AccountLoss
from .serializers import (
    AccountLossSerializer,
    DrillDownQuerySerializer,
    LossDynamicsSerializer,
    LossQuerySerializer,
    LostAccountSerializer,
)


def _query(data: dict) -> selectors.LossQuery:
    return selectors.LossQuery(
        as_of=data.get("as_of"),
        period=data["period"],
        owner=data.get("owner"),
        country=data.get("country") or None,
        segment=data.get("segment"),
        type=data.get("type") or None,
        key_only=data["key_only"],
        group=data["group"],
    )


def _snapshot(query: selectors.LossQuery) -> Snapshot:
    snapshot = metrics_selectors.snapshot_for(query.as_of)
    if snapshot is None:
        dates = ", ".join(d.isoformat() for d in metrics_selectors.available_dates()[:10])
        raise NotFound(
            _("No metrics as of %(date)s. Available: %(dates)s. Run `kam analyze --as-of DATE`.")
            % {"date": query.as_of or _("any date"), "dates": dates or _("none")}
        )
    return snapshot


class LossDynamicsView(APIView):
    """The loss dynamics of one snapshot (default: the latest) and period length (default:
    quarter): per period of the window the accounts lost, regained, new and shrinking and the
    revenue lost (newest first); the latest period by owner, country, segment or key-account
    type; the reasons recorded (loss records, lost tenders) and the competitors the lost
    accounts went to. Filters narrow the accounts; a key account manager sees their own."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[LossQuerySerializer], responses=LossDynamicsSerializer)
    def get(self, request):
        params = LossQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        query = _query(params.validated_data)
        snapshot = _snapshot(query)
        dynamics = selectors.loss_dynamics(user=request.user, query=query, snapshot=snapshot)
        payload = {
            "snapshot": snapshot.pk,
            "as_of": snapshot.as_of,
            "period": query.period,
            "start": dynamics.start,
            "end": dynamics.end,
            "reporting_currency": snapshot.reporting_currency,
            "series_scope": dynamics.series_scope,
            "series": dynamics.series,
            "group": query.group,
            "breakdown": dynamics.breakdown,
            "total": dynamics.total,
            "reasons": dynamics.reasons,
            "without_reason": dynamics.without_reason,
            "competitors": dynamics.competitors,
            "destination_unknown": dynamics.destination_unknown,
        }
        return Response(LossDynamicsSerializer(payload).data)


class LossAccountsView(generics.ListAPIView):
    """The accounts behind one figure of the dynamics (`measure` lost, regained, new or
    shrinking in period `index`; all but lost for the latest period only), one reason
    (`reason` with `source` loss or tender) or one competitor (`competitor`), under the same
    filters as /api/losses/, largest revenue before the loss first."""

    permission_classes = [IsAuthenticated]
    serializer_class = LostAccountSerializer
    filter_backends = []

    @extend_schema(parameters=[DrillDownQuerySerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = DrillDownQuerySerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        query = _query(data)
        snapshot = _snapshot(query)
        which = selectors.DrillDown(
            measure=data.get("measure"),
            index=data["index"],
            reason=data.get("reason"),
            source=data["source"],
            competitor=data.get("competitor"),
        )
        error = selectors.drill_down_error(which, snapshot, query.period)
        if error:
            raise ValidationError({"index": [error]})
        return selectors.drill_down(
            user=self.request.user, query=query, snapshot=snapshot, which=which
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        rows = [
            {
                "id": row.pk,
                "name": row.name,
                "external_id": row.external_id,
                "owner": row.owner_username,
                "country": str(row.country.code or "") if row.country else "",
                "lost_since": row.lost_since,
                "recorded_lost_on": row.recorded_lost_on,
                "revenue_before_loss": row.revenue_before_loss,
                "reason": row.loss_reason,
                "competitor": row.loss_competitor,
            }
            for row in page
        ]
        return self.get_paginated_response(LostAccountSerializer(rows, many=True).data)


class AccountLossViewSet(viewsets.ModelViewSet):
    """Loss records of the accounts you may see: when an account was lost, why, and to which
    competitor. Recording, changing and deleting them takes the right to change the account
    (its team, a director)."""

    serializer_class = AccountLossSerializer
    filterset_class = AccountLossFilterSet
    permission_classes = [ScopedModelPermissions]
    queryset = AccountLoss.objects.none()  # the model, for the permissions and the schema
    ordering_fields = ["lost_on", "created_at"]

    def get_queryset(self):
        return AccountLoss.objects.visible_to(self.request.user).select_related(
            "account", "competitor", "recorded_by"
        )

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        account = data.pop("account")
        serializer.instance = services.account_loss_record(
            actor=self.request.user, account=account, data=data
        )

    def perform_update(self, serializer) -> None:
        serializer.instance = services.account_loss_update(
            actor=self.request.user, loss=serializer.instance, data=dict(serializer.validated_data)
        )

    def perform_destroy(self, instance) -> None:
        services.account_loss_delete(actor=self.request.user, loss=instance)

"""/api/metrics/: the analytics engine's latest results, under the usual account scope."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from openkam.accounts.querysets import account_scope

from .. import portfolio, selectors
from ..models import AccountMetrics, Snapshot
from .serializers import (
    AccountMetricsSerializer,
    MetricsQuerySerializer,
    PortfolioQuerySerializer,
    PortfolioSerializer,
)

STATE_FIELDS = [
    "last_purchase",
    "rhythm",
    "median_interval",
    "interval_cv",
    "expected_next_purchase",
    "days_since_purchase",
    "overdue",
    "lost",
    "prob_alive",
    "expected_purchases_30",
    "expected_purchases_90",
    "expected_purchases_365",
    "expected_order_value",
    "clv",
]


def _snapshot(query: dict) -> Snapshot:
    snapshot = selectors.snapshot_for(query.get("as_of"))
    if snapshot is None:
        dates = ", ".join(d.isoformat() for d in selectors.available_dates()[:10])
        raise NotFound(
            _("No metrics as of %(date)s. Available: %(dates)s. Run `kam analyze --as-of DATE`.")
            % {"date": query.get("as_of") or _("any date"), "dates": dates or _("none")}
        )
    return snapshot


class AccountMetricsView(generics.ListAPIView):
    """Per-account metrics of one snapshot and period, largest revenue first: revenue, growth,
    ABC–XYZ, retention flags, purchase rhythm, overdue and lost, the repeat-purchase model's
    predictions and the customer lifetime value. A key-account manager sees their accounts."""

    permission_classes = [IsAuthenticated]
    serializer_class = AccountMetricsSerializer
    filter_backends = []

    @extend_schema(parameters=[MetricsQuerySerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        query = MetricsQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        self.snapshot = _snapshot(query.validated_data)
        return selectors.account_metrics(
            user=self.request.user, snapshot=self.snapshot, period=query.validated_data["period"]
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        state = selectors.account_state(self.snapshot, [row.account_id for row in page])
        data = [_account_row(row, state.get(row.account_id)) for row in page]
        return self.get_paginated_response(AccountMetricsSerializer(data, many=True).data)


def _account_row(row, state: AccountMetrics | None) -> dict:
    values = {field.attname: getattr(row, field.attname) for field in row._meta.concrete_fields}
    values["account"] = {
        "id": row.account.pk,
        "name": row.account.name,
        "status": row.account.status,
    }
    for name in STATE_FIELDS:
        values[name] = getattr(state, name) if state is not None else None
    values["overdue"] = bool(values["overdue"])
    values["lost"] = bool(values["lost"])
    values["rhythm"] = values["rhythm"] or ""
    return values


class PortfolioView(APIView):
    """The portfolio's headline figures for one snapshot and period — retention, key accounts'
    share, top 20 % share, growth, lapse — with the ABC–XYZ matrix and the time series.
    Filters (country, owner, segment, status) narrow the accounts; a key-account manager's
    figures cover the accounts they may see."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[PortfolioQuerySerializer], responses=PortfolioSerializer)
    def get(self, request):
        query = PortfolioQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        snapshot = _snapshot(params)
        period = params["period"]
        stored = snapshot.periods[period]
        filters = {
            key: params[key] for key in ("country", "owner", "segment", "status") if key in params
        }
        sees_all = account_scope(request.user, "view") == Q()
        if not filters and sees_all:
            headline = selectors.snapshot_summary(snapshot)["portfolio"][period]
            matrix, scope = stored["matrix"], "portfolio"
        else:
            accounts = selectors.filtered_accounts(request.user, **filters)
            rows = selectors.period_rows(snapshot, period, accounts)
            state = AccountMetrics.objects.filter(snapshot=snapshot, account__in=accounts)
            headline = portfolio.figures(rows, state, portfolio.coverage(stored))
            matrix, scope = portfolio.matrix(rows), "filtered"
        start, end = stored["bounds"][0]
        data = {
            **headline,
            "snapshot": snapshot.pk,
            "as_of": snapshot.as_of,
            "period": period,
            "start": start,
            "end": end,
            "reporting_currency": snapshot.reporting_currency,
            "scope": scope,
            "abc_xyz": matrix,
            "series": selectors.portfolio_series(snapshot, period) if scope == "portfolio" else [],
            "model": snapshot.model,
            "available_as_of": selectors.available_dates(),
        }
        return Response(PortfolioSerializer(data).data)

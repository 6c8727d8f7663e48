"""/api/portfolio/: the cockpit's figures, the same as the page shows."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from openkam.metrics import selectors as metrics_selectors

from .. import selectors
from ..views import CACHE_SECONDS
from .serializers import CockpitSerializer, PortfolioQuerySerializer


class PortfolioView(APIView):
    """The portfolio cockpit's figures for one snapshot (default: the latest) and period
    (default: the last 12 months — the same defaults as /api/metrics/accounts/, so the figures
    agree): revenue and growth, the retention rate against its 80 % target, the key accounts'
    share of revenue against the 30–55 % band, the top 20 % share, accounts overdue, lost and
    regained, the ABC–XYZ matrix, the Pareto curve and the series. Filters (country, owner,
    segment, status) narrow the accounts; a key account manager's figures cover the accounts
    they may see."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[PortfolioQuerySerializer], responses=CockpitSerializer)
    def get(self, request):
        key = selectors.cache_key(
            user=request.user, params=request.query_params.urlencode(), kind="api"
        )
        body = cache.get(key)
        if body is not None:
            return _json(body)
        params = PortfolioQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        query = selectors.CockpitQuery(
            as_of=data.get("as_of"),
            period=data["period"],
            **{name: data[name] for name in selectors.FILTERS if name in data},
        )
        snapshot = metrics_selectors.snapshot_for(query.as_of)
        if snapshot is None:
            dates = ", ".join(d.isoformat() for d in metrics_selectors.available_dates()[:10])
            raise NotFound(
                _(
                    "No metrics as of %(date)s. Available: %(dates)s. Import sales history "
                    "or run `kam analyze --as-of DATE`."
                )
                % {"date": data.get("as_of") or _("any date"), "dates": dates or _("none")}
            )
        figures = _payload(selectors.cockpit(user=request.user, query=query, snapshot=snapshot))
        # Kept encoded: for a director the figures are some 45 KB of JSON (the Pareto curve
        # marks every key account), and encoding them took more time than the rest of the call.
        body = JSONRenderer().render(figures)
        cache.set(key, body, CACHE_SECONDS)
        return _json(body)


def _json(body: bytes) -> HttpResponse:
    return HttpResponse(body, content_type=JSONRenderer.media_type)


def _payload(cockpit: selectors.Cockpit) -> dict:
    snapshot = cockpit.snapshot
    payload = {
        **cockpit.headline,
        "snapshot": snapshot.pk,
        "as_of": snapshot.as_of,
        "period": cockpit.period,
        "start": cockpit.start,
        "end": cockpit.end,
        "reporting_currency": snapshot.reporting_currency,
        "scope": cockpit.scope,
        "abc_xyz": cockpit.matrix,
        "series": cockpit.series,
        "series_scope": cockpit.series_scope,
        "targets": cockpit.targets,
        "target_status": cockpit.status,
        "pareto": cockpit.pareto,
        "model": snapshot.model,
        "available_as_of": cockpit.available,
    }
    return dict(CockpitSerializer(payload).data)

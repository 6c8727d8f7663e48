"""/api/what-if/retention/: the retention what-if, the same as the page shows."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from openkam.metrics import selectors as metrics_selectors

from .. import selectors
from .serializers import WhatIfQuerySerializer, WhatIfSerializer


class RetentionWhatIfView(APIView):
    """The revenue of the next 1, 3 and 5 years with today's retention and with retention
    raised by `points` at every cohort age (at most 100 %), with the assumptions by cohort age
    — from the cohort basis stored with the snapshot. A key account manager sees their own
    accounts (group=owner, key=their id; the default for them); others choose any group."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[WhatIfQuerySerializer], responses=WhatIfSerializer)
    def get(self, request):
        params = WhatIfQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        user = request.user
        choice = (
            selectors.Choice(data["group"], data.get("key", ""))
            if data.get("group")
            else selectors.default_choice(user)
        )
        try:
            selectors.check_choice(user, choice)
        except PermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from error
        snapshot = metrics_selectors.snapshot_for(data.get("as_of"))
        if snapshot is None or not selectors.has_basis(snapshot):
            dates = ", ".join(d.isoformat() for d in metrics_selectors.available_dates()[:10])
            raise exceptions.NotFound(
                _(
                    "No retention what-if as of %(date)s. Available snapshots: %(dates)s. "
                    "Run `kam analyze` to compute one."
                )
                % {"date": data.get("as_of") or _("any date"), "dates": dates or _("none")}
            )
        what_if = selectors.retention_what_if(
            user=user, snapshot=snapshot, choice=choice, points=data["points"]
        )
        r = what_if.result
        payload = {
            "snapshot": snapshot.pk,
            "as_of": snapshot.as_of,
            "reporting_currency": snapshot.reporting_currency,
            "group": choice.group,
            "key": choice.key,
            "label": what_if.label,
            "points": r.points,
            "computable": r.computable,
            "active_now": r.active_now,
            "revenue_now": r.revenue_now,
            "horizons": r.horizons,
            "yearly_baseline": r.yearly_baseline,
            "yearly_raised": r.yearly_raised,
            "assumptions": r.assumptions,
            "current": r.current,
            "rule_of_thumb": r.rule_of_thumb,
        }
        return Response(WhatIfSerializer(payload).data)

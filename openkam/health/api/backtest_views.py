"""`/api/health/backtest/`: how well the stored scores of a past date predicted the losses."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import backtest as bt
from ..cli import as_dict
from .backtest_serializers import BacktestQuerySerializer, BacktestSerializer

VIEW_PERMISSION = "health.view_healthscore"


class HealthBacktestView(APIView):
    """The backtest of the health score as of a past date, over the accounts you may see: of
    the accounts scored then (groups rolled up from subsidiaries and accounts without revenue
    in the 12 months before are left out), which were lost or shrank by more than 30 % in the
    following 12 months, and how well the scores ranked them — ROC AUC, precision and recall of
    red, and a calibration table per score band and level. With `weights`, `green_from` or
    `amber_from` the stored readings are rescored with those first (a preview: nothing is
    saved). 400 for a date less than 12 months before the end of the sales history, or without
    stored scores on or before it."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[BacktestQuerySerializer], responses=BacktestSerializer)
    def get(self, request):
        if not request.user.has_perm(VIEW_PERMISSION):
            raise PermissionDenied
        query = BacktestQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        try:
            weights = bt.parse_weights(data["weights"]) if data.get("weights") else None
            result = bt.backtest(
                as_of=data["as_of"],
                user=request.user,
                weights=weights,
                green_from=data.get("green_from"),
                amber_from=data.get("amber_from"),
            )
        except bt.BacktestError as error:
            raise ValidationError({"detail": str(error)}) from error
        return Response(BacktestSerializer(as_dict(result)).data)

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.filters import OrderingFilter
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from openkam.accounts import selectors as account_selectors

from .. import selectors
from ..filters import HealthScoreFilterSet
from ..models import HealthScore
from .serializers import AccountHealthSerializer, AsOfQuerySerializer, HealthScoreSerializer


@extend_schema(
    parameters=[
        OpenApiParameter(
            "as_of",
            OpenApiTypes.DATE,
            description="The snapshot date whose scores to show; the latest by default.",
        )
    ]
)
class HealthScoreListView(generics.ListAPIView):
    """The health of every account you may see, worst first: score 0–100, level, and each
    component with its value, evidence, weight and contribution (missing ones say so). Scores
    are stored after each analysis; `as_of` picks the snapshot of that date (none: an empty
    list)."""

    permission_classes = [IsAuthenticated]
    serializer_class = HealthScoreSerializer
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = HealthScoreFilterSet
    ordering_fields = ["score", "revenue", "account__name"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return HealthScore.objects.none()
        query = AsOfQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.health_list(
            user=self.request.user, as_of=query.validated_data.get("as_of")
        ).select_related("weights")


class AccountHealthView(APIView):
    """An account's health: the latest score (or the one as of `as_of`: the latest snapshot on
    or before that date) with its components, and its history, one score per snapshot date.
    404 for an account you may not see."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "as_of", OpenApiTypes.DATE, description="The latest score on or before this date."
            )
        ],
        responses=AccountHealthSerializer,
    )
    def get(self, request, pk: int):
        account = account_selectors.account_detail(user=request.user, pk=pk)
        if account is None:
            raise NotFound
        query = AsOfQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        visible = HealthScore.objects.visible_to(request.user).filter(account=account).exists()
        current = (
            selectors.account_health(account=account, as_of=query.validated_data.get("as_of"))
            if visible
            else None
        )
        history = selectors.account_history(account=account) if visible else []
        return Response(
            {
                "account": account.pk,
                "current": HealthScoreSerializer(current).data if current else None,
                "history": [
                    {"as_of": h.as_of, "score": h.score, "level": h.level, "rolled_up": h.rolled_up}
                    for h in history
                ],
            }
        )

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from openkam.accounts.models import Account

from .. import selectors
from ..models import SelloutImport
from .serializers import (
    AccountDecompositionSerializer,
    PeriodParamsSerializer,
    SelloutImportSerializer,
)


class SelloutImportListView(generics.ListAPIView):
    """The sell-out imports you may see (every import if you see every account, else your
    own), newest first, with their counts and reasons."""

    serializer_class = SelloutImportSerializer
    permission_classes = [IsAuthenticated]
    queryset = SelloutImport.objects.none()

    def get_queryset(self):
        return selectors.import_list(user=self.request.user).order_by("-created_at", "-id")


PERIOD_HELP = "A year (2025), a quarter (2025-Q2), a month (2025-03) or months (2024-07..2025-06)."


class AccountDecompositionView(APIView):
    """The account's sell-out change between two periods split into more shoppers, more
    frequent visits and more spend per visit (LMDI: the parts add up to the change), in total
    and per store. Without `from` and `to`: the last twelve months against the twelve before.
    404 when the account has no sell-out (or you may not see it)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.STR, description=PERIOD_HELP),
            OpenApiParameter("to", OpenApiTypes.STR, description=PERIOD_HELP),
        ],
        responses=AccountDecompositionSerializer,
    )
    def get(self, request, pk: int):
        account = Account.objects.visible_to(request.user, "view").filter(pk=pk).first()
        if account is None:
            raise Http404
        params = PeriodParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        found = selectors.account_sellout(
            user=request.user,
            account=account,
            before=params.validated_data["from"],
            after=params.validated_data["to"],
        )
        if found is None:
            raise Http404
        data = {
            "account": account.pk,
            "currency": settings.REPORTING_CURRENCY,
            "period_from": found.before.key,
            "period_to": found.after.key,
            "total": _decomposition(found.result.total),
            "stores": [
                {
                    "store": s.store,
                    "status": s.status,
                    "decomposition": _decomposition(s.decomposition),
                }
                for s in found.result.stores
            ],
        }
        return Response(AccountDecompositionSerializer(data).data)


def _decomposition(d) -> dict:
    return {
        "before": vars(d.before),
        "after": vars(d.after),
        "change": d.change,
        "shoppers": d.shoppers,
        "frequency": d.frequency,
        "spend": d.spend,
    }

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from openkam.core.api.permissions import ScopedModelPermissions

from .. import selectors, services
from ..filters import TenderFilterSet
from ..models import Tender
from .serializers import TenderSerializer, TenderStatsSerializer


class TenderViewSet(viewsets.ModelViewSet):
    """Tenders and opportunities of the accounts you may see. Recording one takes the right to
    change the account; a lost tender needs its reason (and the winner when the reason is a
    competitor); a won or lost one its decision date."""

    serializer_class = TenderSerializer
    filterset_class = TenderFilterSet
    permission_classes = [ScopedModelPermissions]
    queryset = Tender.objects.all()

    def get_queryset(self):
        return selectors.tender_list(user=self.request.user)

    @extend_schema(responses=TenderStatsSerializer)
    @action(detail=False, methods=["get"])
    def stats(self, request):
        """Win rate (won / (won + lost)) and lost value by reason, by competitor and by
        owner, in the reporting currency, over the tenders the filters select (e.g.
        `account`, `owner`)."""
        tenders = self.filter_queryset(self.get_queryset())
        return Response(TenderStatsSerializer(selectors.tender_stats(tenders)).data)

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        account = data.pop("account")
        tender = services.tender_create(actor=self.request.user, account=account, data=data)
        serializer.instance = self.get_queryset().get(pk=tender.pk)

    def perform_update(self, serializer) -> None:
        tender = services.tender_update(
            actor=self.request.user,
            tender=serializer.instance,
            data=dict(serializer.validated_data),
        )
        serializer.instance = self.get_queryset().get(pk=tender.pk)

    def perform_destroy(self, instance) -> None:
        services.tender_delete(actor=self.request.user, tender=instance)

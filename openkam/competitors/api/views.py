from __future__ import annotations

from django.db.models import Prefetch
from rest_framework import viewsets

from openkam.core.api.permissions import ScopedModelPermissions

from .. import selectors, services
from ..filters import AccountCompetitorFilterSet, CompetitorFilterSet
from ..models import AccountCompetitor, AccountCompetitorObservation, Competitor
from .serializers import AccountCompetitorSerializer, CompetitorSerializer


class CompetitorViewSet(viewsets.ModelViewSet):
    """The shared register of competitors. Everyone reads it; administrators, directors and
    key account managers add and change entries; administrators and directors delete one that
    is recorded nowhere."""

    serializer_class = CompetitorSerializer
    filterset_class = CompetitorFilterSet
    permission_classes = [ScopedModelPermissions]
    queryset = Competitor.objects.all()

    def get_queryset(self):
        return Competitor.objects.visible_to(self.request.user)

    def perform_create(self, serializer) -> None:
        serializer.instance = services.competitor_create(
            actor=self.request.user, data=dict(serializer.validated_data)
        )

    def perform_update(self, serializer) -> None:
        serializer.instance = services.competitor_update(
            actor=self.request.user,
            competitor=serializer.instance,
            data=dict(serializer.validated_data),
        )

    def perform_destroy(self, instance) -> None:
        services.competitor_delete(actor=self.request.user, competitor=instance)


class AccountCompetitorViewSet(viewsets.ModelViewSet):
    """Competitors present at the accounts you may see, with the history of their estimates
    (share of wallet, threat, last seen, the day they took the account). Recording one takes
    the right to change the account."""

    serializer_class = AccountCompetitorSerializer
    filterset_class = AccountCompetitorFilterSet
    permission_classes = [ScopedModelPermissions]
    queryset = AccountCompetitor.objects.all()

    def get_queryset(self):
        history = AccountCompetitorObservation.objects.select_related("recorded_by")
        return selectors.presence_list(user=self.request.user).prefetch_related(
            Prefetch("observations", queryset=history)
        )

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        account = data.pop("account")
        serializer.instance = services.account_competitor_create(
            actor=self.request.user,
            account=account,
            categories=data.pop("categories", []),
            data=data,
        )

    def perform_update(self, serializer) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.account_competitor_update(
            actor=self.request.user,
            presence=serializer.instance,
            categories=data.pop("categories", None),
            data=data,
        )

    def perform_destroy(self, instance) -> None:
        services.account_competitor_delete(actor=self.request.user, presence=instance)

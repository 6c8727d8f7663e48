from __future__ import annotations

from django.db import transaction
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from openkam.core.api.permissions import ScopedModelPermissions
from openkam.metrics.models import AccountMetrics

from .. import selectors, services
from ..filters import CampaignAccountFilterSet, WinBackFilterSet
from ..models import Campaign, CampaignAccount, CampaignStep
from ..tasks import measure_campaigns
from .serializers import (
    AddAccountsSerializer,
    CampaignAccountSerializer,
    CampaignSerializer,
    OfferKindResultsSerializer,
    ResultsSerializer,
    WinBackSerializer,
)


class WinBackListView(generics.ListAPIView):
    """The win-back list of the latest snapshot: the lost and shrinking accounts you may see,
    ranked by the margin at stake (revenue before the loss, or the shortfall of a shrinking
    account, × its margin rate), then the model's expected value; with the reason, where it
    went, the relationship left and the latest campaign. Same filters as the page."""

    permission_classes = [IsAuthenticated]
    serializer_class = WinBackSerializer
    filterset_class = WinBackFilterSet
    ordering_fields = ["margin_at_stake", "revenue_at_stake", "clv", "lost_since"]
    queryset = AccountMetrics.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AccountMetrics.objects.none()
        return selectors.win_back_list(user=self.request.user)


def _targets(user):
    steps = Prefetch("steps", queryset=CampaignStep.objects.order_by("activity__occurred_at", "id"))
    return (
        CampaignAccount.objects.visible_to(user)
        .select_related("account")
        .prefetch_related(steps)
        .order_by("account__name", "id")
    )


class CampaignViewSet(viewsets.ModelViewSet):
    """Win-back campaigns: an offer with a budget and a period for chosen accounts, and the
    outcome measured from the sales history (after every analysis). Who may see one of its
    accounts sees the campaign, with the results over the accounts they see; its owner or a
    director changes and deletes it."""

    serializer_class = CampaignSerializer
    permission_classes = [ScopedModelPermissions]
    queryset = Campaign.objects.none()
    ordering_fields = ["starts_on", "ends_on", "name", "budget"]
    filterset_fields = ["offer_kind"]

    def get_queryset(self):
        return selectors.campaign_list(user=self.request.user).order_by("-starts_on", "name", "id")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False) and self.request.user.is_authenticated:
            context["results"] = selectors.results_by_campaign(
                user=self.request.user, campaigns=self.get_queryset()
            )
        return context

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        accounts = data.pop("accounts", [])
        offer_cost = data.pop("offer_cost", None)
        serializer.instance = services.campaign_create(
            actor=self.request.user, data=data, accounts=accounts, offer_cost=offer_cost
        )
        campaign_id = serializer.instance.pk
        transaction.on_commit(lambda: measure_campaigns.enqueue(campaign_id))

    def perform_update(self, serializer) -> None:
        data = dict(serializer.validated_data)
        data.pop("accounts", None)
        data.pop("offer_cost", None)
        serializer.instance = services.campaign_update(
            actor=self.request.user, campaign=serializer.instance, data=data
        )

    def perform_destroy(self, instance) -> None:
        services.campaign_delete(actor=self.request.user, campaign=instance)

    @extend_schema(methods=["GET"], responses=CampaignAccountSerializer(many=True), request=None)
    @extend_schema(
        methods=["POST"],
        request=AddAccountsSerializer,
        responses={201: CampaignAccountSerializer(many=True)},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        permission_classes=[IsAuthenticated],
        filter_backends=[],
        pagination_class=None,
    )
    def accounts(self, request, pk=None):
        """The campaign's accounts you may see, each with its status, the cost of its offer,
        its contact steps and its measured outcome; POST puts more accounts in it (accounts
        you may change, in no other campaign at the same time, within the budget)."""
        campaign = self.get_object()
        if request.method == "POST":
            if not services.holds(request.user, "winback.add_campaignaccount"):
                raise PermissionDenied
            body = AddAccountsSerializer(data=request.data, context={"request": request})
            body.is_valid(raise_exception=True)
            services.campaign_accounts_add(
                actor=request.user,
                campaign=campaign,
                accounts=body.validated_data["accounts"],
                offer_cost=body.validated_data.get("offer_cost"),
            )
            transaction.on_commit(lambda: measure_campaigns.enqueue(campaign.pk))
        rows = _targets(request.user).filter(campaign=campaign)
        data = CampaignAccountSerializer(rows, many=True, context={"request": request}).data
        code = status.HTTP_201_CREATED if request.method == "POST" else status.HTTP_200_OK
        return Response(data, status=code)

    @extend_schema(responses=OfferKindResultsSerializer(many=True))
    @action(
        detail=False,
        methods=["get"],
        permission_classes=[IsAuthenticated],
        filter_backends=[],
        pagination_class=None,
    )
    def results(self, request):
        """The results per offer kind over the campaign accounts you may see."""
        rows = [
            {"offer_kind": value, **ResultsSerializer(result).data}
            for value, _label, result in selectors.results_by_offer_kind(user=request.user)
        ]
        return Response(rows)


class CampaignAccountViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The accounts of the campaigns, with their outcome: the account's team sets its status
    and the cost of its offer, or takes it out of the campaign."""

    serializer_class = CampaignAccountSerializer
    permission_classes = [ScopedModelPermissions]
    queryset = CampaignAccount.objects.none()
    filterset_class = CampaignAccountFilterSet
    ordering_fields = ["offer_cost", "revenue_after", "first_purchase"]

    def get_queryset(self):
        return _targets(self.request.user).select_related("campaign")

    def perform_update(self, serializer) -> None:
        serializer.instance = services.target_update(
            actor=self.request.user,
            target=serializer.instance,
            data=dict(serializer.validated_data),
        )

    def perform_destroy(self, instance) -> None:
        services.target_remove(actor=self.request.user, target=instance)

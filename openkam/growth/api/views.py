from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from openkam.accounts import selectors as account_selectors
from openkam.core.api.permissions import ScopedModelPermissions

from .. import selectors, services
from ..filters import GrowthOpportunityFilterSet, WalletEstimateFilterSet
from ..models import GrowthOpportunity, WalletEstimate
from .serializers import (
    AcceptSerializer,
    DismissSerializer,
    GrowthOpportunitySerializer,
    ShareOfWalletQuerySerializer,
    ShareOfWalletSerializer,
    WalletEstimateSerializer,
)


def _service_errors(error: DjangoValidationError) -> DRFValidationError:
    return DRFValidationError(
        error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}
    )


class GrowthOpportunityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                               viewsets.GenericViewSet):  # fmt: skip
    """Growth opportunities (cross-sell and up-sell) of the accounts you may see, the largest
    expected revenue first, with why each is suggested. The account team and directors accept
    one (with the value they expect, optionally as an action of this year's plan) or dismiss
    it with a reason; a dismissed one stays dismissed across later analyses."""

    serializer_class = GrowthOpportunitySerializer
    filterset_class = GrowthOpportunityFilterSet
    permission_classes = [ScopedModelPermissions]
    permission_action = {"accept": "change", "dismiss": "change"}
    queryset = GrowthOpportunity.objects.none()
    ordering_fields = ["expected_revenue", "as_of", "decided_at"]

    def get_queryset(self):
        return selectors.opportunity_list(user=self.request.user).order_by(
            "-expected_revenue", "pk"
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.request is not None and self.request.user.is_authenticated:
            context["visible_ids"] = _VisibleIds(self.request.user)
        return context

    def _decide(self, request, decide, serializer_class):
        opportunity = self.get_object()
        body = serializer_class(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            decided = decide(opportunity, body.validated_data)
        except DjangoValidationError as error:
            raise _service_errors(error) from error
        return Response(self.get_serializer(decided).data)

    @extend_schema(request=AcceptSerializer, responses=GrowthOpportunitySerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._decide(
            request,
            lambda o, data: services.opportunity_accept(
                actor=request.user,
                opportunity=o,
                expected_value=data.get("expected_value"),
                add_to_plan=data.get("add_to_plan", False),
            ),
            AcceptSerializer,
        )

    @extend_schema(request=DismissSerializer, responses=GrowthOpportunitySerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        return self._decide(
            request,
            lambda o, data: services.opportunity_dismiss(
                actor=request.user, opportunity=o, reason=data["reason"]
            ),
            DismissSerializer,
        )


class _VisibleIds:
    """Membership test of the accounts a user may see, asked of the database once."""

    def __init__(self, user) -> None:
        self.user, self._ids = user, None

    def __contains__(self, account_id: int) -> bool:
        if self._ids is None:
            from openkam.accounts.models import Account

            self._ids = set(Account.objects.visible_to(self.user).values_list("pk", flat=True))
        return account_id in self._ids


class WalletEstimateViewSet(viewsets.ModelViewSet):
    """The customers' estimated total spend per category and year (from all suppliers),
    entered by the account team or made by the rule. Entering one replaces the rule's."""

    serializer_class = WalletEstimateSerializer
    filterset_class = WalletEstimateFilterSet
    permission_classes = [ScopedModelPermissions]
    queryset = WalletEstimate.objects.none()
    ordering_fields = ["year", "estimated_spend", "updated_at"]

    def get_queryset(self):
        return selectors.wallet_estimate_list(user=self.request.user).order_by(
            "account__name", "-year", "category__name", "pk"
        )

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        account = data.pop("account")
        try:
            serializer.instance = services.wallet_estimate_create(
                actor=self.request.user, account=account, data=data
            )
        except DjangoValidationError as error:
            raise _service_errors(error) from error

    def perform_update(self, serializer) -> None:
        try:
            serializer.instance = services.wallet_estimate_update(
                actor=self.request.user,
                estimate=serializer.instance,
                data=dict(serializer.validated_data),
            )
        except DjangoValidationError as error:
            raise _service_errors(error) from error

    def perform_destroy(self, instance) -> None:
        services.wallet_estimate_delete(actor=self.request.user, estimate=instance)


class ShareOfWalletView(APIView):
    """An account's share of wallet for a year (this year by default): per category our
    revenue (the 12 months to the latest analysis), their estimated total spend, our share
    and the headroom, and the totals over the estimated categories. 404 for an account you
    may not see."""

    permission_classes = [ScopedModelPermissions]
    queryset = WalletEstimate.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("account", int, required=True, description="The account's id."),
            OpenApiParameter("year", int, description="The year of the estimates."),
        ],
        responses=ShareOfWalletSerializer,
    )
    def get(self, request):
        query = ShareOfWalletQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        account = account_selectors.account_detail(
            user=request.user, pk=query.validated_data["account"]
        )
        if account is None:
            raise NotFound
        year = query.validated_data.get("year") or timezone.localdate().year
        wallet = selectors.share_of_wallet(user=request.user, account=account, year=year)
        data = {
            "account": account.pk,
            "year": year,
            "as_of": wallet.as_of,
            "currency": settings.REPORTING_CURRENCY,
            "categories": [
                {
                    "category": r.category.pk,
                    "category_name": r.category.name,
                    "estimate": r.estimate.estimated_spend if r.estimate else None,
                    "estimate_id": r.estimate.pk if r.estimate else None,
                    "source": r.estimate.source if r.estimate else None,
                    "ours": r.ours,
                    "share": r.share,
                    "headroom": r.headroom,
                }
                for r in wallet.rows
            ],
            "total_estimate": wallet.total_estimate,
            "total_ours": wallet.total_ours,
            "share": wallet.share,
            "headroom": wallet.headroom,
        }
        return Response(ShareOfWalletSerializer(data).data)

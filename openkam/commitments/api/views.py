from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from openkam.core.api.permissions import ScopedModelPermissions

from .. import selectors, services
from ..filters import CommitmentFilterSet, CustomerRequestFilterSet
from ..models import Commitment, CustomerRequest
from .serializers import CommitmentSerializer, CustomerRequestSerializer, ResponseStatsSerializer


class _AccountChildViewSet(viewsets.ModelViewSet):
    permission_classes = [ScopedModelPermissions]
    create_service = update_service = delete_service = None
    instance_kwarg = ""

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        account = data.pop("account")
        row = type(self).create_service(actor=self.request.user, account=account, data=data)
        serializer.instance = self.get_queryset().get(pk=row.pk)

    def perform_update(self, serializer) -> None:
        row = type(self).update_service(
            actor=self.request.user,
            data=dict(serializer.validated_data),
            **{self.instance_kwarg: serializer.instance},
        )
        serializer.instance = self.get_queryset().get(pk=row.pk)

    def perform_destroy(self, instance) -> None:
        type(self).delete_service(actor=self.request.user, **{self.instance_kwarg: instance})


class CommitmentViewSet(_AccountChildViewSet):
    """Commitments at the accounts you may see: what we promised the customer (`ours`) and
    what they promised us (`theirs`). Recording one takes the right to change the account; a
    done one needs its done date (not in the future). Filters: `late=true`, `mine=true`,
    `owner`, `status`, `direction`, `due_from`, `due_until`, `account`."""

    serializer_class = CommitmentSerializer
    filterset_class = CommitmentFilterSet
    queryset = Commitment.objects.all()
    ordering_fields = ["due_on", "promised_on", "created_at"]
    create_service = staticmethod(services.commitment_create)
    update_service = staticmethod(services.commitment_update)
    delete_service = staticmethod(services.commitment_delete)
    instance_kwarg = "commitment"

    def get_queryset(self):
        return selectors.commitment_list(user=self.request.user)


class CustomerRequestViewSet(_AccountChildViewSet):
    """Customer requests (complaint, quote, sample, listing …) at the accounts you may see,
    with their response time in working hours (Monday to Friday, `KAM_WORKING_HOURS`) against
    `KAM_RESPONSE_HOURS`. Received ≤ first answered ≤ closed."""

    serializer_class = CustomerRequestSerializer
    filterset_class = CustomerRequestFilterSet
    queryset = CustomerRequest.objects.all()
    ordering_fields = ["received_at", "first_answered_at", "closed_at"]
    create_service = staticmethod(services.request_create)
    update_service = staticmethod(services.request_update)
    delete_service = staticmethod(services.request_delete)
    instance_kwarg = "customer_request"

    def get_queryset(self):
        return selectors.request_list(user=self.request.user).order_by("-received_at", "-id")

    @extend_schema(responses=ResponseStatsSerializer)
    @action(detail=False, methods=["get"])
    def stats(self, request):
        """Response times over the requests the filters select (e.g. `account`, `owner`,
        `received_from`): the median working hours to the first answer, the share answered
        within the target (answered within it / (answered + unanswered past it)), open,
        unanswered and overdue counts — in total, per owner on our side and per account."""
        rows = self.filter_queryset(self.get_queryset())
        return Response(ResponseStatsSerializer(selectors.response_stats(rows)).data)

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from openkam.core.api.permissions import ScopedModelPermissions
from openkam.core.api.serializers import ChangeLogEntrySerializer

from .. import selectors, services
from ..filters import AccountFilterSet
from ..models import Account, AccountTeamMember, Segment
from .serializers import AccountSerializer, SegmentSerializer


class AccountViewSet(viewsets.ModelViewSet):
    """Accounts you may see. A key account manager sees the accounts whose team they are on
    (and their subsidiaries); directors, administrators, marketing and viewers see all."""

    queryset = Account.objects.all()  # the model, for the permissions; see get_queryset
    serializer_class = AccountSerializer
    filterset_class = AccountFilterSet
    permission_classes = [ScopedModelPermissions]
    extra_permissions = {"change": ["accounts.change_account_marketing"]}
    ordering_fields = ["name", "country", "status", "updated_at", "created_at"]

    def get_queryset(self):
        team = AccountTeamMember.objects.select_related("user").order_by("role", "user__username")
        return (
            selectors.with_owner(Account.objects.visible_to(self.request.user, "view"))
            .select_related("segment")
            .prefetch_related(Prefetch("team", queryset=team))
        )

    def perform_create(self, serializer) -> None:
        owner = serializer.validated_data.pop("owner", None)
        serializer.instance = services.account_create(
            actor=self.request.user, data=serializer.validated_data, owner=owner
        )

    def perform_update(self, serializer) -> None:
        owner_args = {}
        if "owner" in serializer.validated_data:
            owner_args = {"owner": serializer.validated_data.pop("owner"), "set_owner": True}
        serializer.instance = services.account_update(
            actor=self.request.user,
            account=serializer.instance,
            data=serializer.validated_data,
            **owner_args,
        )

    def perform_destroy(self, instance) -> None:
        services.account_delete(actor=self.request.user, account=instance)

    @extend_schema(responses=ChangeLogEntrySerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def history(self, request, pk=None):
        """Recorded changes of the account and its people, newest first (the latest 500)."""
        account = self.get_object()
        entries = selectors.account_history(account=account)[:500]
        return Response(ChangeLogEntrySerializer(entries, many=True).data)


class SegmentViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Customer segments (to filter accounts by)."""

    queryset = Segment.objects.all()
    serializer_class = SegmentSerializer
    permission_classes = [ScopedModelPermissions]
    pagination_class = None
    filter_backends = []

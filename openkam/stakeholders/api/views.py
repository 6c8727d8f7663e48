from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from openkam.core.api.permissions import ScopedModelPermissions

from .. import selectors, services
from ..filters import StakeholderFilterSet
from ..models import Department, DepartmentKind
from .serializers import (
    DepartmentKindSerializer,
    DepartmentSerializer,
    StakeholderMoveSerializer,
    StakeholderSerializer,
)


class StakeholderViewSet(viewsets.ModelViewSet):
    """People at the customers, with their positions over time. Visible through their account."""

    serializer_class = StakeholderSerializer
    filterset_class = StakeholderFilterSet
    permission_classes = [ScopedModelPermissions]
    extra_permissions = {"change": ["stakeholders.change_stakeholder_marketing"]}
    permission_action = {"move": "change"}

    def get_queryset(self):
        return selectors.stakeholder_list(user=self.request.user).prefetch_related("positions")

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        account = data.pop("account")
        serializer.instance = services.stakeholder_create(
            actor=self.request.user, account=account, data=data
        )

    def perform_update(self, serializer) -> None:
        serializer.instance = services.stakeholder_update(
            actor=self.request.user,
            stakeholder=serializer.instance,
            data=serializer.validated_data,
        )

    def perform_destroy(self, instance) -> None:
        services.stakeholder_delete(actor=self.request.user, stakeholder=instance)

    @extend_schema(request=StakeholderMoveSerializer, responses=StakeholderSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def move(self, request, pk=None):
        """Record that the person now works at another account (their history follows)."""
        stakeholder = self.get_object()
        move = StakeholderMoveSerializer(data=request.data, context={"request": request})
        move.is_valid(raise_exception=True)
        moved = services.stakeholder_move(
            actor=request.user, stakeholder=stakeholder, **move.validated_data
        )
        moved = self.get_queryset().filter(pk=moved.pk).first() or moved
        return Response(
            StakeholderSerializer(moved, context={"request": request}).data,
            status=status.HTTP_200_OK,
        )


class DepartmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Departments of the accounts you may see."""

    serializer_class = DepartmentSerializer
    permission_classes = [ScopedModelPermissions]
    filterset_fields = ["account", "kind"]

    def get_queryset(self):
        return Department.objects.visible_to(self.request.user, "view").select_related("kind")

    def perform_create(self, serializer) -> None:
        serializer.instance = services.department_create(
            actor=self.request.user, **serializer.validated_data
        )


class DepartmentKindViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The kinds of department (merchandising/buying, operations, marketing...)."""

    queryset = DepartmentKind.objects.all()
    serializer_class = DepartmentKindSerializer
    permission_classes = [ScopedModelPermissions]
    pagination_class = None
    filter_backends = []

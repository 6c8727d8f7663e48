from __future__ import annotations

from rest_framework import mixins, viewsets

from openkam.core.api.permissions import ScopedModelPermissions

from .. import selectors, services
from ..filters import ActivityFilterSet
from ..models import ActivityKind
from .serializers import ActivityKindSerializer, ActivitySerializer


class ActivityViewSet(viewsets.ModelViewSet):
    """The relationship's log of the accounts you may see. Logging takes the right to change the
    account; changing or deleting an activity is for its author or a sales director."""

    serializer_class = ActivitySerializer
    filterset_class = ActivityFilterSet
    permission_classes = [ScopedModelPermissions]

    def get_queryset(self):
        return selectors.activity_list(user=self.request.user)

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        account = data.pop("account")
        serializer.instance = services.activity_create(
            actor=self.request.user,
            account=account,
            our_people=data.pop("our_people", []),
            their_people=data.pop("their_people", []),
            data=data,
        )

    def perform_update(self, serializer) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.activity_update(
            actor=self.request.user,
            activity=serializer.instance,
            our_people=data.pop("our_people", None),
            their_people=data.pop("their_people", None),
            data=data,
        )

    def perform_destroy(self, instance) -> None:
        services.activity_delete(actor=self.request.user, activity=instance)


class ActivityKindViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The kinds of activity (administrators add more in the admin)."""

    serializer_class = ActivityKindSerializer
    permission_classes = [ScopedModelPermissions]
    pagination_class = None
    queryset = ActivityKind.objects.all()

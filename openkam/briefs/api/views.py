from __future__ import annotations

import django_filters
from rest_framework import viewsets

from openkam.core.api.permissions import ScopedModelPermissions

from .. import selectors, services
from ..models import NegotiationBrief
from .serializers import BriefSerializer


class BriefFilterSet(django_filters.FilterSet):
    class Meta:
        model = NegotiationBrief
        fields = {"account": ["exact"], "meeting_on": ["gte", "lte"]}


class BriefViewSet(viewsets.ModelViewSet):
    """Negotiation briefs of the accounts you may see: the meeting, who will be in the room and
    our preparation (goals, questions, notes). The rest of the brief is read from the dossier
    when it is shown or printed (`pdf`). Writing takes the right to change the account."""

    serializer_class = BriefSerializer
    filterset_class = BriefFilterSet
    permission_classes = [ScopedModelPermissions]

    def get_queryset(self):
        return selectors.brief_list(user=self.request.user).prefetch_related(
            "attendees", "our_people"
        )

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        account = data.pop("account")
        serializer.instance = services.brief_create(
            actor=self.request.user,
            account=account,
            attendees=data.pop("attendees", []),
            our_people=data.pop("our_people", []),
            data=data,
        )

    def perform_update(self, serializer) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.brief_update(
            actor=self.request.user,
            brief=serializer.instance,
            attendees=data.pop("attendees", None),
            our_people=data.pop("our_people", None),
            data=data,
        )

    def perform_destroy(self, instance) -> None:
        services.brief_delete(actor=self.request.user, brief=instance)

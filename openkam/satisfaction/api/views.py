from __future__ import annotations

from rest_framework import viewsets

from openkam.core.api.permissions import ScopedModelPermissions

from .. import selectors, services
from ..filters import SurveyResponseFilterSet
from ..models import SurveyResponse
from .serializers import SurveyResponseSerializer


class SurveyResponseViewSet(viewsets.ModelViewSet):
    """Survey answers (CSAT 1–5 and/or NPS 0–10) of the accounts you may see. Recording,
    changing and deleting them takes the right to change the account (its team, a director)
    or the marketing role, which runs the surveys."""

    serializer_class = SurveyResponseSerializer
    filterset_class = SurveyResponseFilterSet
    permission_classes = [ScopedModelPermissions]
    queryset = SurveyResponse.objects.none()  # the model, for the permissions and the schema
    ordering_fields = ["answered_on", "csat", "nps", "created_at"]

    def get_queryset(self):
        return selectors.survey_list(user=self.request.user)

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        account = data.pop("account")
        serializer.instance = services.survey_create(
            actor=self.request.user, account=account, data=data
        )

    def perform_update(self, serializer) -> None:
        serializer.instance = services.survey_update(
            actor=self.request.user,
            response=serializer.instance,
            data=dict(serializer.validated_data),
        )

    def perform_destroy(self, instance) -> None:
        services.survey_delete(actor=self.request.user, response=instance)

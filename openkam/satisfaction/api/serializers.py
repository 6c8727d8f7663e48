from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from openkam.accounts.models import Account
from openkam.core.api.fields import VisibleRelatedField
from openkam.stakeholders.models import Stakeholder

from ..models import SurveyResponse
from ..services import SURVEY_FIELDS


class SurveyResponseSerializer(serializers.ModelSerializer):
    account = VisibleRelatedField(
        Account, help_text=_("Set when recording it; an answer stays with its account.")
    )
    stakeholder = VisibleRelatedField(
        Stakeholder,
        required=False,
        allow_null=True,
        help_text=_("Id of the stakeholder who answered; null for an anonymous answer."),
    )
    is_detractor = serializers.BooleanField(
        read_only=True, help_text=_("An NPS score of 6 or less, or a CSAT of 2 or less.")
    )
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = SurveyResponse
        fields = [
            "id",
            "account",
            *SURVEY_FIELDS,
            "is_detractor",
            "source",
            "author",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["source", "author", "created_at", "updated_at"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["account"].read_only = True

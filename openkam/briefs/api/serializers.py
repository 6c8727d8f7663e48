from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from openkam.accounts.models import Account
from openkam.core.api.fields import SlugRelatedField, VisibleRelatedField
from openkam.stakeholders.models import Stakeholder
from openkam.users.models import User

from ..models import NegotiationBrief
from ..services import BRIEF_FIELDS


class BriefSerializer(serializers.ModelSerializer):
    account = VisibleRelatedField(
        Account, help_text=_("Set when preparing it; a brief stays with its account.")
    )
    attendees = VisibleRelatedField(
        Stakeholder,
        many=True,
        required=False,
        help_text=_("Ids of the account's stakeholders who will be in the room."),
    )
    our_people = SlugRelatedField(
        slug_field="username",
        queryset=User.objects.filter(is_active=True),
        many=True,
        required=False,
        help_text=_("Usernames of our people in the room."),
    )
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    pdf = serializers.SerializerMethodField(help_text=_("The brief printed as PDF."))

    class Meta:
        model = NegotiationBrief
        fields = [
            "id",
            "account",
            *BRIEF_FIELDS,
            "attendees",
            "our_people",
            "author",
            "pdf",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["author", "created_at", "updated_at"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["account"].read_only = True

    def get_pdf(self, brief: NegotiationBrief) -> str:
        from django.urls import reverse

        return reverse("briefs:pdf", args=[brief.pk])

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from openkam.accounts.models import Account
from openkam.core.api.fields import SlugRelatedField, VisibleRelatedField
from openkam.stakeholders.models import Stakeholder
from openkam.users.models import User

from ..models import Activity, ActivityKind
from ..services import ACTIVITY_FIELDS


class ActivityKindSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = ActivityKind
        fields = ["id", "code", "name", "label", "is_entertainment"]


class ActivitySerializer(serializers.ModelSerializer):
    account = VisibleRelatedField(
        Account, help_text=_("Set when logging it; an activity stays with its account.")
    )
    kind = SlugRelatedField(slug_field="code", queryset=ActivityKind.objects.all())
    our_people = SlugRelatedField(
        slug_field="username",
        queryset=User.objects.filter(is_active=True),
        many=True,
        required=False,
        help_text=_("Usernames of our people present."),
    )
    their_people = VisibleRelatedField(
        Stakeholder,
        many=True,
        required=False,
        help_text=_("Ids of the account's stakeholders present."),
    )
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "account",
            *ACTIVITY_FIELDS,
            "our_people",
            "their_people",
            "author",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["author", "created_at", "updated_at"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["account"].read_only = True

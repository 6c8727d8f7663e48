from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from openkam.accounts.models import Account
from openkam.core.api.fields import SlugRelatedField, VisibleRelatedField
from openkam.core.filters import MAX_ID
from openkam.stakeholders.models import Stakeholder
from openkam.users.models import User

from ..models import ListKind, Programme, ProgrammeStep, TargetList, Touch
from ..services import LIST_FIELDS, PROGRAMME_FIELDS, STEP_FIELDS, TOUCH_FIELDS
from ..vcards import DEFAULT_VERSION, VERSIONS


def _user_field(help_text) -> SlugRelatedField:
    return SlugRelatedField(
        slug_field="username",
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text=help_text,
    )


class TargetListSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(
        choices=ListKind.choices,
        help_text=_("static or rule; set when the list is made, then fixed."),
    )
    owner = _user_field(_("Username of who in marketing looks after the list."))
    # a plain code here: the country choices are named once in the schema, for the accounts
    rule_country = serializers.CharField(
        max_length=2,
        required=False,
        allow_blank=True,
        help_text=_("ISO 3166 code of the accounts' country, e.g. TH; empty: any."),
    )

    class Meta:
        model = TargetList
        fields = ["id", "kind", *LIST_FIELDS, "frozen_from", "created_at", "updated_at"]
        read_only_fields = ["frozen_from", "created_at", "updated_at"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["kind"].read_only = True


class MemberSerializer(serializers.ModelSerializer):
    """A list's account, with what the list's rules read."""

    segment = serializers.CharField(source="segment.name", default=None, read_only=True)
    owner = serializers.CharField(source="owner_username", default=None, read_only=True)
    key_account_type = serializers.CharField(source="current_type", default=None, read_only=True)
    abc_class = serializers.CharField(default=None, read_only=True)
    health_level = serializers.CharField(default=None, read_only=True)
    people = serializers.IntegerField(read_only=True, help_text=_("People still at the account."))

    class Meta:
        model = Account
        fields = [
            "id",
            "name",
            "status",
            "country",
            "segment",
            "owner",
            "key_account_type",
            "abc_class",
            "health_level",
            "people",
        ]
        read_only_fields = fields


class AccountIdsSerializer(serializers.Serializer):
    accounts = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        min_length=1,
        max_length=10000,
        help_text=_("Ids of accounts you can see."),
    )


class FreezeSerializer(serializers.Serializer):
    name = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text=_("Name of the static list; empty: the list's name and today's date."),
    )


class VCardQuerySerializer(serializers.Serializer):
    version = serializers.ChoiceField(
        choices=VERSIONS, default=DEFAULT_VERSION, help_text=_("vCard 3.0 or 4.0.")
    )


class ProgrammeStepSerializer(serializers.ModelSerializer):
    programme = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.none(),
        help_text=_("Set when adding it; a step stays with its programme."),
    )

    class Meta:
        model = ProgrammeStep
        fields = ["id", "programme", *STEP_FIELDS, "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["programme"].queryset = Programme.objects.visible_to(request.user)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["programme"].read_only = True


class ProgrammeSerializer(serializers.ModelSerializer):
    account = VisibleRelatedField(
        Account, required=False, allow_null=True, help_text=_("Either an account …")
    )
    target_list = VisibleRelatedField(
        TargetList, required=False, allow_null=True, help_text=_("… or a target-account list.")
    )
    marketing_owner = _user_field(_("Username of who in marketing runs it."))
    sales_owner = _user_field(_("Username of who in sales works on it."))
    steps = ProgrammeStepSerializer(many=True, read_only=True)

    class Meta:
        model = Programme
        fields = ["id", *PROGRAMME_FIELDS, "steps", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class TouchSerializer(serializers.ModelSerializer):
    step = serializers.PrimaryKeyRelatedField(
        queryset=ProgrammeStep.objects.none(), help_text=_("The programme step.")
    )
    stakeholder = VisibleRelatedField(Stakeholder, help_text=_("Who was touched."))
    on = serializers.DateField(required=False, help_text=_("Empty: the step's date."))
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Touch
        fields = ["id", "step", "stakeholder", *TOUCH_FIELDS, "author", "created_at"]
        read_only_fields = ["author", "created_at"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["step"].queryset = ProgrammeStep.objects.visible_to(request.user)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["step"].read_only = True
            self.fields["stakeholder"].read_only = True


class EngagementPersonSerializer(serializers.Serializer):
    stakeholder = serializers.IntegerField(source="stakeholder_id")
    name = serializers.CharField()
    account = serializers.IntegerField(source="account_id")
    touches = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("Per step id: the kinds of touch, entered or met in an activity that day."),
    )
    meetings_outside_steps = serializers.IntegerField()
    score = serializers.IntegerField()


class EngagementAccountSerializer(serializers.Serializer):
    account = serializers.IntegerField(source="account_id")
    name = serializers.CharField()
    people = serializers.IntegerField()
    engaged = serializers.IntegerField()
    score = serializers.IntegerField()


class EngagementSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    steps = ProgrammeStepSerializer(many=True)
    people = EngagementPersonSerializer(many=True)
    accounts = EngagementAccountSerializer(many=True)

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from openkam.accounts.models import Account
from openkam.core.api.permissions import ScopedModelPermissions

from .. import selectors, services
from ..models import Programme, ProgrammeStep, TargetList, Touch
from ..views import vcard_download
from .serializers import (
    AccountIdsSerializer,
    EngagementSerializer,
    FreezeSerializer,
    MemberSerializer,
    ProgrammeSerializer,
    ProgrammeStepSerializer,
    TargetListSerializer,
    TouchSerializer,
    VCardQuerySerializer,
)


class VCardRenderer(BaseRenderer):
    """Lets a client ask for `Accept: text/vcard`; errors stay JSON."""

    media_type = "text/vcard"
    format = "vcf"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        return JSONRenderer().render(data)


VCARD_RESPONSES = {
    (200, "text/vcard"): OpenApiResponse(
        OpenApiTypes.STR,
        description=_("Contact cards (vCard 3.0 or 4.0, UTF-8), one after the other."),
    ),
    400: OpenApiResponse(description=_("Not a vCard version: 3.0 or 4.0.")),
}


def _version(request) -> str:
    query = VCardQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data["version"]


class TargetListViewSet(viewsets.ModelViewSet):
    """Target-account lists: static (chosen accounts) or by rule (status, key-account type,
    ABC class, country, segment, health level — members worked out when read), with an
    ideal-customer tier. Marketing and directors write them; everyone reads them, members only
    on the accounts they may see."""

    serializer_class = TargetListSerializer
    permission_classes = [ScopedModelPermissions]
    queryset = TargetList.objects.none()
    filterset_fields = ["kind", "tier"]
    ordering_fields = ["name", "tier", "created_at"]
    permission_action = {"add_members": "change", "remove_members": "change", "freeze": "add"}

    def get_queryset(self):
        return selectors.target_lists(user=self.request.user)

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        kind = data.pop("kind")
        serializer.instance = services.targetlist_create(
            actor=self.request.user, kind=kind, data=data
        )

    def perform_update(self, serializer) -> None:
        serializer.instance = services.targetlist_update(
            actor=self.request.user,
            target_list=serializer.instance,
            data=dict(serializer.validated_data),
        )

    def perform_destroy(self, instance) -> None:
        services.targetlist_delete(actor=self.request.user, target_list=instance)

    @extend_schema(responses=MemberSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def members(self, request, pk=None):
        """The list's accounts you may see, by name, a page at a time."""
        target_list = self.get_object()
        accounts = selectors.with_marketing_facts(
            selectors.members(user=request.user, target_list=target_list)
        )
        page = self.paginate_queryset(accounts)
        return self.get_paginated_response(MemberSerializer(page, many=True).data)

    @extend_schema(request=AccountIdsSerializer, responses=TargetListSerializer)
    @action(detail=True, methods=["post"], url_path="add-members", filter_backends=[])
    def add_members(self, request, pk=None):
        """Put accounts on a static list (those on it already stay)."""
        target_list = self.get_object()
        body = AccountIdsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        accounts = _visible_accounts(request.user, body.validated_data["accounts"])
        services.targetlist_add_accounts(
            actor=request.user, target_list=target_list, accounts=accounts
        )
        return Response(self.get_serializer(target_list).data)

    @extend_schema(request=AccountIdsSerializer, responses=TargetListSerializer)
    @action(detail=True, methods=["post"], url_path="remove-members", filter_backends=[])
    def remove_members(self, request, pk=None):
        """Take accounts off a static list."""
        target_list = self.get_object()
        body = AccountIdsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        for account in _visible_accounts(request.user, body.validated_data["accounts"]):
            services.targetlist_remove_account(
                actor=request.user, target_list=target_list, account=account
            )
        return Response(self.get_serializer(target_list).data)

    @extend_schema(request=FreezeSerializer, responses={201: TargetListSerializer})
    @action(detail=True, methods=["post"], filter_backends=[])
    def freeze(self, request, pk=None):
        """A static copy of a list by rule: the accounts that match now."""
        target_list = self.get_object()
        body = FreezeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        frozen = services.targetlist_freeze(
            actor=request.user, target_list=target_list, name=body.validated_data.get("name", "")
        )
        return Response(self.get_serializer(frozen).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[VCardQuerySerializer], responses=VCARD_RESPONSES)
    @action(
        detail=True,
        methods=["get"],
        filter_backends=[],
        renderer_classes=[JSONRenderer, VCardRenderer],
    )
    def vcard(self, request, pk=None):
        """The contact cards of the people still at the list's accounts (that you may see), as
        one .vcf file."""
        target_list = self.get_object()
        version = _version(request)
        people = selectors.contact_cards(user=request.user, target_list=target_list)
        return vcard_download(people.iterator(chunk_size=2000), version, "contacts")


def _visible_accounts(user, ids: list[int]) -> list[Account]:
    accounts = list(Account.objects.visible_to(user).filter(pk__in=ids))
    if len(accounts) != len(set(ids)):
        raise Http404
    return accounts


class StakeholderVCardView(APIView):
    """A stakeholder's contact card."""

    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer, VCardRenderer]

    @extend_schema(parameters=[VCardQuerySerializer], responses=VCARD_RESPONSES)
    def get(self, request, pk: int):
        person = selectors.stakeholder_card(user=request.user, pk=pk)
        if person is None:
            raise Http404
        return vcard_download([person], _version(request), person.name)


class ProgrammeViewSet(viewsets.ModelViewSet):
    """Programmes for one account or for a target-account list, with their steps. Marketing
    and directors run them; the account team sees its accounts' programmes (and the lists'),
    and adds steps and touches on its own accounts."""

    serializer_class = ProgrammeSerializer
    permission_classes = [ScopedModelPermissions]
    queryset = Programme.objects.none()
    filterset_fields = ["account", "target_list"]
    ordering_fields = ["starts_on", "name", "created_at"]

    def get_queryset(self):
        return selectors.programmes(user=self.request.user).prefetch_related("steps")

    def perform_create(self, serializer) -> None:
        serializer.instance = services.programme_create(
            actor=self.request.user, data=dict(serializer.validated_data)
        )

    def perform_update(self, serializer) -> None:
        serializer.instance = services.programme_update(
            actor=self.request.user,
            programme=serializer.instance,
            data=dict(serializer.validated_data),
        )

    def perform_destroy(self, instance) -> None:
        services.programme_delete(actor=self.request.user, programme=instance)

    @extend_schema(responses=EngagementSerializer)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def engagement(self, request, pk=None):
        """People × steps with their touches (entered, or met in an activity on the step's
        date), meetings outside the steps, and the score per person and per account."""
        programme = self.get_object()
        result = selectors.engagement(user=request.user, programme=programme)
        people = [
            {
                "stakeholder_id": p.stakeholder_id,
                "name": p.name,
                "account_id": p.account_id,
                "touches": {str(s.pk): p.cell(s.pk) for s in result.steps if p.cell(s.pk)},
                "meetings_outside_steps": p.meetings_outside_steps,
                "score": p.score,
            }
            for p in result.people
        ]
        data = {
            "start": result.period[0],
            "end": result.period[1],
            "steps": result.steps,
            "people": people,
            "accounts": result.accounts,
        }
        return Response(EngagementSerializer(data).data)


class ProgrammeStepViewSet(viewsets.ModelViewSet):
    serializer_class = ProgrammeStepSerializer
    permission_classes = [ScopedModelPermissions]
    queryset = ProgrammeStep.objects.none()
    filterset_fields = ["programme", "kind"]
    ordering_fields = ["on", "created_at"]

    def get_queryset(self):
        return selectors.programme_steps(user=self.request.user).order_by("on", "pk")

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        programme = data.pop("programme")
        serializer.instance = services.step_create(
            actor=self.request.user, programme=programme, data=data
        )

    def perform_update(self, serializer) -> None:
        serializer.instance = services.step_update(
            actor=self.request.user, step=serializer.instance, data=dict(serializer.validated_data)
        )

    def perform_destroy(self, instance) -> None:
        services.step_delete(actor=self.request.user, step=instance)


class TouchViewSet(viewsets.ModelViewSet):
    """Touches entered by hand: a stakeholder attended, opened, met … at a programme step."""

    serializer_class = TouchSerializer
    permission_classes = [ScopedModelPermissions]
    queryset = Touch.objects.none()
    filterset_fields = ["step", "stakeholder", "kind"]
    ordering_fields = ["on", "created_at"]

    def get_queryset(self):
        return selectors.touches(user=self.request.user).order_by("-on", "-pk")

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        step, stakeholder = data.pop("step"), data.pop("stakeholder")
        if not services.may_touch(self.request.user, stakeholder):
            raise PermissionDenied(_("You may not record touches of this person."))
        serializer.instance = services.touch_create(
            actor=self.request.user, step=step, stakeholder=stakeholder, data=data
        )

    def perform_update(self, serializer) -> None:
        serializer.instance = services.touch_update(
            actor=self.request.user, touch=serializer.instance, data=dict(serializer.validated_data)
        )

    def perform_destroy(self, instance) -> None:
        services.touch_delete(actor=self.request.user, touch=instance)

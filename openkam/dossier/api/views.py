from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from openkam.accounts.models import Account
from openkam.core.api.permissions import ScopedModelPermissions

from .. import selectors, services
from ..filters import KeyFigureFilterSet
from ..models import AccountProfile, KeyFigure
from .serializers import AccountProfileSerializer, KeyFigureSerializer, PortraitSerializer


class KeyFigureViewSet(viewsets.ModelViewSet):
    """The customers' key figures by year (their turnover, their employees, with the source)
    on the accounts you may see; the account team and directors record them."""

    serializer_class = KeyFigureSerializer
    filterset_class = KeyFigureFilterSet
    permission_classes = [ScopedModelPermissions]
    queryset = KeyFigure.objects.none()  # the model, for the permissions

    def get_queryset(self):
        return selectors.key_figure_list(user=self.request.user).order_by("account", "-year")

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        account = data.pop("account")
        serializer.instance = services.key_figure_create(
            actor=self.request.user, account=account, data=data
        )

    def perform_update(self, serializer) -> None:
        serializer.instance = services.key_figure_update(
            actor=self.request.user,
            figure=serializer.instance,
            data=dict(serializer.validated_data),
        )

    def perform_destroy(self, instance) -> None:
        services.key_figure_delete(actor=self.request.user, figure=instance)


def _account(request, pk: int) -> Account:
    account = Account.objects.visible_to(request.user, "view").filter(pk=pk).first()
    if account is None:
        raise Http404
    return account


class AccountDossierView(APIView):
    """The general part of the account's dossier: organisation structure and stores/sites.
    The account team and directors change it; everyone who sees the account reads it."""

    permission_classes = [IsAuthenticated]

    def _data(self, account: Account) -> dict:
        profile = selectors.profile(account=account) or AccountProfile(account=account)
        return AccountProfileSerializer(profile).data

    @extend_schema(responses=AccountProfileSerializer)
    def get(self, request, pk: int):
        return Response(self._data(_account(request, pk)))

    @extend_schema(request=AccountProfileSerializer, responses=AccountProfileSerializer)
    def put(self, request, pk: int):
        return self._write(request, pk, partial=False)

    @extend_schema(request=AccountProfileSerializer, responses=AccountProfileSerializer)
    def patch(self, request, pk: int):
        return self._write(request, pk, partial=True)

    def _write(self, request, pk: int, *, partial: bool):
        account = _account(request, pk)
        if not services.may_edit_profile(request.user, account):
            raise PermissionDenied
        given = AccountProfileSerializer(data=request.data, partial=partial)
        given.is_valid(raise_exception=True)
        services.account_profile_update(
            actor=request.user, account=account, data=dict(given.validated_data)
        )
        return Response(self._data(account))


class PortraitView(APIView):
    """The account's portrait: origin, culture and strategy in four areas (corporate,
    category, operations, CSR), each with its text, source and review date, flagged stale
    when not reviewed for KAM_PORTRAIT_STALE_MONTHS months, or missing. PUT or PATCH the
    sections to change (the others stay as they are): the account team, directors, and
    marketing on every account."""

    permission_classes = [IsAuthenticated]

    def _data(self, account: Account) -> dict:
        portrait = selectors.portrait(account=account)
        sections = []
        for state in portrait.sections:
            section = state.section
            sections.append(
                {
                    "area": state.area,
                    "text": section.text if section else "",
                    "source": section.source if section else "",
                    "reviewed_on": section.reviewed_on if section else None,
                    "stale": state.reviewed and state.stale,
                    "missing": state.reviewed and state.missing,
                    "updated_at": section.updated_at if section else None,
                }
            )
        data = {
            "account": account.pk,
            "country_of_origin": account.country.code if account.country else "",
            "stale_months": selectors.stale_months(),
            "stale_before": portrait.cutoff,
            "flagged": portrait.flagged,
            "sections": sections,
        }
        return PortraitSerializer(data).data

    @extend_schema(responses=PortraitSerializer)
    def get(self, request, pk: int):
        return Response(self._data(_account(request, pk)))

    @extend_schema(request=PortraitSerializer, responses=PortraitSerializer)
    def put(self, request, pk: int):
        return self._write(request, pk)

    @extend_schema(request=PortraitSerializer, responses=PortraitSerializer)
    def patch(self, request, pk: int):
        return self._write(request, pk)

    def _write(self, request, pk: int):
        account = _account(request, pk)
        if not services.may_edit_portrait(request.user, account):
            raise PermissionDenied
        given = PortraitSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            with transaction.atomic():
                for item in given.validated_data["sections"]:
                    data = {k: item[k] for k in ("text", "source", "reviewed_on") if k in item}
                    services.portrait_section_save(
                        actor=request.user, account=account, area=item["area"], data=data
                    )
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from error
        return Response(self._data(account))

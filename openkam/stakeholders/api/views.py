from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from openkam.accounts.models import Account
from openkam.core.api.permissions import ScopedModelPermissions

from .. import coverage, selectors, services
from ..filters import StakeholderFilterSet
from ..models import Department, DepartmentKind
from .serializers import (
    AccountCoverageSerializer,
    CoverageGapSerializer,
    DepartmentKindSerializer,
    DepartmentSerializer,
    DepartureSerializer,
    OrgChartSerializer,
    StakeholderLeaveSerializer,
    StakeholderMoveSerializer,
    StakeholderSerializer,
)


class StakeholderViewSet(viewsets.ModelViewSet):
    """People at the customers, with their positions over time. Visible through their account."""

    serializer_class = StakeholderSerializer
    filterset_class = StakeholderFilterSet
    permission_classes = [ScopedModelPermissions]
    extra_permissions = {"change": ["stakeholders.change_stakeholder_marketing"]}
    permission_action = {"move": "change", "leave": "change"}

    def get_queryset(self):
        return selectors.stakeholder_list(user=self.request.user).prefetch_related(
            "positions", "assessments__author"
        )

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

    @extend_schema(request=StakeholderLeaveSerializer, responses=StakeholderSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def leave(self, request, pk=None):
        """Record that the person left the account for a place we do not know."""
        stakeholder = self.get_object()
        leave = StakeholderLeaveSerializer(data=request.data)
        leave.is_valid(raise_exception=True)
        services.stakeholder_leave(
            actor=request.user, stakeholder=stakeholder, **leave.validated_data
        )
        left = self.get_queryset().get(pk=stakeholder.pk)
        return Response(StakeholderSerializer(left, context={"request": request}).data)


def _visible_account(request, pk: int) -> Account:
    return get_object_or_404(Account.objects.visible_to(request.user, "view"), pk=pk)


class OrgChartView(APIView):
    """The account's org chart: its current people as a tree drawn from reports-to, people
    without a manager at the top. Change the tree with `PATCH /api/stakeholders/{id}/`
    (`reports_to`). 404 for an account you may not see."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=OrgChartSerializer)
    def get(self, request, pk: int):
        chart = selectors.org_chart(user=request.user, account=_visible_account(request, pk))
        data = {"account": chart.account, "people": len(chart.people), "roots": chart.roots}
        return Response(OrgChartSerializer(data).data)


def coverage_data(cover: coverage.Coverage) -> dict:
    return {
        "account": cover.account,
        "days": cover.days,
        "users": [
            {"id": u.pk, "username": u.get_username(), "on_team": u.pk in cover.team_ids}
            for u in cover.users
        ],
        "rows": [
            {
                "department": row.department,
                "department_name": str(row.department),
                "people": row.people,
                "last_contact": row.last_contact,
                "stale": row.stale,
                "cells": [
                    {"user": u.pk, "last_contact": cell}
                    for u, cell in zip(cover.users, row.cells, strict=True)
                ],
            }
            for row in cover.rows
        ],
        "gaps": [gap_data(g) for g in cover.gaps],
    }


def gap_data(gap: coverage.Gap) -> dict:
    return {
        "kind": gap.kind.value,
        "label": gap.label,
        "account": gap.account,
        "department": gap.department,
        "stakeholder": gap.stakeholder,
        "message": gap.message,
        "last_contact": gap.last_contact,
    }


class CoverageView(APIView):
    """The coverage matrix: the account's departments × our people, each cell the last
    contact; and the gaps (a department with nobody known or out of touch for
    `KAM_COVERAGE_DAYS`, single-threaded, weak or unmet decision makers and champions)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=AccountCoverageSerializer)
    def get(self, request, pk: int):
        cover = coverage.account_coverage(account=_visible_account(request, pk))
        return Response(AccountCoverageSerializer(coverage_data(cover)).data)


def departure_data(row: selectors.Departure, direction: str) -> dict:
    other = row.now_at if direction == "left" else row.account
    return {
        "person": row.person,
        "direction": direction,
        "on": row.on,
        "position": row.position,
        "key_person": row.key_person,
        "other_account": other.pk if other else None,
        "other_account_name": other.name if other else None,
    }


class DeparturesView(APIView):
    """Who left the account (moved or left; a decision maker or champion is a risk) and who
    joined it from another account we know, the latest first."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=DepartureSerializer(many=True))
    def get(self, request, pk: int):
        account = _visible_account(request, pk)
        rows = [
            departure_data(r, "left")
            for r in selectors.account_departures(user=request.user, account=account)
        ] + [
            departure_data(r, "joined")
            for r in selectors.account_arrivals(user=request.user, account=account)
        ]
        rows.sort(key=lambda r: r["on"], reverse=True)
        return Response(DepartureSerializer(rows, many=True).data)


class CoverageGapsView(generics.ListAPIView):
    """The coverage gaps of every account you see (a KAM: their own), by account; `kind`
    keeps one kind of gap."""

    permission_classes = [IsAuthenticated]
    serializer_class = CoverageGapSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", enum=[k.value for k in coverage.GapKind], required=False)
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        kind = self.request.query_params.get("kind", "")
        if kind and kind not in coverage.GapKind.__members__.values():
            raise ValidationError({"kind": _("Not a kind of coverage gap.")})
        return coverage.stored_gaps(coverage.gap_accounts(user=self.request.user), kind=kind)


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

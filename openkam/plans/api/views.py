from __future__ import annotations

from rest_framework import viewsets

from openkam.core.api.permissions import ScopedModelPermissions

from .. import selectors, services
from ..filters import (
    AccountPlanFilterSet,
    PlanActionFilterSet,
    PlanObjectiveFilterSet,
    PlanReviewFilterSet,
    PlanRiskFilterSet,
    ValuePropositionFilterSet,
)
from ..models import PlanAction, PlanObjective, PlanReview, PlanRisk, ValueProposition
from .serializers import (
    AccountPlanSerializer,
    PlanActionSerializer,
    PlanObjectiveSerializer,
    PlanReviewSerializer,
    PlanRiskSerializer,
    ValuePropositionSerializer,
)


class AccountPlanViewSet(viewsets.ModelViewSet):
    """The account plans of the accounts you may see, one per key account and year, with their
    goals (and the actual figures beside them), value propositions, objectives and actions,
    risks, reviews and completeness. Write the parts through their own endpoints."""

    serializer_class = AccountPlanSerializer
    filterset_class = AccountPlanFilterSet
    permission_classes = [ScopedModelPermissions]

    def get_queryset(self):
        return selectors._parts(selectors.plan_list(user=self.request.user))

    def _fresh(self, pk: int):
        return self.get_queryset().get(pk=pk)

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        plan = services.account_plan_create(
            actor=self.request.user, account=data.pop("account"), year=data.pop("year"), data=data
        )
        serializer.instance = self._fresh(plan.pk)

    def perform_update(self, serializer) -> None:
        plan = services.account_plan_update(
            actor=self.request.user, plan=serializer.instance, data=serializer.validated_data
        )
        serializer.instance = self._fresh(plan.pk)

    def perform_destroy(self, instance) -> None:
        services.account_plan_delete(actor=self.request.user, plan=instance)


class _PartViewSet(viewsets.ModelViewSet):
    permission_classes = [ScopedModelPermissions]
    parent_field = "plan"
    related: tuple[str, ...] = ("plan__account",)

    def get_queryset(self):
        model = self.serializer_class.Meta.model
        return model.objects.visible_to(self.request.user, "view").select_related(*self.related)

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        parent = data.pop(self.parent_field)
        serializer.instance = self.create_service(
            actor=self.request.user, **{self.parent_field: parent}, data=data
        )

    def perform_update(self, serializer) -> None:
        serializer.instance = self.update_service(
            actor=self.request.user,
            **{self.item: serializer.instance},
            data=serializer.validated_data,
        )

    def perform_destroy(self, instance) -> None:
        self.delete_service(actor=self.request.user, **{self.item: instance})


class ValuePropositionViewSet(_PartViewSet):
    """Value propositions of the plans you may see: how the plan brings value to the customer."""

    serializer_class = ValuePropositionSerializer
    filterset_class = ValuePropositionFilterSet
    queryset = ValueProposition.objects.none()
    item = "proposition"
    create_service = staticmethod(services.value_proposition_create)
    update_service = staticmethod(services.value_proposition_update)
    delete_service = staticmethod(services.value_proposition_delete)


class PlanObjectiveViewSet(_PartViewSet):
    """Objectives of the plans you may see, each with its actions (write those apart)."""

    serializer_class = PlanObjectiveSerializer
    filterset_class = PlanObjectiveFilterSet
    queryset = PlanObjective.objects.none()
    item = "objective"
    create_service = staticmethod(services.plan_objective_create)
    update_service = staticmethod(services.plan_objective_update)
    delete_service = staticmethod(services.plan_objective_delete)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("actions__owner")


class PlanActionViewSet(_PartViewSet):
    """Actions of the plans' objectives: an owner on the account team, a due date, a status
    (a done action has its done date); `overdue=true` lists the open ones past their date."""

    serializer_class = PlanActionSerializer
    filterset_class = PlanActionFilterSet
    queryset = PlanAction.objects.none()
    parent_field = "objective"
    related = ("objective__plan__account", "owner")
    item = "action"
    create_service = staticmethod(services.plan_action_create)
    update_service = staticmethod(services.plan_action_update)
    delete_service = staticmethod(services.plan_action_delete)


class PlanRiskViewSet(_PartViewSet):
    """Risks of the plans you may see, with likelihood and impact from 1 to 5."""

    serializer_class = PlanRiskSerializer
    filterset_class = PlanRiskFilterSet
    queryset = PlanRisk.objects.none()
    item = "risk"
    create_service = staticmethod(services.plan_risk_create)
    update_service = staticmethod(services.plan_risk_update)
    delete_service = staticmethod(services.plan_risk_delete)


class PlanReviewViewSet(_PartViewSet):
    """Business reviews (QBRs) of the plans you may see, with who was there on both sides."""

    serializer_class = PlanReviewSerializer
    filterset_class = PlanReviewFilterSet
    queryset = PlanReview.objects.none()
    item = "review"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("our_attendees", "their_attendees")

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.plan_review_create(
            actor=self.request.user,
            plan=data.pop("plan"),
            our_attendees=data.pop("our_attendees", []),
            their_attendees=data.pop("their_attendees", []),
            data=data,
        )

    def perform_update(self, serializer) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.plan_review_update(
            actor=self.request.user,
            review=serializer.instance,
            our_attendees=data.pop("our_attendees", None),
            their_attendees=data.pop("their_attendees", None),
            data=data,
        )

    def perform_destroy(self, instance) -> None:
        services.plan_review_delete(actor=self.request.user, review=instance)

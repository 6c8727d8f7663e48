from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from openkam.accounts.models import Account
from openkam.core.api.permissions import ScopedModelPermissions
from openkam.metrics import selectors as metrics_selectors

from .. import selectors, services
from ..filters import (
    HandoverFilterSet,
    NominationFilterSet,
    ProspectAssessmentFilterSet,
    QualificationRatingFilterSet,
    TypeAssignmentFilterSet,
)
from ..models import (
    Handover,
    KeyAccountTypeAssignment,
    NominationKind,
    ProspectAssessment,
    QualificationRating,
)
from .serializers import (
    HandoverCreateSerializer,
    HandoverSerializer,
    KeyAccountTypeSerializer,
    NominationCreateSerializer,
    NominationDecisionSerializer,
    ProspectAssessmentSerializer,
    QualificationRatingSerializer,
    QualificationWeightsSerializer,
    ScorecardSerializer,
    WorkloadRowSerializer,
)


class _HistoryViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """A history of an account's records, newest first: list, read one, add one. Rows are
    never changed or deleted."""

    permission_classes = [ScopedModelPermissions]

    def _created(self, instance, serializer_class=None):
        serializer_class = serializer_class or self.get_serializer_class()
        data = serializer_class(instance, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)


class NominationViewSet(_HistoryViewSet):
    """Decisions to make accounts key accounts (nominate) or to stop (denominate): who, when,
    why. Creating one is the decision itself: the account's status, owner and team change with
    it. Directors and administrators decide; everyone reads the decisions on accounts they
    see."""

    serializer_class = NominationDecisionSerializer
    filterset_class = NominationFilterSet

    def get_queryset(self):
        return selectors.nomination_list(user=self.request.user)

    def get_serializer_class(self):
        return (
            NominationCreateSerializer
            if self.action == "create"
            else super().get_serializer_class()
        )

    @extend_schema(
        request=NominationCreateSerializer, responses={201: NominationDecisionSerializer}
    )
    def create(self, request, *args, **kwargs):
        given = NominationCreateSerializer(data=request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        account = data.pop("account")
        if data.pop("kind") == NominationKind.NOMINATE:
            decision = services.account_nominate(actor=request.user, account=account, **data)
        else:
            decision = services.account_denominate(
                actor=request.user,
                account=account,
                reason=data["reason"],
                decided_on=data.get("decided_on"),
            )
        return self._created(decision, NominationDecisionSerializer)


class KeyAccountTypeViewSet(_HistoryViewSet):
    """Which type of key customer each account is — supporter, prospective, image-maker,
    expert — set by its team with the reason; the newest row per account is the current one."""

    serializer_class = KeyAccountTypeSerializer
    filterset_class = TypeAssignmentFilterSet

    def get_queryset(self):
        return KeyAccountTypeAssignment.objects.visible_to(
            self.request.user, "view"
        ).select_related("set_by")

    def perform_create(self, serializer) -> None:
        serializer.instance = services.account_type_set(
            actor=self.request.user, **serializer.validated_data
        )


class ProspectAssessmentViewSet(_HistoryViewSet):
    """The three P's of prospects — need, solvency, decision authority — each answered yes, no
    or unknown with its evidence; the newest row per account and criterion is the current
    answer."""

    serializer_class = ProspectAssessmentSerializer
    filterset_class = ProspectAssessmentFilterSet

    def get_queryset(self):
        return ProspectAssessment.objects.visible_to(self.request.user, "view").select_related(
            "assessed_by"
        )

    def perform_create(self, serializer) -> None:
        data = serializer.validated_data
        (serializer.instance,) = services.account_three_ps_record(
            actor=self.request.user,
            account=data["account"],
            answers={data["criterion"]: (data["answer"], data.get("evidence", ""))},
        )


class QualificationRatingViewSet(_HistoryViewSet):
    """The team's 1–5 ratings of product/service fit, relationship and similarity of culture,
    with a comment; the newest row per account and criterion is the current rating."""

    serializer_class = QualificationRatingSerializer
    filterset_class = QualificationRatingFilterSet

    def get_queryset(self):
        return QualificationRating.objects.visible_to(self.request.user, "view").select_related(
            "rated_by"
        )

    def perform_create(self, serializer) -> None:
        data = serializer.validated_data
        (serializer.instance,) = services.account_rate(
            actor=self.request.user,
            account=data["account"],
            ratings={data["criterion"]: (data["score"], data["comment"])},
        )


class QualificationWeightsViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """How much each of the six scorecard criteria counts. Every change is a new row (newest
    first); directors and administrators set them."""

    serializer_class = QualificationWeightsSerializer
    permission_classes = [ScopedModelPermissions]
    filter_backends = []

    def get_queryset(self):
        return selectors.weights_history()

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        note = data.pop("note", "")
        serializer.instance = services.qualification_weights_set(
            actor=self.request.user, weights=data, note=note
        )

    @extend_schema(responses=QualificationWeightsSerializer)
    @action(detail=False, methods=["get"], pagination_class=None)
    def current(self, request):
        """The weights in force (every criterion 1 until a director sets them; `id` null)."""
        return Response(QualificationWeightsSerializer(selectors.current_weights()).data)


class HandoverViewSet(_HistoryViewSet):
    """Key accounts handed from one manager to another, with the handover note. Creating one
    reassigns the account (directors and administrators); the previous owner stays on the team
    as support."""

    serializer_class = HandoverSerializer
    filterset_class = HandoverFilterSet

    def get_queryset(self):
        return Handover.objects.visible_to(self.request.user, "view").select_related(
            "account", "from_owner", "to_owner", "handed_over_by"
        )

    def get_serializer_class(self):
        return (
            HandoverCreateSerializer if self.action == "create" else super().get_serializer_class()
        )

    @extend_schema(request=HandoverCreateSerializer, responses={201: HandoverSerializer})
    def create(self, request, *args, **kwargs):
        given = HandoverCreateSerializer(data=request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        handover = services.account_reassign(actor=request.user, **given.validated_data)
        return self._created(handover, HandoverSerializer)


class CanViewWorkload(BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and (user.is_superuser or user.has_perm("keyaccounts.view_workload"))
        )


class WorkloadView(APIView):
    """Every key account manager with the key accounts they own, their maximum and headroom.
    For directors, administrators and the read-only roles that see every account."""

    permission_classes = [CanViewWorkload]

    @extend_schema(responses=WorkloadRowSerializer(many=True))
    def get(self, request):
        rows = selectors.workload(user=request.user)
        return Response(WorkloadRowSerializer(rows, many=True).data)


class ScorecardView(APIView):
    """The account's qualification scorecard: the six criteria — fit, relationship and culture
    rated by the team, repurchase frequency, volume and price discipline from the latest
    metrics snapshot — each with its value (1–5), what it rests on, the directors' weight and
    its contribution to the score; and the key-account type the data suggest. 404 for an
    account you may not see."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ScorecardSerializer)
    def get(self, request, pk: int):
        account = get_object_or_404(Account.objects.visible_to(request.user, "view"), pk=pk)
        snapshot = metrics_selectors.snapshot_for()
        card = selectors.scorecard(account=account, snapshot=snapshot)
        suggestion = selectors.suggested_type(account=account, snapshot=snapshot)
        data = {
            "account": account.pk,
            "as_of": card.as_of,
            "score": round(card.score, 4),
            "qualifying_score": card.qualifying_score,
            "qualifies": card.qualifies,
            "known": card.known,
            "criteria": [
                {**vars(c), "contribution": round(c.contribution, 4)} for c in card.criteria
            ],
            "suggested_type": (
                {"type": suggestion.type.value, "because": suggestion.because}
                if suggestion
                else None
            ),
        }
        return Response(ScorecardSerializer(data).data)

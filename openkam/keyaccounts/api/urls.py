"""The key-account endpoints, included under /api/ (and its `api` namespace)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .views import (
    HandoverViewSet,
    KeyAccountTypeViewSet,
    NominationViewSet,
    ProspectAssessmentViewSet,
    QualificationRatingViewSet,
    QualificationWeightsViewSet,
    ScorecardView,
    WorkloadView,
)

router = SimpleRouter()
router.register("nominations", NominationViewSet, basename="nomination")
router.register("key-account-types", KeyAccountTypeViewSet, basename="keyaccounttype")
router.register("three-ps", ProspectAssessmentViewSet, basename="threeps")
router.register("qualification-ratings", QualificationRatingViewSet, basename="rating")
router.register("qualification-weights", QualificationWeightsViewSet, basename="weights")
router.register("handovers", HandoverViewSet, basename="handover")

urlpatterns = [
    path("", include(router.urls)),
    path("workload/", WorkloadView.as_view(), name="workload"),
    path("accounts/<int:pk>/scorecard/", ScorecardView.as_view(), name="account-scorecard"),
]

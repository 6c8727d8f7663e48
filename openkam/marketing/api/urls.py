"""Account-based marketing under /api/ (and its `api` namespace)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from .views import (
    ProgrammeStepViewSet,
    ProgrammeViewSet,
    StakeholderVCardView,
    TargetListViewSet,
    TouchViewSet,
)

router = DefaultRouter()
router.include_root_view = False
router.register("target-lists", TargetListViewSet, basename="targetlist")
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("programme-steps", ProgrammeStepViewSet, basename="programmestep")
router.register("touches", TouchViewSet, basename="touch")

urlpatterns = [
    path("", include(router.urls)),
    path("stakeholders/<int:pk>/vcard/", StakeholderVCardView.as_view(), name="stakeholder-vcard"),
]

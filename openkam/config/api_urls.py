"""Everything under /api/."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from openkam.accounts.api.views import AccountViewSet, SegmentViewSet
from openkam.activities.api.views import ActivityKindViewSet, ActivityViewSet
from openkam.alerts.api.views import AlertViewSet
from openkam.briefs.api.views import BriefViewSet
from openkam.commitments.api.views import CommitmentViewSet, CustomerRequestViewSet
from openkam.competitors.api.views import AccountCompetitorViewSet, CompetitorViewSet
from openkam.losses.api.views import AccountLossViewSet
from openkam.sales.api.views import ImportBatchViewSet
from openkam.satisfaction.api.views import SurveyResponseViewSet
from openkam.stakeholders.api.views import (
    DepartmentKindViewSet,
    DepartmentViewSet,
    StakeholderViewSet,
)
from openkam.tenders.api.views import TenderViewSet
from openkam.users.api.views import MeView, TokenView

router = DefaultRouter()
router.include_root_view = False
router.register("accounts", AccountViewSet, basename="account")
router.register("segments", SegmentViewSet, basename="segment")
router.register("stakeholders", StakeholderViewSet, basename="stakeholder")
router.register("departments", DepartmentViewSet, basename="department")
router.register("department-kinds", DepartmentKindViewSet, basename="departmentkind")
router.register("imports", ImportBatchViewSet, basename="importbatch")
router.register("activities", ActivityViewSet, basename="activity")
router.register("activity-kinds", ActivityKindViewSet, basename="activitykind")
router.register("briefs", BriefViewSet, basename="brief")
router.register("competitors", CompetitorViewSet, basename="competitor")
router.register("account-competitors", AccountCompetitorViewSet, basename="accountcompetitor")
router.register("tenders", TenderViewSet, basename="tender")
router.register("commitments", CommitmentViewSet, basename="commitment")
router.register("requests", CustomerRequestViewSet, basename="request")
router.register("alerts", AlertViewSet, basename="alert")
router.register("surveys", SurveyResponseViewSet, basename="survey")
router.register("account-losses", AccountLossViewSet, basename="accountloss")

app_name = "api"

urlpatterns = [
    path("", include(router.urls)),
    path("", include("openkam.metrics.api.urls")),
    path("", include("openkam.keyaccounts.api.urls")),
    path("", include("openkam.portfolio.api.urls")),
    path("", include("openkam.dossier.api.urls")),
    path("", include("openkam.plans.api.urls")),
    path("", include("openkam.stakeholders.api.urls")),
    path("", include("openkam.timeline.api.urls")),
    path("", include("openkam.timesplit.api.urls")),
    path("", include("openkam.health.api.urls")),
    path("", include("openkam.digest.api.urls")),
    path("", include("openkam.marketing.api.urls")),
    path("", include("openkam.growth.api.urls")),
    path("", include("openkam.losses.api.urls")),
    path("", include("openkam.winback.api.urls")),
    path("", include("openkam.sellout.api.urls")),
    path("", include("openkam.whatif.api.urls")),
    path("users/me/", MeView.as_view(), name="me"),
    path("auth/token/", TokenView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.include_root_view = False
router.register("account-plans", views.AccountPlanViewSet, basename="accountplan")
router.register("value-propositions", views.ValuePropositionViewSet, basename="valueproposition")
router.register("plan-objectives", views.PlanObjectiveViewSet, basename="planobjective")
router.register("plan-actions", views.PlanActionViewSet, basename="planaction")
router.register("plan-risks", views.PlanRiskViewSet, basename="planrisk")
router.register("plan-reviews", views.PlanReviewViewSet, basename="planreview")

urlpatterns = [path("", include(router.urls))]

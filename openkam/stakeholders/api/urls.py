"""The people endpoints on an account, included under /api/ (and its `api` namespace)."""

from django.urls import path

from .views import CoverageGapsView, CoverageView, DeparturesView, OrgChartView

urlpatterns = [
    path("accounts/<int:pk>/org-chart/", OrgChartView.as_view(), name="account-org-chart"),
    path("accounts/<int:pk>/coverage/", CoverageView.as_view(), name="account-coverage"),
    path("accounts/<int:pk>/departures/", DeparturesView.as_view(), name="account-departures"),
    path("coverage-gaps/", CoverageGapsView.as_view(), name="coverage-gaps"),
]

"""The sell-out endpoints, included under /api/ (and its `api` namespace)."""

from django.urls import path

from .views import AccountDecompositionView, SelloutImportListView

urlpatterns = [
    path("sellout/imports/", SelloutImportListView.as_view(), name="sellout-imports"),
    path(
        "sellout/accounts/<int:pk>/decomposition/",
        AccountDecompositionView.as_view(),
        name="sellout-decomposition",
    ),
]

"""The loss dynamics endpoints, included under /api/ (and its `api` namespace)."""

from django.urls import path

from .views import LossAccountsView, LossDynamicsView

urlpatterns = [
    path("losses/", LossDynamicsView.as_view(), name="losses"),
    path("losses/accounts/", LossAccountsView.as_view(), name="losses-accounts"),
]

from importlib import import_module
from importlib.util import find_spec

from django.urls import path

from .views import AccountHealthView, HealthScoreListView

urlpatterns = [
    path("health/", HealthScoreListView.as_view(), name="health-list"),
    path("accounts/<int:pk>/health/", AccountHealthView.as_view(), name="account-health"),
]

# `/api/health/backtest/` and the weights: the backtest part's `api/backtest_urls.py`.
if find_spec("openkam.health.api.backtest_urls") is not None:
    urlpatterns += import_module("openkam.health.api.backtest_urls").urlpatterns

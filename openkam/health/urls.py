from importlib import import_module
from importlib.util import find_spec

from django.urls import path

from . import views

app_name = "health"

urlpatterns = [
    path("", views.HealthListView.as_view(), name="list"),
    path("account/<int:pk>/", views.AccountHealthView.as_view(), name="account"),
]

# The backtest and the directors' weights page live in `backtest_urls.py` (their own part),
# in this namespace: `health:<name>`.
if find_spec("openkam.health.backtest_urls") is not None:
    urlpatterns += import_module("openkam.health.backtest_urls").urlpatterns

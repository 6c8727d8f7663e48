"""Appended to `openkam/health/urls.py` (namespace `health`): the directors' weights page and
its backtest panel."""

from django.urls import path

from . import weights_views

urlpatterns = [
    path("weights/", weights_views.WeightsView.as_view(), name="weights"),
    path("weights/backtest/", weights_views.BacktestPanelView.as_view(), name="backtest"),
]

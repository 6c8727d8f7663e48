"""Appended to `openkam/health/api/urls.py` (mounted at /api/, namespace `api`)."""

from django.urls import path

from .backtest_views import HealthBacktestView

urlpatterns = [
    path("health/backtest/", HealthBacktestView.as_view(), name="health-backtest"),
]

"""The portfolio endpoint, included under /api/ (and its `api` namespace)."""

from django.urls import path

from .views import PortfolioView

urlpatterns = [
    path("portfolio/", PortfolioView.as_view(), name="portfolio"),
]

from django.urls import path

from .views import AccountMetricsView, PortfolioView

urlpatterns = [
    path("metrics/accounts/", AccountMetricsView.as_view(), name="metrics-accounts"),
    path("metrics/portfolio/", PortfolioView.as_view(), name="metrics-portfolio"),
]

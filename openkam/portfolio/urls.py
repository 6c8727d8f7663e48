from django.urls import path

from . import views

app_name = "portfolio"

urlpatterns = [
    path("", views.CockpitView.as_view(), name="cockpit"),
    path("accounts/", views.CockpitAccountsView.as_view(), name="accounts"),
]

from django.urls import path

from . import views

app_name = "losses"

urlpatterns = [
    path("", views.LossDynamicsView.as_view(), name="dynamics"),
    path("accounts/", views.LossAccountsView.as_view(), name="accounts"),
    path("account/<int:pk>/", views.AccountLossesView.as_view(), name="account"),
    path("new/for-account/<int:account_pk>/", views.AccountLossCreateView.as_view(), name="create"),
    path("<int:pk>/edit/", views.AccountLossUpdateView.as_view(), name="update"),
    path("<int:pk>/delete/", views.AccountLossDeleteView.as_view(), name="delete"),
]

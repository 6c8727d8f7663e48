from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.AccountListView.as_view(), name="list"),
    path("new/", views.AccountCreateView.as_view(), name="create"),
    path("lookup/", views.AccountLookupView.as_view(), name="lookup"),
    path("<int:pk>/", views.AccountDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.AccountUpdateView.as_view(), name="update"),
    path("<int:pk>/delete/", views.AccountDeleteView.as_view(), name="delete"),
    path("<int:pk>/history/", views.AccountHistoryView.as_view(), name="history"),
    path("<int:pk>/team/add/", views.TeamMemberAddView.as_view(), name="team_add"),
    path(
        "<int:pk>/team/<int:member_pk>/remove/",
        views.TeamMemberRemoveView.as_view(),
        name="team_remove",
    ),
]

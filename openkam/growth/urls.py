from django.urls import path

from . import views

app_name = "growth"

urlpatterns = [
    path("", views.OpportunityListView.as_view(), name="list"),
    path("account/<int:pk>/", views.AccountGrowthView.as_view(), name="account"),
    path("<int:pk>/accept/", views.AcceptView.as_view(), name="accept"),
    path("<int:pk>/dismiss/", views.DismissView.as_view(), name="dismiss"),
    path("<int:pk>/reopen/", views.ReopenView.as_view(), name="reopen"),
    path(
        "wallet/new/for-account/<int:account_pk>/",
        views.EstimateCreateView.as_view(),
        name="estimate_create",
    ),
    path(
        "wallet/by-rule/for-account/<int:account_pk>/",
        views.EstimateByRuleView.as_view(),
        name="estimate_rule",
    ),
    path("wallet/<int:pk>/edit/", views.EstimateUpdateView.as_view(), name="estimate_update"),
    path("wallet/<int:pk>/delete/", views.EstimateDeleteView.as_view(), name="estimate_delete"),
]

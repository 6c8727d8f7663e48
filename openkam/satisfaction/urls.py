from django.urls import path

from . import views

app_name = "satisfaction"

urlpatterns = [
    path("", views.SatisfactionListView.as_view(), name="list"),
    path("account/<int:pk>/", views.AccountSatisfactionView.as_view(), name="account"),
    path("new/for-account/<int:account_pk>/", views.SurveyCreateView.as_view(), name="create"),
    path("<int:pk>/edit/", views.SurveyUpdateView.as_view(), name="update"),
    path("<int:pk>/delete/", views.SurveyDeleteView.as_view(), name="delete"),
]

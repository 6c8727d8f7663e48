from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("", views.ActivityListView.as_view(), name="list"),
    path("new/for-account/<int:account_pk>/", views.ActivityCreateView.as_view(), name="create"),
    path("<int:pk>/edit/", views.ActivityUpdateView.as_view(), name="update"),
    path("<int:pk>/delete/", views.ActivityDeleteView.as_view(), name="delete"),
]

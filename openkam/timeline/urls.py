from django.urls import path

from . import views

app_name = "timeline"

urlpatterns = [
    path("<int:pk>/timeline/", views.AccountTimelineView.as_view(), name="account"),
]

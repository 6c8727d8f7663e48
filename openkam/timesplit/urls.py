from django.urls import path

from . import views

app_name = "timesplit"

urlpatterns = [
    path("", views.TimeSplitView.as_view(), name="page"),
    path("entries/new/", views.TimeEntryCreateView.as_view(), name="entry_create"),
    path("entries/<int:pk>/edit/", views.TimeEntryUpdateView.as_view(), name="entry_update"),
    path("entries/<int:pk>/delete/", views.TimeEntryDeleteView.as_view(), name="entry_delete"),
]

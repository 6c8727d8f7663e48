from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("", views.ActivityListView.as_view(), name="list"),
    path("new/for-account/<int:account_pk>/", views.ActivityCreateView.as_view(), name="create"),
    path("<int:pk>/edit/", views.ActivityUpdateView.as_view(), name="update"),
    path("<int:pk>/delete/", views.ActivityDeleteView.as_view(), name="delete"),
    path("calendar/token/", views.CalendarTokenView.as_view(), name="calendar_token"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]

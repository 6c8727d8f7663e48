from django.urls import path

from . import views

app_name = "competitors"

urlpatterns = [
    path("", views.CompetitorListView.as_view(), name="list"),
    path("new/", views.CompetitorCreateView.as_view(), name="create"),
    path("<int:pk>/", views.CompetitorDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.CompetitorUpdateView.as_view(), name="update"),
    path("<int:pk>/delete/", views.CompetitorDeleteView.as_view(), name="delete"),
    path(
        "at-account/<int:account_pk>/new/",
        views.PresenceCreateView.as_view(),
        name="presence_create",
    ),
    path("presence/<int:pk>/edit/", views.PresenceUpdateView.as_view(), name="presence_update"),
    path("presence/<int:pk>/delete/", views.PresenceDeleteView.as_view(), name="presence_delete"),
]

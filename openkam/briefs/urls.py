from django.urls import path

from . import views

app_name = "briefs"

urlpatterns = [
    path("", views.BriefListView.as_view(), name="list"),
    path("new/for-account/<int:account_pk>/", views.BriefCreateView.as_view(), name="create"),
    path("for-account/<int:account_pk>/", views.AccountBriefsPanelView.as_view(), name="panel"),
    path("<int:pk>/", views.BriefDetailView.as_view(), name="detail"),
    path("<int:pk>.pdf", views.BriefPdfView.as_view(), name="pdf"),
    path("<int:pk>/edit/", views.BriefUpdateView.as_view(), name="update"),
    path("<int:pk>/delete/", views.BriefDeleteView.as_view(), name="delete"),
]

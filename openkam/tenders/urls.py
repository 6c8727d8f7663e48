from django.urls import path

from . import views

app_name = "tenders"

urlpatterns = [
    path("", views.TenderListView.as_view(), name="list"),
    path("account/<int:pk>/", views.CompetitionView.as_view(), name="account"),
    path("new/for-account/<int:account_pk>/", views.TenderCreateView.as_view(), name="create"),
    path("<int:pk>/edit/", views.TenderUpdateView.as_view(), name="update"),
    path("<int:pk>/delete/", views.TenderDeleteView.as_view(), name="delete"),
]

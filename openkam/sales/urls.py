from django.urls import path

from . import views

app_name = "sales"

urlpatterns = [
    path("", views.ImportListView.as_view(), name="import_list"),
    path("new/", views.ImportCreateView.as_view(), name="import_create"),
    path("<int:pk>/", views.ImportDetailView.as_view(), name="import_detail"),
    path("<int:pk>/progress/", views.ImportProgressView.as_view(), name="import_progress"),
    path("<int:pk>/rejects/", views.ImportRejectsView.as_view(), name="import_rejects"),
    path("<int:pk>/delete/", views.ImportDeleteView.as_view(), name="import_delete"),
]

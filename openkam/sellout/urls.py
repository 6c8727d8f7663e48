from django.urls import path

from . import views

app_name = "sellout"

urlpatterns = [
    path("imports/", views.ImportListView.as_view(), name="imports"),
    path("imports/<int:pk>/rejects/", views.ImportRejectsView.as_view(), name="import_rejects"),
    path("account/<int:pk>/", views.AccountSelloutView.as_view(), name="account"),
]

from django.urls import path

from . import views

app_name = "digest"

urlpatterns = [
    path("", views.DigestView.as_view(), name="page"),
    path("subscription/", views.SubscriptionView.as_view(), name="subscription"),
]

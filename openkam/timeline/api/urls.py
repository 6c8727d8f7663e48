from django.urls import path

from .views import AccountTimelineView

urlpatterns = [
    path("accounts/<int:pk>/timeline/", AccountTimelineView.as_view(), name="account-timeline"),
]

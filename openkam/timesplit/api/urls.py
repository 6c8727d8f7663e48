from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.include_root_view = False
router.register("time-entries", views.TimeEntryViewSet, basename="timeentry")

urlpatterns = [
    path("", include(router.urls)),
    path("time-split/", views.TimeSplitView.as_view(), name="time-split"),
]

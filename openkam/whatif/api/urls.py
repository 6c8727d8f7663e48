"""The what-if endpoints, included under /api/ (and its `api` namespace)."""

from django.urls import path

from .views import RetentionWhatIfView

urlpatterns = [
    path("what-if/retention/", RetentionWhatIfView.as_view(), name="whatif-retention"),
]

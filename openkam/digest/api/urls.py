"""The digest endpoint, included under /api/ (and its `api` namespace)."""

from django.urls import path

from .views import DigestPreviewView

urlpatterns = [
    path("digest/preview/", DigestPreviewView.as_view(), name="digest-preview"),
]

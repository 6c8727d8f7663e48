"""The dossier endpoints, included under /api/ (and its `api` namespace)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .views import AccountDossierView, KeyFigureViewSet, PortraitView

router = SimpleRouter()
router.register("key-figures", KeyFigureViewSet, basename="keyfigure")

urlpatterns = [
    path("", include(router.urls)),
    path("accounts/<int:pk>/portrait/", PortraitView.as_view(), name="account-portrait"),
    path("accounts/<int:pk>/dossier/", AccountDossierView.as_view(), name="account-dossier"),
]

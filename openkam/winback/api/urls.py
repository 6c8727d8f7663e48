from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.include_root_view = False
router.register("campaigns", views.CampaignViewSet, basename="campaign")
router.register("campaign-accounts", views.CampaignAccountViewSet, basename="campaignaccount")

urlpatterns = [
    path("win-back/", views.WinBackListView.as_view(), name="win-back"),
    path("", include(router.urls)),
]

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from .views import GrowthOpportunityViewSet, ShareOfWalletView, WalletEstimateViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("opportunities", GrowthOpportunityViewSet, basename="opportunity")
router.register("share-of-wallet/estimates", WalletEstimateViewSet, basename="walletestimate")

urlpatterns = [
    path("share-of-wallet/", ShareOfWalletView.as_view(), name="share-of-wallet"),
    path("", include(router.urls)),
]

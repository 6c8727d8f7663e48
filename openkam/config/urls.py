from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="portfolio:cockpit"), name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("openkam.accounts.urls")),
    path("accounts/", include("openkam.timeline.urls")),
    path("stakeholders/", include("openkam.stakeholders.urls")),
    path("activities/", include("openkam.activities.urls")),
    path("briefs/", include("openkam.briefs.urls")),
    path("competitors/", include("openkam.competitors.urls")),
    path("tenders/", include("openkam.tenders.urls")),
    path("health/", include("openkam.health.urls")),
    path("alerts/", include("openkam.alerts.urls")),
    path("time/", include("openkam.timesplit.urls")),
    path("satisfaction/", include("openkam.satisfaction.urls")),
    path("sellout/", include("openkam.sellout.urls")),
    path("what-if/", include("openkam.whatif.urls")),
    path("opportunities/", include("openkam.growth.urls")),
    path("win-back/", include("openkam.winback.urls")),
    path("losses/", include("openkam.losses.urls")),
    path("marketing/", include("openkam.marketing.urls")),
    path("", include("openkam.commitments.urls")),  # commitments/…, requests/…
    path("imports/", include("openkam.sales.urls")),
    path("key-accounts/", include("openkam.keyaccounts.urls")),
    path("portfolio/", include("openkam.portfolio.urls")),
    path("account-plans/", include("openkam.plans.urls")),
    path("digest/", include("openkam.digest.urls")),
    path("", include("openkam.dossier.urls")),  # accounts/<id>/dossier/, dossier/…
    path("api/", include("openkam.config.api_urls")),
    path("me/", include("openkam.users.urls")),
    path("admin/", admin.site.urls),
]

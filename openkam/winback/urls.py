from django.urls import path

from . import views

app_name = "winback"

urlpatterns = [
    path("", views.WinBackListView.as_view(), name="list"),
    path("campaigns/", views.CampaignListView.as_view(), name="campaigns"),
    path("campaigns/new/", views.CampaignCreateView.as_view(), name="campaign_create"),
    path("campaigns/add/", views.CampaignAddAccountsView.as_view(), name="campaign_add"),
    path("campaigns/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign"),
    path("campaigns/<int:pk>/edit/", views.CampaignUpdateView.as_view(), name="campaign_update"),
    path("campaigns/<int:pk>/delete/", views.CampaignDeleteView.as_view(), name="campaign_delete"),
    path("campaigns/<int:pk>/measure/", views.CampaignMeasureView.as_view(), name="measure"),
    path("targets/<int:pk>/", views.TargetUpdateView.as_view(), name="target_update"),
    path("targets/<int:pk>/steps/new/", views.StepCreateView.as_view(), name="step_create"),
]

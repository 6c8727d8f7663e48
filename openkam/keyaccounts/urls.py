from django.urls import path

from . import views

app_name = "keyaccounts"

urlpatterns = [
    path("candidates/", views.CandidateListView.as_view(), name="candidates"),
    path("nominations/", views.NominationListView.as_view(), name="nominations"),
    path("workload/", views.WorkloadView.as_view(), name="workload"),
    path("weights/", views.WeightsView.as_view(), name="weights"),
    path("<int:pk>/", views.KeyAccountView.as_view(), name="account"),
    path("<int:pk>/panel/", views.KeyAccountPanelView.as_view(), name="panel"),
    path("<int:pk>/nominate/", views.NominateView.as_view(), name="nominate"),
    path("<int:pk>/denominate/", views.DenominateView.as_view(), name="denominate"),
    path("<int:pk>/reassign/", views.ReassignView.as_view(), name="reassign"),
    path("<int:pk>/type/", views.TypeView.as_view(), name="type"),
    path("<int:pk>/three-ps/", views.ThreePsView.as_view(), name="three_ps"),
    path("<int:pk>/ratings/", views.RatingsView.as_view(), name="ratings"),
]

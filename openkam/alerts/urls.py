from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("", views.InboxView.as_view(), name="inbox"),
    path("badge/", views.BadgeView.as_view(), name="badge"),
    path("settings/", views.SettingsView.as_view(), name="settings"),
    path("account/<int:pk>/", views.AccountPanelView.as_view(), name="panel"),
    path("<int:pk>/", views.AlertDetailView.as_view(), name="detail"),
    path("<int:pk>/acknowledge/", views.AcknowledgeView.as_view(), name="acknowledge"),
    path("<int:pk>/snooze/", views.SnoozeView.as_view(), name="snooze"),
    path("<int:pk>/resolve/", views.ResolveView.as_view(), name="resolve"),
    path("<int:pk>/plan-actions/", views.PlanActionsView.as_view(), name="plan_actions"),
]

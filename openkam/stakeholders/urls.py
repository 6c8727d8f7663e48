from django.urls import path

from . import views

app_name = "stakeholders"

urlpatterns = [
    path("", views.StakeholderListView.as_view(), name="list"),
    path("<int:pk>/", views.StakeholderDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.StakeholderUpdateView.as_view(), name="update"),
    path("<int:pk>/move/", views.StakeholderMoveView.as_view(), name="move"),
    path("<int:pk>/left/", views.StakeholderLeaveView.as_view(), name="leave"),
    path("<int:pk>/delete/", views.StakeholderDeleteView.as_view(), name="delete"),
    path("<int:pk>/reports-to/", views.ReportsToView.as_view(), name="reports_to"),
    path("coverage-gaps/", views.CoverageGapsView.as_view(), name="coverage_gaps"),
    path("for-account/<int:account_pk>/org-chart/", views.OrgChartView.as_view(), name="org_chart"),
    path("for-account/<int:account_pk>/coverage/", views.CoverageView.as_view(), name="coverage"),
    path(
        "for-account/<int:account_pk>/panel/", views.PeoplePanelView.as_view(), name="people_panel"
    ),
    path("new/for-account/<int:account_pk>/", views.StakeholderCreateView.as_view(), name="create"),
    path(
        "departments/new/for-account/<int:account_pk>/",
        views.DepartmentCreateView.as_view(),
        name="department_create",
    ),
]

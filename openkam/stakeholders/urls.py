from django.urls import path

from . import views

app_name = "stakeholders"

urlpatterns = [
    path("", views.StakeholderListView.as_view(), name="list"),
    path("<int:pk>/", views.StakeholderDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.StakeholderUpdateView.as_view(), name="update"),
    path("<int:pk>/move/", views.StakeholderMoveView.as_view(), name="move"),
    path("<int:pk>/delete/", views.StakeholderDeleteView.as_view(), name="delete"),
    path("new/for-account/<int:account_pk>/", views.StakeholderCreateView.as_view(), name="create"),
    path(
        "departments/new/for-account/<int:account_pk>/",
        views.DepartmentCreateView.as_view(),
        name="department_create",
    ),
]

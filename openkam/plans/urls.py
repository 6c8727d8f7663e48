from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.PlanListView.as_view(), name="list"),
    path("for-account/<int:account_pk>/", views.AccountPlanView.as_view(), name="account"),
    path("for-account/<int:account_pk>/new/", views.PlanCreateView.as_view(), name="create"),
    path("<int:pk>/", views.PlanDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.PlanUpdateView.as_view(), name="update"),
    path("<int:pk>/copy/", views.PlanCopyView.as_view(), name="copy"),
    path("<int:pk>/delete/", views.PlanDeleteView.as_view(), name="delete"),
    path("<int:pk>/export/", views.PlanExportView.as_view(), name="export"),
    path("<int:pk>.pdf", views.PlanPdfView.as_view(), name="pdf"),
]

# Each part of a plan: add (to its plan, or to its objective for an action), edit, delete.
_PARENTS = {"action": "objectives/<int:pk>/actions"}
for name, section in views.SECTIONS.items():
    slug = name.replace("_", "-") + "s"
    urlpatterns += [
        path(
            f"{_PARENTS.get(name, f'<int:pk>/{slug}')}/new/",
            views.SectionCreateView.as_view(section=section),
            name=f"{name}_create",
        ),
        path(
            f"{slug}/<int:pk>/edit/",
            views.SectionUpdateView.as_view(section=section),
            name=f"{name}_update",
        ),
        path(
            f"{slug}/<int:pk>/delete/",
            views.SectionDeleteView.as_view(section=section),
            name=f"{name}_delete",
        ),
    ]

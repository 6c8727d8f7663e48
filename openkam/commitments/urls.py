from django.urls import path

from . import views

app_name = "commitments"

urlpatterns = [
    path("commitments/", views.CommitmentListView.as_view(), name="list"),
    path("commitments/account/<int:pk>/", views.PromisesView.as_view(), name="account"),
    path(
        "commitments/new/for-account/<int:account_pk>/",
        views.CommitmentCreateView.as_view(),
        name="create",
    ),
    path("commitments/<int:pk>/edit/", views.CommitmentUpdateView.as_view(), name="update"),
    path("commitments/<int:pk>/delete/", views.CommitmentDeleteView.as_view(), name="delete"),
    path("commitments/<int:pk>/done/", views.CommitmentDoneView.as_view(), name="done"),
    path("requests/", views.RequestListView.as_view(), name="requests"),
    path(
        "requests/new/for-account/<int:account_pk>/",
        views.RequestCreateView.as_view(),
        name="request_create",
    ),
    path("requests/<int:pk>/edit/", views.RequestUpdateView.as_view(), name="request_update"),
    path("requests/<int:pk>/delete/", views.RequestDeleteView.as_view(), name="request_delete"),
    path("requests/<int:pk>/answer/", views.RequestAnswerView.as_view(), name="request_answer"),
    path("requests/<int:pk>/close/", views.RequestCloseView.as_view(), name="request_close"),
]

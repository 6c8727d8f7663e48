from django.urls import path

from . import views

app_name = "marketing"

urlpatterns = [
    path("lists/", views.TargetListIndexView.as_view(), name="lists"),
    path("lists/new/", views.TargetListCreateView.as_view(), name="list_create"),
    path("lists/<int:pk>/", views.TargetListDetailView.as_view(), name="list_detail"),
    path("lists/<int:pk>/edit/", views.TargetListUpdateView.as_view(), name="list_update"),
    path("lists/<int:pk>/delete/", views.TargetListDeleteView.as_view(), name="list_delete"),
    path("lists/<int:pk>/freeze/", views.TargetListFreezeView.as_view(), name="list_freeze"),
    path("lists/<int:pk>/members/add/", views.MemberAddView.as_view(), name="member_add"),
    path(
        "lists/<int:pk>/members/<int:account_pk>/remove/",
        views.MemberRemoveView.as_view(),
        name="member_remove",
    ),
    path("lists/<int:pk>/contacts.vcf", views.TargetListVCardView.as_view(), name="list_vcard"),
    path("lists/<int:pk>/cards/", views.TargetListCardsView.as_view(), name="list_cards"),
    path(
        "stakeholders/<int:pk>/vcard/",
        views.StakeholderVCardView.as_view(),
        name="stakeholder_vcard",
    ),
    path("programmes/", views.ProgrammeIndexView.as_view(), name="programmes"),
    path("programmes/new/", views.ProgrammeCreateView.as_view(), name="programme_create"),
    path("programmes/<int:pk>/", views.ProgrammeDetailView.as_view(), name="programme_detail"),
    path("programmes/<int:pk>/edit/", views.ProgrammeUpdateView.as_view(), name="programme_update"),
    path(
        "programmes/<int:pk>/delete/",
        views.ProgrammeDeleteView.as_view(),
        name="programme_delete",
    ),
    path("programmes/<int:pk>/steps/new/", views.StepCreateView.as_view(), name="step_create"),
    path("steps/<int:pk>/edit/", views.StepUpdateView.as_view(), name="step_update"),
    path("steps/<int:pk>/delete/", views.StepDeleteView.as_view(), name="step_delete"),
    path("programmes/<int:pk>/touches/new/", views.TouchCreateView.as_view(), name="touch_create"),
    path("touches/<int:pk>/delete/", views.TouchDeleteView.as_view(), name="touch_delete"),
]

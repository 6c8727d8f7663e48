from django.urls import path

from . import views

app_name = "dossier"

urlpatterns = [
    path("accounts/<int:pk>/dossier/", views.DossierView.as_view(), name="account"),
    path("accounts/<int:pk>/dossier.pdf", views.DossierPdfView.as_view(), name="pdf"),
    path("accounts/<int:pk>/dossier/general/", views.ProfileEditView.as_view(), name="profile"),
    path(
        "accounts/<int:pk>/dossier/key-figures/new/",
        views.KeyFigureCreateView.as_view(),
        name="key_figure_create",
    ),
    path(
        "accounts/<int:pk>/dossier/portrait/<slug:area>/",
        views.PortraitSectionEditView.as_view(),
        name="portrait_section",
    ),
    path(
        "dossier/key-figures/<int:pk>/edit/",
        views.KeyFigureUpdateView.as_view(),
        name="key_figure_update",
    ),
    path(
        "dossier/key-figures/<int:pk>/delete/",
        views.KeyFigureDeleteView.as_view(),
        name="key_figure_delete",
    ),
    path("dossier/stale-portraits/", views.StalePortraitListView.as_view(), name="stale"),
]

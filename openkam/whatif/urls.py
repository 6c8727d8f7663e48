from django.urls import path

from . import views

app_name = "whatif"

urlpatterns = [
    path("retention/", views.RetentionWhatIfView.as_view(), name="retention"),
]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetitorsConfig(AppConfig):
    name = "openkam.competitors"
    verbose_name = _("Competitors")

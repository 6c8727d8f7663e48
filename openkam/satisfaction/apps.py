from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SatisfactionConfig(AppConfig):
    name = "openkam.satisfaction"
    label = "satisfaction"
    verbose_name = _("Satisfaction")

    def ready(self) -> None:
        from . import alerts, health

        health.register_components()
        alerts.register_rules()

from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "openkam.alerts"
    label = "alerts"
    verbose_name = _("Alerts")

    def ready(self) -> None:
        from . import builtin, receivers

        builtin.register_all(health=apps.is_installed("openkam.health"))
        receivers.connect()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "openkam.health"
    label = "health"
    verbose_name = _("Health")

    def ready(self) -> None:
        from . import builtin, receivers  # noqa: F401  (registers components, connects signals)

        builtin.register_all()

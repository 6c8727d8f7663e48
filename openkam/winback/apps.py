from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WinbackConfig(AppConfig):
    name = "openkam.winback"
    label = "winback"
    verbose_name = _("Win back")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (measures the campaigns after every analysis)

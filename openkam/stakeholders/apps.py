from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StakeholdersConfig(AppConfig):
    name = "openkam.stakeholders"
    label = "stakeholders"
    verbose_name = _("Stakeholders")

    def ready(self) -> None:
        from . import receivers

        receivers.connect()

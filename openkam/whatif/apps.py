from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WhatIfConfig(AppConfig):
    name = "openkam.whatif"
    label = "whatif"
    verbose_name = _("Retention what-if")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (stores the cohort basis of every snapshot)

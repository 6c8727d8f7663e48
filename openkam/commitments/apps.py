from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "openkam.commitments"
    label = "commitments"
    verbose_name = _("Promises and responsiveness")

    def ready(self) -> None:
        from . import alerts, health, working_hours

        working_hours.window()  # a bad KAM_WORKING_HOURS stops the start, not a page
        health.register_components()
        alerts.register_rules()

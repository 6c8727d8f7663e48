from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LossesConfig(AppConfig):
    name = "openkam.losses"
    label = "losses"
    verbose_name = _("Losses")

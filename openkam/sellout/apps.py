from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelloutConfig(AppConfig):
    name = "openkam.sellout"
    label = "sellout"
    verbose_name = _("Sell-out")

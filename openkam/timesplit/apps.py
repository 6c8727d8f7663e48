from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimesplitConfig(AppConfig):
    name = "openkam.timesplit"
    label = "timesplit"
    verbose_name = _("Time split")

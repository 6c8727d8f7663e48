from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "openkam.portfolio"
    verbose_name = "Portfolio cockpit"

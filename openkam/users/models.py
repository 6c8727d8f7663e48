from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who works in OpenKAM. What they may do comes from their role groups."""

    max_key_accounts = models.PositiveSmallIntegerField(
        _("maximum key accounts"),
        null=True,
        blank=True,
        help_text=_("How many key accounts this manager can serve well (empty: no limit)."),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("The language OpenKAM speaks to this user (empty: the browser's)."),
    )
    buddhist_era = models.BooleanField(
        _("dates in the Buddhist era"),
        default=False,
        help_text=_(
            "Show years as Thai documents write them (2568 for 2025). Display only: dates are "
            "stored as they are."
        ),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

"""Building blocks shared by every app: timestamps and the change log."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def seeded_name(code: str, name: str, seeded: dict[str, str]) -> str:
    """The name of a reference row OpenKAM seeds by code in a migration (department kinds,
    activity kinds): still its seeded English name, it shows in the reader's language; renamed
    or added by an administrator, it shows as typed. `seeded` maps code → English name, each
    marked with gettext_noop."""
    return gettext(name) if seeded.get(code) == name else name


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class ChangeAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    DELETE = "delete", _("deleted")
    MOVE = "move", _("moved")


class ChangeLogEntry(models.Model):
    """One recorded change: who did what to which object, and each field's old → new value.

    `account_id` is a plain column, not a foreign key, so an account's history outlives the
    objects it describes (a deleted stakeholder, even the deleted account itself).
    """

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=ChangeAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField(_("object id"))
    object_repr = models.CharField(_("object"), max_length=250)
    account_id = models.PositiveBigIntegerField(_("account id"), null=True, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("change log entry")
        verbose_name_plural = _("change log")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["account_id", "-created_at"], name="changelog_account_idx"),
            models.Index(fields=["content_type", "object_id"], name="changelog_object_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.username or '—'} {self.get_action_display()} {self.object_repr}"

"""What the customer's people say of us: survey answers with a CSAT (1–5) and/or an NPS (0–10),
per stakeholder (or anonymous, for the account) and date, typed in or imported."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account
from openkam.accounts.querysets import AccountChildQuerySet, child_permissions
from openkam.core.models import TimeStampedModel
from openkam.stakeholders.models import Stakeholder

CSAT_MIN, CSAT_MAX = 1, 5
NPS_MIN, NPS_MAX = 0, 10
# NPS: who answers 9 or 10 promotes us, 0 to 6 detracts; 7 and 8 are passive.
PROMOTER_FROM = 9
DETRACTOR_UP_TO = 6
# A CSAT of 2 or less is as bad a sign as a detractor's NPS.
UNHAPPY_CSAT_UP_TO = 2


class Source(models.TextChoices):
    ENTERED = "entered", _("Entered")
    IMPORTED = "imported", _("Imported")


class SurveyResponseQuerySet(AccountChildQuerySet):
    action_permissions = child_permissions("satisfaction", "surveyresponse")


class SurveyResponse(TimeStampedModel):
    account = models.ForeignKey(
        Account,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="survey_responses",
    )
    stakeholder = models.ForeignKey(
        Stakeholder,
        verbose_name=_("stakeholder"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
        help_text=_("Who answered; leave empty for an anonymous answer for the account."),
    )
    answered_on = models.DateField(_("answered on"))
    csat = models.PositiveSmallIntegerField(
        _("CSAT"),
        null=True,
        blank=True,
        validators=[MinValueValidator(CSAT_MIN), MaxValueValidator(CSAT_MAX)],
        help_text=_("Customer satisfaction, 1 (very unhappy) to 5 (very happy)."),
    )
    nps = models.PositiveSmallIntegerField(
        _("NPS score"),
        null=True,
        blank=True,
        validators=[MinValueValidator(NPS_MIN), MaxValueValidator(NPS_MAX)],
        help_text=_("How likely they are to recommend us, 0 (not at all) to 10 (certainly)."),
    )
    comment = models.TextField(_("comment"), blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.ENTERED, editable=False
    )
    # The fingerprint of the imported line it came from (`kam import surveys`): importing the
    # same file twice finds its answers again instead of making new ones. Empty when typed in.
    source_key = models.CharField(
        _("import fingerprint"), max_length=64, null=True, blank=True, unique=True, editable=False
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = SurveyResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        ordering = ["-answered_on", "-id"]
        indexes = [
            models.Index(fields=["account", "answered_on"], name="survey_account_day"),
            models.Index(fields=["stakeholder", "answered_on"], name="survey_person_day"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(csat__isnull=True) | Q(csat__gte=CSAT_MIN, csat__lte=CSAT_MAX),
                name="surveyresponse_csat_1_to_5",
                violation_error_message=_("CSAT goes from 1 to 5."),
            ),
            models.CheckConstraint(
                condition=Q(nps__isnull=True) | Q(nps__gte=NPS_MIN, nps__lte=NPS_MAX),
                name="surveyresponse_nps_0_to_10",
                violation_error_message=_("The NPS score goes from 0 to 10."),
            ),
            models.CheckConstraint(
                condition=Q(csat__isnull=False) | Q(nps__isnull=False),
                name="surveyresponse_csat_or_nps",
                violation_error_message=_("Give a CSAT, an NPS score or both."),
            ),
        ]

    def __str__(self) -> str:
        who = self.stakeholder.name if self.stakeholder_id else _("anonymous")
        return f"{who} · {self.answered_on}"

    @property
    def is_detractor(self) -> bool:
        """A detractor's NPS (0–6) or an unhappy CSAT (1–2)."""
        return is_detractor_answer(self.csat, self.nps)

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.answered_on and self.answered_on > timezone.localdate():
            errors["answered_on"] = _("An answer cannot be dated in the future.")
        if self.stakeholder_id and self.account_id and not self._stakeholder_was_there():
            errors["stakeholder"] = _("This person does not work at this account.")
        if errors:
            raise ValidationError(errors)

    def _stakeholder_was_there(self) -> bool:
        """The person works at the account, or worked there (an answer given before a move)."""
        if self.stakeholder.account_id == self.account_id:
            return True
        return self.stakeholder.positions.filter(account_id=self.account_id).exists()


def is_detractor_answer(csat: int | None, nps: int | None) -> bool:
    return (nps is not None and nps <= DETRACTOR_UP_TO) or (
        csat is not None and csat <= UNHAPPY_CSAT_UP_TO
    )

"""Which customers are key accounts, of which kind, and who looks after them.

Everything here is a history: a row is never changed once written. The latest nomination
decision, type assignment, answer to each of the three P's and rating of each criterion is the
current one; the older rows say who decided what, when and why.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account, AccountStatus
from openkam.accounts.querysets import AccountChildQuerySet, child_permissions
from openkam.core.models import TimeStampedModel


class NominationKind(models.TextChoices):
    NOMINATE = "nominate", _("Nominated as key account")
    DENOMINATE = "denominate", _("De-nominated")


class KeyAccountType(models.TextChoices):
    """The four types of key customer (DOMAIN.md, "Knowing which customers are key")."""

    SUPPORTER = "supporter", _("Supporter (breadwinner)")
    PROSPECTIVE = "prospective", _("Prospective")
    IMAGE_MAKER = "image_maker", _("Image-maker")
    EXPERT = "expert", _("Expert")


class ProspectCriterion(models.TextChoices):
    """The three P's a prospect is qualified by."""

    NEED = "need", _("Need for the offer")
    SOLVENCY = "solvency", _("Solvency (ability to pay)")
    AUTHORITY = "authority", _("Authority to decide")


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


class RatedCriterion(models.TextChoices):
    """The qualification criteria the account team judges; the other three (repurchase
    frequency, volume, price discipline) come from the sales data."""

    FIT = "fit", _("Product/service fit")
    RELATIONSHIP = "relationship", _("Relationship")
    CULTURE = "culture", _("Similarity of culture")


# The six criteria of the qualification scorecard, in the order the scorecard shows them:
# field name of QualificationWeights → label.
SCORECARD_CRITERIA: dict[str, str] = {
    "fit": _("Product/service fit"),
    "relationship": _("Relationship"),
    "culture": _("Similarity of culture"),
    "repurchase_frequency": _("Repurchase frequency"),
    "volume": _("Volume"),
    "price_discipline": _("Price discipline (rarely haggles)"),
}
MAX_WEIGHT = 100


class NominationQuerySet(AccountChildQuerySet):
    action_permissions = child_permissions("keyaccounts", "nominationdecision")


class TypeAssignmentQuerySet(AccountChildQuerySet):
    action_permissions = child_permissions("keyaccounts", "keyaccounttypeassignment")


class ProspectAssessmentQuerySet(AccountChildQuerySet):
    action_permissions = child_permissions("keyaccounts", "prospectassessment")


class QualificationRatingQuerySet(AccountChildQuerySet):
    action_permissions = child_permissions("keyaccounts", "qualificationrating")


class HandoverQuerySet(AccountChildQuerySet):
    action_permissions = child_permissions("keyaccounts", "handover")


def _user_fk(verbose_name, related_name: str, *, null: bool = False) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        null=null,
        blank=null,
        related_name=related_name,
    )


class NominationDecision(TimeStampedModel):
    """A director's decision to make an account a key account, or to stop treating it as one."""

    account = models.ForeignKey(
        Account,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="nomination_decisions",
    )
    kind = models.CharField(_("decision"), max_length=12, choices=NominationKind.choices)
    reason = models.TextField(_("reason"))
    decided_on = models.DateField(_("decided on"), default=timezone.localdate)
    decided_by = _user_fk(_("decided by"), "+")
    owner = _user_fk(_("owner"), "+", null=True)
    previous_status = models.CharField(
        _("status before"), max_length=10, choices=AccountStatus.choices, blank=True
    )
    capacity_override = models.BooleanField(
        _("nominated over the owner's capacity"),
        default=False,
        help_text=_("The director confirmed the owner takes more key accounts than their limit."),
    )

    objects = NominationQuerySet.as_manager()

    class Meta:
        verbose_name = _("nomination decision")
        verbose_name_plural = _("nomination decisions")
        ordering = ["-decided_on", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="nomination_reason_given",
                violation_error_message=_("Give the reason for the decision."),
            ),
            models.CheckConstraint(
                condition=Q(kind=NominationKind.DENOMINATE) | Q(owner__isnull=False),
                name="nomination_has_owner",
                violation_error_message=_(
                    "A key account needs an owner (its key account manager)."
                ),
            ),
        ]
        indexes = [models.Index(fields=["account", "-decided_on"], name="nomination_account_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.account}"

    def clean(self) -> None:
        super().clean()
        self.reason = self.reason.strip()
        if self.decided_on and self.decided_on > timezone.localdate():
            raise ValidationError({"decided_on": _("A decision cannot be dated in the future.")})


class KeyAccountTypeAssignment(TimeStampedModel):
    """The account team's view of which type of key customer this is, and why."""

    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="type_history"
    )
    type = models.CharField(_("type"), max_length=12, choices=KeyAccountType.choices)
    reason = models.TextField(_("why"))
    set_by = _user_fk(_("set by"), "+")

    objects = TypeAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("key-account type")
        verbose_name_plural = _("key-account types")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="keyaccounttype_reason_given",
                violation_error_message=_("Say why the account is of this type."),
            ),
        ]
        indexes = [
            models.Index(fields=["account", "-created_at"], name="keyaccounttype_account_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()}: {self.account}"

    def clean(self) -> None:
        super().clean()
        self.reason = self.reason.strip()


class ProspectAssessment(TimeStampedModel):
    """One of the three P's answered for an account, with what the answer rests on."""

    account = models.ForeignKey(
        Account,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="prospect_assessments",
    )
    criterion = models.CharField(_("criterion"), max_length=10, choices=ProspectCriterion.choices)
    answer = models.CharField(_("answer"), max_length=8, choices=Answer.choices)
    evidence = models.TextField(
        _("evidence"),
        blank=True,
        help_text=_("What the answer rests on: trade press, a meeting, a database, a filing…"),
    )
    assessed_by = _user_fk(_("assessed by"), "+")

    objects = ProspectAssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("three P's answer")
        verbose_name_plural = _("three P's answers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answer=Answer.UNKNOWN) | ~Q(evidence=""),
                name="prospectassessment_evidence_given",
                violation_error_message=_("A yes or a no needs its evidence."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["account", "criterion", "-created_at"], name="prospectassessment_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_criterion_display()}: {self.get_answer_display()} — {self.account}"

    def clean(self) -> None:
        super().clean()
        self.evidence = self.evidence.strip()
        if self.answer in (Answer.YES, Answer.NO) and not self.evidence:
            raise ValidationError(
                {"evidence": _("A yes or a no needs its evidence: where does it come from?")}
            )


class QualificationRating(TimeStampedModel):
    """The account team's 1–5 judgement of one qualification criterion, with a comment."""

    account = models.ForeignKey(
        Account,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="qualification_ratings",
    )
    criterion = models.CharField(_("criterion"), max_length=12, choices=RatedCriterion.choices)
    score = models.PositiveSmallIntegerField(
        _("score"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (poor) to 5 (excellent)."),
    )
    comment = models.TextField(_("comment"))
    rated_by = _user_fk(_("rated by"), "+")

    objects = QualificationRatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("qualification rating")
        verbose_name_plural = _("qualification ratings")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5),
                name="qualificationrating_score_1_to_5",
                violation_error_message=_("A rating is from 1 to 5."),
            ),
            models.CheckConstraint(
                condition=~Q(comment=""),
                name="qualificationrating_comment_given",
                violation_error_message=_("Say what the rating rests on."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["account", "criterion", "-created_at"], name="qualificationrating_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_criterion_display()}: {self.score}/5 — {self.account}"

    def clean(self) -> None:
        super().clean()
        self.comment = self.comment.strip()


class QualificationWeights(TimeStampedModel):
    """How much each of the six scorecard criteria counts, set by a director. The latest row is
    in force; the older ones say who changed the weights and when."""

    fit = models.PositiveSmallIntegerField(
        _("product/service fit"), default=1, validators=[MaxValueValidator(MAX_WEIGHT)]
    )
    relationship = models.PositiveSmallIntegerField(
        _("relationship"), default=1, validators=[MaxValueValidator(MAX_WEIGHT)]
    )
    culture = models.PositiveSmallIntegerField(
        _("similarity of culture"), default=1, validators=[MaxValueValidator(MAX_WEIGHT)]
    )
    repurchase_frequency = models.PositiveSmallIntegerField(
        _("repurchase frequency"), default=1, validators=[MaxValueValidator(MAX_WEIGHT)]
    )
    volume = models.PositiveSmallIntegerField(
        _("volume"), default=1, validators=[MaxValueValidator(MAX_WEIGHT)]
    )
    price_discipline = models.PositiveSmallIntegerField(
        _("price discipline"), default=1, validators=[MaxValueValidator(MAX_WEIGHT)]
    )
    note = models.CharField(_("note"), max_length=250, blank=True)
    set_by = _user_fk(_("set by"), "+")

    class Meta:
        verbose_name = _("qualification weights")
        verbose_name_plural = _("qualification weights")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fit__gte=0)
                & Q(relationship__gte=0)
                & Q(culture__gte=0)
                & Q(repurchase_frequency__gte=0)
                & Q(volume__gte=0)
                & Q(price_discipline__gte=0),
                name="qualificationweights_not_negative",
                violation_error_message=_("Weights cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(fit__gt=0)
                | Q(relationship__gt=0)
                | Q(culture__gt=0)
                | Q(repurchase_frequency__gt=0)
                | Q(volume__gt=0)
                | Q(price_discipline__gt=0),
                name="qualificationweights_not_all_zero",
                violation_error_message=_("At least one criterion must count: not all zero."),
            ),
        ]

    def __str__(self) -> str:
        return ", ".join(f"{name} {value}" for name, value in self.as_dict().items())

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in SCORECARD_CRITERIA}

    def total(self) -> int:
        return sum(self.as_dict().values())

    def shares(self) -> dict[str, float]:
        """Each criterion's share of the total weight, 0–1."""
        total = self.total() or 1
        return {name: value / total for name, value in self.as_dict().items()}


class Handover(TimeStampedModel):
    """A key account passed from one manager to another, with the note the new one needs."""

    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="handovers"
    )
    from_owner = _user_fk(_("from"), "+", null=True)
    to_owner = _user_fk(_("to"), "+")
    note = models.TextField(
        _("handover note"),
        help_text=_("What the new owner needs to know: open deals, promises, people, risks."),
    )
    handed_over_by = _user_fk(_("decided by"), "+")
    capacity_override = models.BooleanField(
        _("over the new owner's capacity"),
        default=False,
        help_text=_(
            "The director confirmed the new owner takes more key accounts than their limit."
        ),
    )

    objects = HandoverQuerySet.as_manager()

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["-created_at", "-id"]
        permissions = [("view_workload", _("Can view every manager's key-account workload"))]
        constraints = [
            models.CheckConstraint(
                condition=~Q(note=""),
                name="handover_note_given",
                violation_error_message=_("Write a handover note for the new owner."),
            ),
        ]
        indexes = [models.Index(fields=["account", "-created_at"], name="handover_account_idx")]

    def __str__(self) -> str:
        return f"{self.account}: {self.from_owner or '—'} → {self.to_owner}"

    def clean(self) -> None:
        super().clean()
        self.note = self.note.strip()

"""The people at a customer: departments, stakeholders and their positions over time."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from openkam.accounts.models import Account
from openkam.accounts.querysets import AccountChildQuerySet, child_permissions
from openkam.core.models import TimeStampedModel, seeded_name


class StakeholderQuerySet(AccountChildQuerySet):
    action_permissions = child_permissions("stakeholders", "stakeholder", marketing=True)


class DepartmentQuerySet(AccountChildQuerySet):
    action_permissions = child_permissions("stakeholders", "department")


class PositionQuerySet(AccountChildQuerySet):
    action_permissions = child_permissions("stakeholders", "position")


# The kinds OpenKAM seeds (migration 0002), by code: shown in the reader's language as long as
# an administrator has not renamed them; a kind an administrator adds shows as it was typed.
SEEDED_KIND_NAMES = {
    "buying": gettext_noop("Merchandising / buying"),
    "operations": gettext_noop("Operations"),
    "marketing": gettext_noop("Marketing"),
    "finance": gettext_noop("Finance"),
    "it": gettext_noop("IT"),
    "management": gettext_noop("Management"),
    "other": gettext_noop("Other"),
}


class DepartmentKind(models.Model):
    """A kind of department (merchandising/buying, operations...). Administrators add more."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("department kind")
        verbose_name_plural = _("department kinds")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return seeded_name(self.code, self.name, SEEDED_KIND_NAMES)


class Department(TimeStampedModel):
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="departments"
    )
    kind = models.ForeignKey(
        DepartmentKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(
        _("name"),
        max_length=120,
        blank=True,
        help_text=_("Leave empty to use the kind's name, e.g. “Buying — fresh food”."),
    )

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["account", "kind__order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "kind", "name"],
                name="department_unique_per_account",
                violation_error_message=_("The account already has this department."),
            )
        ]

    def __str__(self) -> str:
        return self.name or str(self.kind)


class BuyingRole(models.TextChoices):
    DECISION_MAKER = "decision_maker", _("Decision maker")
    INFLUENCER = "influencer", _("Influencer")
    USER = "user", _("User")
    GATEKEEPER = "gatekeeper", _("Gatekeeper")
    CHAMPION = "champion", _("Champion")
    BLOCKER = "blocker", _("Blocker")


class Attitude(models.TextChoices):
    """How the person stands towards us."""

    CHAMPION = "champion", _("Champion")
    SUPPORTER = "supporter", _("Supporter")
    NEUTRAL = "neutral", _("Neutral")
    CRITIC = "critic", _("Critic")
    BLOCKER = "blocker", _("Blocker")


class Stakeholder(TimeStampedModel):
    """A person at a customer. `account`, `department` and `job_title` are where they work now;
    `positions` keep where they worked before, so the history follows a person who moves."""

    name = models.CharField(_("name"), max_length=200, db_index=True)
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="stakeholders"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stakeholders",
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    buying_role = models.CharField(
        _("role in the buying decision"), max_length=20, choices=BuyingRole.choices, blank=True
    )
    reports_to = models.ForeignKey(
        "self",
        verbose_name=_("reports to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    relationship_strength = models.PositiveSmallIntegerField(
        _("relationship strength"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (cold) to 5 (trusted)."),
    )
    influence = models.PositiveSmallIntegerField(
        _("influence"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("How much the person weighs in decisions: 1 (little) to 5 (decisive)."),
    )
    attitude = models.CharField(
        _("attitude to us"), max_length=20, choices=Attitude.choices, blank=True
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    active = models.BooleanField(
        _("still at the account"),
        default=True,
        help_text=_("Off once the person has left the account for an unknown place."),
    )

    objects = StakeholderQuerySet.as_manager()

    MARKETING_FIELDS = ("email", "phone", "notes")

    class Meta:
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        ordering = ["name", "id"]
        permissions = [
            ("move_stakeholder", _("Can record that a stakeholder moved")),
            ("change_stakeholder_marketing", _("Can change a stakeholder's contact details")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(relationship_strength__isnull=True)
                | Q(relationship_strength__gte=1, relationship_strength__lte=5),
                name="stakeholder_strength_1_to_5",
                violation_error_message=_("Relationship strength goes from 1 to 5."),
            ),
            models.CheckConstraint(
                condition=Q(influence__isnull=True) | Q(influence__gte=1, influence__lte=5),
                name="stakeholder_influence_1_to_5",
                violation_error_message=_("Influence goes from 1 to 5."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("stakeholders:detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.department_id and self.account_id and self.department.account_id != self.account_id:
            errors["department"] = _("This department belongs to another account.")
        if self.reports_to_id:
            if self.reports_to.account_id != self.account_id:
                errors["reports_to"] = _(
                    "A stakeholder can only report to someone at the same account."
                )
            elif self._reporting_cycle():
                errors["reports_to"] = _("This would make the org chart a circle.")
        if errors:
            raise ValidationError(errors)

    def _reporting_cycle(self) -> bool:
        seen, boss = set(), self.reports_to
        while boss is not None:
            if boss.pk == self.pk or boss.pk in seen:
                return True
            seen.add(boss.pk)
            boss = boss.reports_to
        return False


class Position(models.Model):
    """Where a stakeholder worked, and when. The open position (no end) is the current one."""

    stakeholder = models.ForeignKey(
        Stakeholder,
        verbose_name=_("stakeholder"),
        on_delete=models.CASCADE,
        related_name="positions",
    )
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="positions"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    buying_role = models.CharField(
        _("role in the buying decision"), max_length=20, choices=BuyingRole.choices, blank=True
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("to"), null=True, blank=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["stakeholder", "-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["stakeholder"],
                condition=Q(ended_on__isnull=True),
                name="position_single_current",
                violation_error_message=_("A stakeholder has only one current position."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="position_ends_after_start",
                violation_error_message=_("A position cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stakeholder} — {self.job_title or '?'} @ {self.account}"

    def clean(self) -> None:
        super().clean()
        if self.department_id and self.department.account_id != self.account_id:
            raise ValidationError({"department": _("This department belongs to another account.")})


class AssessmentQuerySet(AccountChildQuerySet):
    """Part of the stakeholder: read and written with the stakeholder's permissions."""

    account_path = "stakeholder__account"
    action_permissions = child_permissions("stakeholders", "stakeholder", marketing=True)


class AssessedField(models.TextChoices):
    INFLUENCE = "influence", _("Influence")
    ATTITUDE = "attitude", _("Attitude to us")


class StakeholderAssessment(models.Model):
    """One value a stakeholder's influence or attitude took, since when and who said so: the
    history the stakeholder's services write whenever either changes. An empty value: cleared."""

    stakeholder = models.ForeignKey(
        Stakeholder,
        verbose_name=_("stakeholder"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    field = models.CharField(_("what"), max_length=20, choices=AssessedField.choices)
    value = models.CharField(_("value"), max_length=20, blank=True)
    since = models.DateField(_("since"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("influence or attitude")
        verbose_name_plural = _("influence and attitude history")
        ordering = ["stakeholder", "-since", "-id"]
        indexes = [
            models.Index(fields=["stakeholder", "field", "-since"], name="assessment_person")
        ]

    def __str__(self) -> str:
        return f"{self.stakeholder} — {self.field}: {self.value or '—'}"

    def clean(self) -> None:
        super().clean()
        if (
            self.field == AssessedField.ATTITUDE
            and self.value
            and self.value not in Attitude.values
        ):
            raise ValidationError({"value": _("Not an attitude.")})
        if (
            self.field == AssessedField.INFLUENCE
            and self.value
            and self.value not in {"1", "2", "3", "4", "5"}
        ):
            raise ValidationError({"value": _("Influence goes from 1 to 5.")})

    @property
    def display_value(self) -> str:
        if not self.value:
            return "—"
        if self.field == AssessedField.ATTITUDE:
            return str(Attitude(self.value).label)
        return f"{self.value}/5"


class CoverageGapQuerySet(AccountChildQuerySet):
    # a gap is read with the account's people: whoever may see them sees their gaps
    action_permissions = {"view": "stakeholders.view_stakeholder"}


class CoverageGap(models.Model):
    """A coverage gap, stored so that the list across thousands of accounts is one query
    (`openkam.stakeholders.coverage` keeps these rows up to date as people and activities
    change). The two gaps that time opens — a department out of touch, a key person not met —
    are stored as *watches* with their last contact and become gaps when it is older than
    `KAM_COVERAGE_DAYS` on the day they are read, so nothing goes stale overnight."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30)
    department = models.ForeignKey(
        Department, null=True, on_delete=models.CASCADE, related_name="+"
    )
    stakeholder = models.ForeignKey(
        Stakeholder, null=True, on_delete=models.CASCADE, related_name="+"
    )
    # a department kind the account has no department of (kind "department_missing")
    missing_kind = models.ForeignKey(
        DepartmentKind, null=True, on_delete=models.CASCADE, related_name="+"
    )
    last_contact = models.DateTimeField(null=True)
    strength = models.PositiveSmallIntegerField(null=True)  # a weak decision maker's
    decision_maker = models.BooleanField(default=False)  # "not met": decision maker or champion

    objects = CoverageGapQuerySet.as_manager()

    class Meta:
        verbose_name = _("coverage gap")
        verbose_name_plural = _("coverage gaps")
        indexes = [
            models.Index(fields=["account", "kind"], name="coveragegap_account_kind"),
            models.Index(fields=["kind", "last_contact"], name="coveragegap_kind_contact"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.kind}"

    @property
    def label(self) -> str:
        from .coverage import gap_label

        return gap_label(self.kind)

    @property
    def message(self) -> str:
        from .coverage import gap_message

        return gap_message(
            self.kind,
            department=self.department,
            stakeholder=self.stakeholder,
            missing_kind=self.missing_kind,
            strength=self.strength,
            decision_maker=self.decision_maker,
        )

"""Account-based marketing: target-account lists, programmes run for one account or for a
list, their steps, and the touches that record who of the customer's people took part.

Target lists are marketing's own, not an account's: everyone who may read them sees every
list, and a list's members are shown only as far as the reader may see the accounts.
A programme of an account belongs to that account (its team sees it); a programme of a list
belongs to everyone who sees lists.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from openkam.accounts.models import Account, AccountStatus, Segment
from openkam.accounts.querysets import AccountChildQuerySet, account_scope, child_permissions
from openkam.core.models import TimeStampedModel
from openkam.health.models import HealthLevel
from openkam.keyaccounts.models import KeyAccountType
from openkam.stakeholders.models import Stakeholder

ABC_CLASSES = "ABC"


class Tier(models.IntegerChoices):
    """How much marketing effort each account of a list gets (the usual ABM tiers)."""

    ONE = 1, _("Tier 1 — one to one: a programme of its own for each account")
    TWO = 2, _("Tier 2 — one to few: one programme for a cluster of similar accounts")
    THREE = 3, _("Tier 3 — one to many: broad campaigns for the whole list")


class ListKind(models.TextChoices):
    STATIC = "static", _("Static: chosen accounts")
    RULE = "rule", _("By rule: the accounts that match, worked out when shown")


def _has(user, permission: str) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm(permission))
    )


class TargetListQuerySet(models.QuerySet):
    """Lists are not an account's: the model permission alone decides."""

    def visible_to(self, user, action: str = "view") -> TargetListQuerySet:
        return self if _has(user, f"marketing.{action}_targetlist") else self.none()


class TargetList(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=ListKind.choices)
    tier = models.PositiveSmallIntegerField(
        _("ideal-customer tier"), choices=Tier.choices, default=Tier.TWO
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who in marketing looks after the list."),
    )
    # The rule of a list by rule: every criterion given must hold; an empty one is any.
    rule_status = models.CharField(
        _("account status"), max_length=10, choices=AccountStatus.choices, blank=True
    )
    rule_key_account_type = models.CharField(
        _("key-account type"), max_length=12, choices=KeyAccountType.choices, blank=True
    )
    rule_abc = models.CharField(
        _("ABC classes"),
        max_length=3,
        blank=True,
        help_text=_("One or more of A, B and C (e.g. AB), from the latest metrics (12 months)."),
    )
    rule_country = CountryField(_("country"), blank=True)
    rule_segment = models.ForeignKey(
        Segment,
        verbose_name=_("segment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rule_health_level = models.CharField(
        _("health level"),
        max_length=5,
        choices=HealthLevel.choices,
        blank=True,
        help_text=_("The level of the latest health scores."),
    )
    frozen_from = models.ForeignKey(
        "self",
        verbose_name=_("frozen from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text=_("The list by rule whose members this static list copied."),
    )
    accounts = models.ManyToManyField(
        Account, through="TargetListMember", related_name="target_lists", blank=True
    )

    objects = TargetListQuerySet.as_manager()

    RULE_FIELDS = (
        "rule_status",
        "rule_key_account_type",
        "rule_abc",
        "rule_country",
        "rule_segment",
        "rule_health_level",
    )

    class Meta:
        verbose_name = _("target-account list")
        verbose_name_plural = _("target-account lists")
        ordering = ["tier", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="rule")
                | Q(
                    rule_status="",
                    rule_key_account_type="",
                    rule_abc="",
                    rule_country="",
                    rule_segment__isnull=True,
                    rule_health_level="",
                ),
                name="targetlist_rule_only_for_rule_lists",
                violation_error_message=_(
                    "A static list has no rule: clear the rule or make it a list by rule."
                ),
            ),
            models.CheckConstraint(
                condition=Q(tier__gte=1, tier__lte=3),
                name="targetlist_tier_1_to_3",
                violation_error_message=_("The ideal-customer tier is 1, 2 or 3."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("marketing:list_detail", args=[self.pk])

    @property
    def changelog_account_id(self) -> None:
        return None  # a list is nobody's account

    @property
    def is_rule(self) -> bool:
        return self.kind == ListKind.RULE

    def has_rule(self) -> bool:
        return any(getattr(self, field) not in ("", None) for field in self.RULE_FIELDS)

    def clean(self) -> None:
        super().clean()
        self.rule_abc = "".join(sorted(set(self.rule_abc.upper().replace(" ", ""))))
        if any(letter not in ABC_CLASSES for letter in self.rule_abc):
            raise ValidationError({"rule_abc": _("ABC classes are A, B and C (e.g. AB).")})
        if self.kind == ListKind.RULE and not self.has_rule():
            raise ValidationError(
                _("A list by rule needs at least one criterion (status, type, ABC class …).")
            )


class TargetListMemberQuerySet(AccountChildQuerySet):
    """A member is seen with the list's permissions, and only on accounts one may see."""

    action_permissions = child_permissions("marketing", "targetlist")


class TargetListMember(models.Model):
    """An account chosen for a static list."""

    target_list = models.ForeignKey(
        TargetList,
        verbose_name=_("target-account list"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    objects = TargetListMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("target-list member")
        verbose_name_plural = _("target-list members")
        ordering = ["target_list", "account__name", "account_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["target_list", "account"],
                name="targetlistmember_once_per_list",
                violation_error_message=_("The account is on this list already."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.account} @ {self.target_list}"


def _programme_scope(queryset, user, action: str, programme_path: str):
    """Programmes (or their parts) `user` may `action`: those of accounts in the user's scope
    for it, and — when the user may see or act on every account — those of lists. A list's
    programme is seen by everyone who sees lists; changing it takes every account's scope."""
    model = queryset.model._meta.model_name
    if not _has(user, f"marketing.{action}_{model}"):
        return queryset.none()
    scope = account_scope(user, "view" if action == "view" else "change")
    if scope is None:
        return queryset.none()
    if scope == Q():
        return queryset
    on_accounts = Q(**{f"{programme_path}account__in": Account.objects.filter(scope).values("pk")})
    if action == "view":
        return queryset.filter(on_accounts | Q(**{f"{programme_path}account__isnull": True}))
    return queryset.filter(on_accounts)


class ProgrammeQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "view") -> ProgrammeQuerySet:
        return _programme_scope(self, user, action, "")


class Programme(TimeStampedModel):
    """A marketing programme for one account (tier 1) or for a target list (tiers 2 and 3):
    objectives, who runs it in marketing and in sales, and its dates."""

    name = models.CharField(_("name"), max_length=200)
    objectives = models.TextField(_("objectives"), blank=True)
    account = models.ForeignKey(
        Account,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="programmes",
    )
    target_list = models.ForeignKey(
        TargetList,
        verbose_name=_("target-account list"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="programmes",
    )
    marketing_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marketing owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who in marketing runs the programme."),
    )
    sales_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sales owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who in sales works on it with marketing (usually the key account manager)."),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-starts_on", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(account__isnull=False, target_list__isnull=True)
                | Q(account__isnull=True, target_list__isnull=False),
                name="programme_account_or_list",
                violation_error_message=_(
                    "A programme is for one account or for one target-account list: "
                    "choose exactly one of the two."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="programme_ends_after_start",
                violation_error_message=_("A programme cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("marketing:programme_detail", args=[self.pk])

    @property
    def audience(self) -> Account | TargetList | None:
        return self.account or self.target_list

    @property
    def changelog_account_id(self) -> int | None:
        return self.account_id


class StepKind(models.TextChoices):
    EVENT = "event", _("Event")
    CONTENT = "content", _("Content")
    VISIT = "visit", _("Visit")
    OTHER = "other", _("Other")


class ProgrammeStepQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "view") -> ProgrammeStepQuerySet:
        return _programme_scope(self, user, action, "programme__")


class ProgrammeStep(TimeStampedModel):
    """One thing the programme does, on a date: an event, a piece of content, a visit."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="steps"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=StepKind.choices)
    title = models.CharField(_("title"), max_length=200)
    on = models.DateField(_("date"))
    notes = models.TextField(_("notes"), blank=True)

    objects = ProgrammeStepQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme step")
        verbose_name_plural = _("programme steps")
        ordering = ["programme", "on", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def changelog_account_id(self) -> int | None:
        return self.programme.account_id


class TouchKind(models.TextChoices):
    ATTENDED = "attended", _("Attended")
    OPENED = "opened", _("Opened")
    MET = "met", _("Met")
    OTHER = "other", _("Other")


class TouchQuerySet(AccountChildQuerySet):
    """A touch is a person's: seen and written with the rights on the person's account."""

    account_path = "stakeholder__account"
    action_permissions = child_permissions("marketing", "touch")


class Touch(TimeStampedModel):
    """A stakeholder's engagement with a step, entered by hand: attended the event, opened the
    content, met us on the visit."""

    step = models.ForeignKey(
        ProgrammeStep, verbose_name=_("step"), on_delete=models.CASCADE, related_name="touches"
    )
    stakeholder = models.ForeignKey(
        Stakeholder, verbose_name=_("stakeholder"), on_delete=models.CASCADE, related_name="touches"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=TouchKind.choices)
    on = models.DateField(_("date"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TouchQuerySet.as_manager()

    class Meta:
        verbose_name = _("touch")
        verbose_name_plural = _("touches")
        ordering = ["step", "stakeholder__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["step", "stakeholder", "kind"],
                name="touch_once_per_step_person_kind",
                violation_error_message=_("This person already has this touch for this step."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.stakeholder} · {self.get_kind_display()} · {self.step}"

    @property
    def changelog_account_id(self) -> int:
        return self.stakeholder.account_id

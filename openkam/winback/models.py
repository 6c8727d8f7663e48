"""Win-back campaigns: an offer (special offer, gift, discount …) with a budget and a period,
made to chosen lost or shrinking accounts; per account the cost of the offer, the contact steps
(activities) and the outcome measured from the sales history (see `outcomes`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account
from openkam.accounts.querysets import AccountChildQuerySet, account_scope, child_permissions
from openkam.activities.models import Activity
from openkam.core.models import TimeStampedModel

MAX_MEASURE_DAYS = 730


class OfferKind(models.TextChoices):
    SPECIAL_OFFER = "special_offer", _("Special offer")
    GIFT = "gift", _("Gift")
    DISCOUNT = "discount", _("Discount")
    OTHER = "other", _("Other")


class CampaignQuerySet(models.QuerySet):
    """A campaign is seen by who may see one of its accounts (or owns it: an empty campaign),
    and changed by its owner or by who may change every account (directors)."""

    def visible_to(self, user, action: str = "view") -> CampaignQuerySet:
        permission = {"view": "view", "change": "change", "delete": "delete"}[action]
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        if not (user.is_superuser or user.has_perm(f"winback.{permission}_campaign")):
            return self.none()
        scope = account_scope(user, "view" if action == "view" else "change")
        if scope is None:
            return self.none()
        if scope == Q():
            return self
        if action != "view":
            return self.filter(owner=user)
        visible = Account.objects.filter(scope).values("pk")
        with_account = CampaignAccount.objects.filter(account__in=visible).values("campaign_id")
        return self.filter(Q(owner=user) | Q(pk__in=with_account))


class Campaign(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    offer_kind = models.CharField(_("offer"), max_length=20, choices=OfferKind.choices)
    offer_description = models.TextField(
        _("offer description"), blank=True, help_text=_("What the accounts are offered.")
    )
    budget = models.DecimalField(
        _("budget"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("In the reporting currency: what the offers may cost in total."),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    measure_days = models.PositiveSmallIntegerField(
        _("days measured after the end"),
        default=90,
        validators=[MaxValueValidator(MAX_MEASURE_DAYS)],
        help_text=_(
            "A purchase from the start until this many days after the end counts as regained."
        ),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="winback_campaigns",
    )
    # when the outcomes were last measured from the sales history (None: not yet)
    measured_at = models.DateTimeField(_("measured at"), null=True, blank=True, editable=False)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="campaign_ends_after_start",
                violation_error_message=_("A campaign cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(budget__gte=0),
                name="campaign_budget_not_negative",
                violation_error_message=_("The budget cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("winback:campaign", args=[self.pk])

    @property
    def window_end(self) -> dt.date | None:
        """The last day a purchase counts for the campaign."""
        if self.ends_on is None:
            return None
        return self.ends_on + dt.timedelta(days=self.measure_days or 0)

    def is_open(self, today: dt.date) -> bool:
        """Still running or still being measured."""
        return self.window_end is not None and today <= self.window_end

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            message = _(
                "The campaign ends before it starts: choose an end on or after %(start)s."
            ) % {"start": self.starts_on.isoformat()}
            raise ValidationError({"ends_on": message})


class ContactStatus(models.TextChoices):
    TO_CONTACT = "to_contact", _("To contact")
    CONTACTED = "contacted", _("Contacted")
    ACCEPTED = "accepted", _("Offer accepted")
    DECLINED = "declined", _("Offer declined")


class ReturnBasis(models.TextChoices):
    MARGIN = "margin", _("Margin")
    REVENUE = "revenue", _("Revenue")


class CampaignAccountQuerySet(AccountChildQuerySet):
    action_permissions = child_permissions("winback", "campaignaccount")


class CampaignAccount(TimeStampedModel):
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="targets"
    )
    account = models.ForeignKey(
        Account,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="winback_targets",
    )
    offer_cost = models.DecimalField(
        _("cost of the offer"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("What the offer costs us for this account (reporting currency)."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ContactStatus.choices, default=ContactStatus.TO_CONTACT
    )
    # the outcome, measured from the sales history by `outcomes.measure` (None: not yet)
    regained = models.BooleanField(_("regained"), null=True, editable=False)
    first_purchase = models.DateField(_("first purchase in the window"), null=True, editable=False)
    revenue_after = models.DecimalField(
        _("revenue after"), max_digits=18, decimal_places=2, null=True, editable=False
    )
    margin_after = models.DecimalField(
        _("margin after"), max_digits=18, decimal_places=2, null=True, editable=False
    )
    measured_at = models.DateTimeField(_("measured at"), null=True, editable=False)

    objects = CampaignAccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign account")
        verbose_name_plural = _("campaign accounts")
        ordering = ["campaign", "account__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "account"],
                name="campaignaccount_once_per_campaign",
                violation_error_message=_("This account is in the campaign already."),
            ),
            models.CheckConstraint(
                condition=Q(offer_cost__gte=0),
                name="campaignaccount_cost_not_negative",
                violation_error_message=_("The cost of the offer cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.account}"

    @property
    def gain(self) -> tuple[Decimal | None, str]:
        return offer_gain(self.revenue_after, self.margin_after)

    @property
    def return_on_offer(self) -> float | None:
        gain, _basis = self.gain
        return offer_return(gain, self.offer_cost)

    @property
    def return_basis(self) -> str:
        return self.gain[1]

    def clean(self) -> None:
        super().clean()
        if self.campaign_id and self.account_id:
            clash = overlapping_campaign(self.campaign, self.account_id)
            if clash is not None:
                raise ValidationError(
                    _(
                        "%(account)s is already in the campaign “%(campaign)s”, measured until "
                        "%(until)s: a purchase would count for both. Choose other dates or "
                        "another account."
                    )
                    % {
                        "account": self.account,
                        "campaign": clash.name,
                        "until": clash.window_end.isoformat(),
                    }
                )


def overlapping_campaign(campaign: Campaign, account_id: int) -> Campaign | None:
    """Another campaign of the account whose window (start to end + measured days) overlaps
    the campaign's: an account is in one open campaign at a time."""
    if campaign.starts_on is None or campaign.window_end is None:
        return None
    others = Campaign.objects.filter(
        targets__account_id=account_id, starts_on__lte=campaign.window_end
    )
    if campaign.pk:
        others = others.exclude(pk=campaign.pk)
    for other in others.order_by("starts_on", "pk"):
        if other.window_end >= campaign.starts_on:
            return other
    return None


def offer_gain(revenue: Decimal | None, margin: Decimal | None) -> tuple[Decimal | None, str]:
    """What the regained business brought: its margin, or its revenue when the sales history
    carries no costs."""
    if margin is not None:
        return margin, ReturnBasis.MARGIN
    return revenue, ReturnBasis.REVENUE


def offer_return(gain: Decimal | None, cost: Decimal | None) -> float | None:
    """(gain − cost) / cost: 0.5 means the offer brought back half again what it cost; None
    when nothing is measured yet or the offer cost nothing."""
    if gain is None or not cost:
        return None
    return float((gain - cost) / cost)


class CampaignStepQuerySet(AccountChildQuerySet):
    action_permissions = child_permissions("winback", "campaignstep")
    account_path = "campaign_account__account"


class CampaignStep(models.Model):
    """A contact step of a campaign account: an activity of the relationship's log."""

    campaign_account = models.ForeignKey(
        CampaignAccount,
        verbose_name=_("campaign account"),
        on_delete=models.CASCADE,
        related_name="steps",
    )
    activity = models.OneToOneField(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="winback_step",
    )

    objects = CampaignStepQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact step")
        verbose_name_plural = _("contact steps")
        ordering = ["campaign_account", "activity__occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.campaign_account}: {self.activity}"

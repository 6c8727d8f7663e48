"""Reads of the win-back app, always starting from what the user may see.

The win-back list ranks the lost and shrinking accounts of the latest snapshot by what winning
them back is worth:

* revenue at stake: for a lost account its revenue in the twelve months before the loss; for a
  shrinking one what it buys less than in the twelve months before (previous year − last year);
* margin at stake: the revenue at stake × the account's margin rate over the analysis window
  (the revenue itself when the sales history carries no costs);
* ranked by the margin at stake, then by the repeat-purchase model's expected value (what it
  still expects the account to bring, the customer lifetime value), then by name.

Everything is one annotated query over the snapshot (no per-row work in Python), paged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Avg,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest

from openkam.accounts.models import Account, AccountTeamMember, TeamRole
from openkam.activities.models import Activity
from openkam.losses.models import AccountLoss
from openkam.metrics.models import AccountMetrics, AccountPeriodMetrics, Period, Snapshot
from openkam.metrics.selectors import snapshot_for
from openkam.stakeholders.models import Stakeholder
from openkam.users.models import User

from .models import Campaign, CampaignAccount, OfferKind, offer_return

MONEY = DecimalField(max_digits=18, decimal_places=2)
ZERO = Value(Decimal("0"), output_field=MONEY)


def _count(queryset: QuerySet, field: str = "pk") -> Subquery:
    return Subquery(
        queryset.order_by().values("account_id").annotate(n=Count(field)).values("n")[:1]
    )


def win_back_list(*, user: User, snapshot: Snapshot | None = None) -> QuerySet[AccountMetrics]:
    """The lost and shrinking accounts of `snapshot` (the latest by default) the user may see,
    annotated for the list, the export and the API, ranked by what winning them back is worth
    (see the module's docstring)."""
    snapshot = snapshot or snapshot_for()
    account = OuterRef("account_id")
    year = AccountPeriodMetrics.objects.filter(
        snapshot_id=OuterRef("snapshot_id"), account_id=account, period=Period.YEAR
    )
    owners = AccountTeamMember.objects.filter(account_id=account, role=TeamRole.OWNER)
    loss = AccountLoss.objects.filter(account_id=account).order_by("-lost_on", "-id")
    people = Stakeholder.objects.filter(account_id=account, active=True)
    contacts = Activity.objects.filter(account_id=account).order_by().values("account_id")
    campaigns = CampaignAccount.objects.filter(account_id=account).order_by(
        "-campaign__starts_on", "-campaign_id"
    )
    visible = Account.objects.visible_to(user, "view").values("pk")
    rows = (
        AccountMetrics.objects.filter(snapshot_id=snapshot.pk if snapshot else None)
        .filter(account_id__in=visible)
        .filter(Q(lost=True) | Q(shrinking=True))
        .select_related("account", "account__segment")
        .annotate(
            owner_username=Subquery(owners.values("user__username")[:1]),
            revenue_year=Subquery(year.values("revenue")[:1]),
            revenue_year_before=Subquery(year.values("revenue_prev")[:1]),
            window_revenue=Subquery(year.values("window_revenue")[:1]),
            window_margin=Subquery(year.values("window_margin")[:1]),
            is_key=Coalesce(Subquery(year.values("is_key")[:1]), Value(False)),
            loss_reason=Subquery(loss.values("reason")[:1]),
            competitor_id=Subquery(loss.values("competitor_id")[:1]),
            competitor_name=Subquery(loss.values("competitor__name")[:1]),
            loss_recorded_on=Subquery(loss.values("lost_on")[:1]),
            people_left=Coalesce(_count(people), 0),
            average_strength=Subquery(
                people.order_by()
                .values("account_id")
                .annotate(a=Avg("relationship_strength"))
                .values("a")[:1]
            ),
            strongest=Subquery(
                people.order_by()
                .values("account_id")
                .annotate(m=Max("relationship_strength"))
                .values("m")[:1]
            ),
            last_contact=Subquery(contacts.annotate(m=Max("occurred_at")).values("m")[:1]),
            latest_campaign_id=Subquery(campaigns.values("campaign_id")[:1]),
            latest_campaign_name=Subquery(campaigns.values("campaign__name")[:1]),
        )
        .annotate(
            revenue_at_stake=Case(
                When(lost=True, then=Coalesce(F("revenue_before_loss"), ZERO)),
                default=Greatest(
                    Coalesce(F("revenue_year_before"), ZERO) - Coalesce(F("revenue_year"), ZERO),
                    ZERO,
                ),
                output_field=MONEY,
            )
        )
        .annotate(
            margin_at_stake=Case(
                When(
                    window_revenue__gt=0,
                    window_margin__isnull=False,
                    then=ExpressionWrapper(
                        F("revenue_at_stake") * F("window_margin") / F("window_revenue"),
                        output_field=MONEY,
                    ),
                ),
                default=F("revenue_at_stake"),
                output_field=MONEY,
            )
        )
    )
    rows = rows.order_by(
        F("margin_at_stake").desc(nulls_last=True),
        F("clv").desc(nulls_last=True),
        "account__name",
        "account_id",
    )
    # no analysis yet: no rows, but the same annotations, so that the filters still apply
    return rows if snapshot is not None else rows.none()


ORDERINGS = {
    "worth": None,  # the default ranking
    "revenue": ("-revenue_at_stake", "account__name", "account_id"),
    "value": (F("clv").desc(nulls_last=True), "account__name", "account_id"),
    "recent": (F("lost_since").desc(nulls_last=True), "account__name", "account_id"),
    "name": ("account__name", "account_id"),
}


def days_lost(row: AccountMetrics, as_of: dt.date) -> int | None:
    """How long ago the account was lost (days since the silence passed the criterion)."""
    return (as_of - row.lost_since).days if row.lost_since else None


# -- campaigns ------------------------------------------------------------------------------


def campaign_list(*, user: User) -> QuerySet[Campaign]:
    return Campaign.objects.visible_to(user).select_related("owner")


def campaign_targets(*, user: User, campaign: Campaign) -> QuerySet[CampaignAccount]:
    """The campaign's accounts the user may see, with their contact steps counted."""
    return (
        CampaignAccount.objects.visible_to(user)
        .filter(campaign=campaign)
        .select_related("account")
        .annotate(step_count=Count("steps"))
        .order_by("account__name", "id")
    )


@dataclass
class Results:
    """A campaign's (or an offer kind's) outcome over the accounts the reader may see."""

    accounts: int = 0
    measured: int = 0
    regained: int = 0
    cost: Decimal = Decimal("0")
    revenue_after: Decimal = Decimal("0")
    margin_after: Decimal | None = None
    gain: Decimal = Decimal("0")  # margin where known, else revenue (see offer_gain)

    @property
    def regain_rate(self) -> float | None:
        return self.regained / self.measured if self.measured else None

    @property
    def return_on_offer(self) -> float | None:
        return offer_return(self.gain if self.measured else None, self.cost)


def _results_by(user: User, key: str, campaigns: QuerySet[Campaign] | None = None) -> dict:
    targets = CampaignAccount.objects.visible_to(user)
    if campaigns is not None:
        targets = targets.filter(campaign__in=campaigns)
    gain = Case(
        When(margin_after__isnull=False, then=F("margin_after")),
        default=F("revenue_after"),
        output_field=MONEY,
    )
    rows = (
        targets.order_by()
        .values(key)
        .annotate(
            n_accounts=Count("pk"),
            n_measured=Count("pk", filter=Q(measured_at__isnull=False)),
            n_regained=Count("pk", filter=Q(regained=True)),
            total_cost=Coalesce(Sum("offer_cost"), ZERO),
            total_revenue=Coalesce(Sum("revenue_after"), ZERO),
            total_margin=Sum("margin_after"),
            total_gain=Coalesce(Sum(gain), ZERO),
        )
    )
    return {
        row[key]: Results(
            accounts=row["n_accounts"],
            measured=row["n_measured"],
            regained=row["n_regained"],
            cost=row["total_cost"],
            revenue_after=row["total_revenue"],
            margin_after=row["total_margin"],
            gain=row["total_gain"],
        )
        for row in rows
    }


def results_by_campaign(*, user: User, campaigns: QuerySet[Campaign]) -> dict[int, Results]:
    return _results_by(user, "campaign_id", campaigns)


def results_by_offer_kind(*, user: User) -> list[tuple[str, str, Results]]:
    """(offer kind, its label, its results) for every offer kind with accounts."""
    found = _results_by(user, "campaign__offer_kind", campaign_list(user=user))
    return [(value, label, found[value]) for value, label in OfferKind.choices if value in found]

"""Demo growth plays: the suggestions of the demo's analysis, some accepted by the key
accounts' managers (a few into this year's plan) and some dismissed with a reason, and wallet
estimates — the customer's total spend per category — for most key accounts.

Run after the snapshot (the suggestions come from it); drawn from its own random generator
(seeded from the demo seed) and written in bulk, apart from the few plan actions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from openkam.accounts.models import AccountStatus, AccountTeamMember, TeamRole
from openkam.growth import services
from openkam.growth.models import (
    CategorySpend,
    GrowthOpportunity,
    OpportunityStatus,
    WalletEstimate,
    WalletSource,
)
from openkam.growth.sync import opportunities_sync
from openkam.metrics.models import Snapshot
from openkam.plans.models import AccountPlan

ACCEPTED = 0.25  # of the key accounts' suggestions
DISMISSED = 0.15
INTO_PLAN = 0.4  # of the accepted ones, where the account has a plan this year
ESTIMATED = 0.7  # key accounts with wallet estimates
DISMISS_REASONS = (
    "They buy it under a national contract with another supplier.",
    "Not in their format: their stores have no room for the range.",
    "Tried last year; their buyer was not interested.",
    "Their own label covers it.",
)
ESTIMATE_NOTES = (
    "From the annual meeting with their category buyer.",
    "Their share of shelf, counted on store visits.",
    "",
)


@dataclass
class GrowthSummary:
    suggested: int
    accepted: int
    dismissed: int
    estimates: int


def _rng(seed: int) -> random.Random:
    return random.Random(int(hashlib.sha256(f"{seed}-growth".encode()).hexdigest()[:12], 16))


def load_growth(*, seed: int, snapshot: Snapshot) -> GrowthSummary:
    rng = _rng(seed)
    opportunities_sync(snapshot)
    owners = {
        m.account_id: m.user
        for m in AccountTeamMember.objects.filter(role=TeamRole.OWNER).select_related("user")
    }
    key = GrowthOpportunity.objects.filter(
        account__status=AccountStatus.KEY, status=OpportunityStatus.SUGGESTED
    ).order_by("account_id", "-expected_revenue", "category_id", "kind")
    with_plan = set(
        AccountPlan.objects.filter(year=timezone.localdate().year).values_list(
            "account_id", flat=True
        )
    )
    now = timezone.now()
    decided, into_plan = [], []
    for opportunity in key:
        owner = owners.get(opportunity.account_id)
        draw = rng.random()
        if owner is None or draw >= ACCEPTED + DISMISSED:
            continue
        opportunity.decided_by = owner
        opportunity.decided_at = now - dt.timedelta(days=rng.randint(1, 60))
        if draw < ACCEPTED:
            opportunity.status = OpportunityStatus.ACCEPTED
            share = Decimal(rng.choice((50, 70, 80, 100))) / 100
            opportunity.expected_value = (opportunity.expected_revenue * share).quantize(Decimal(1))
            if opportunity.account_id in with_plan and rng.random() < INTO_PLAN:
                into_plan.append((opportunity, owner))
        else:
            opportunity.status = OpportunityStatus.DISMISSED
            opportunity.dismissed_reason = rng.choice(DISMISS_REASONS)
        decided.append(opportunity)
    GrowthOpportunity.objects.bulk_update(
        decided,
        ["status", "expected_value", "dismissed_reason", "decided_by", "decided_at"],
        batch_size=2000,
    )
    for opportunity, owner in into_plan:
        plan = AccountPlan.objects.get(account_id=opportunity.account_id, year=now.year)
        opportunity.plan_action = services.plan_action_for(owner, opportunity, plan)
        opportunity.save(update_fields=["plan_action"])
    estimates = _wallet_estimates(rng, snapshot)
    return GrowthSummary(
        suggested=GrowthOpportunity.objects.filter(status=OpportunityStatus.SUGGESTED).count(),
        accepted=sum(o.status == OpportunityStatus.ACCEPTED for o in decided),
        dismissed=sum(o.status == OpportunityStatus.DISMISSED for o in decided),
        estimates=estimates,
    )


def _wallet_estimates(rng: random.Random, snapshot: Snapshot) -> int:
    """For most key accounts: per category bought, their spend = ours ÷ a share of 20–80 %,
    rounded to the thousand."""
    year = timezone.localdate().year
    spend = CategorySpend.objects.filter(
        snapshot=snapshot, account__status=AccountStatus.KEY
    ).order_by("account_id", "category_id")
    chosen: dict[int, bool] = {}
    made = []
    for row in spend.values_list("account_id", "category_id", "revenue"):
        account_id, category_id, revenue = row
        if account_id not in chosen:
            chosen[account_id] = rng.random() < ESTIMATED
        if not chosen[account_id]:
            continue
        share = Decimal(rng.randint(20, 80)) / 100
        total = max((revenue / share / 1000).quantize(Decimal(1)) * 1000, revenue)
        made.append(
            WalletEstimate(
                account_id=account_id,
                category_id=category_id,
                year=year,
                estimated_spend=total,
                source=WalletSource.ENTERED,
                note=rng.choice(ESTIMATE_NOTES),
            )
        )
    WalletEstimate.objects.bulk_create(made, batch_size=2000, ignore_conflicts=True)
    return len(made)

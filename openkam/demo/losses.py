"""Demo losses: for most accounts the sales history loses (`risk.accounts_at_risk`, those with a
`lost_on`), the record their team made when it noticed — a few weeks to months after the last
order — with a plausible reason and, mostly, the competitor the account went to (the one the
sales history's story names); some losses were never recorded, and for some nobody knows where
the account went.

Drawn from its own random generator (seeded from the demo seed), validated field by field and
written in bulk; runs after the sales history, whose plan says who went where.
"""

from __future__ import annotations

import datetime as dt
import random

from openkam.accounts.models import Account, TeamRole
from openkam.competitors.models import Competitor
from openkam.facts.generate import plan_customers
from openkam.losses.models import AccountLoss, LossReason
from openkam.sales.demo_history import database_customers
from openkam.users.models import User
from openkam.users.roles import Role

from .risk import SALES_YEARS, accounts_at_risk

RECORDED = 0.85  # the share of lost accounts whose team recorded the loss
DESTINATION_KNOWN = 0.75  # … of those, the share that says where the account went
NOTICED_AFTER_DAYS = (21, 150)  # the team records it this long after the last order
REASONS = {
    LossReason.PRICE: (30, "A competitor offered lower list prices and a bigger listing fee."),
    LossReason.SERVICE: (20, "Late and incomplete deliveries for several months."),
    LossReason.RELATIONSHIP: (15, "The new category manager never took our calls."),
    LossReason.QUALITY: (12, "Two batches were rejected at their warehouse."),
    LossReason.RANGE: (10, "They wanted a private-label range we do not make."),
    LossReason.CUSTOMER_CLOSED: (5, "The chain was taken over and moved to the buyer's suppliers."),
    LossReason.OTHER: (8, "Central buying moved the category to one national supplier."),
}


def _destinations(seed: int, today: dt.date) -> dict[int, str]:
    """Each lost account's destination in the sales history's plan, by account id."""
    customers = database_customers()
    ids = dict(Account.objects.values_list("external_id", "pk"))
    return {
        ids[customer.key]: plan.lost_to
        for customer, plan in zip(
            customers, plan_customers(customers, seed, today, SALES_YEARS), strict=True
        )
        if plan.lost_on is not None and plan.lost_to and customer.key in ids
    }


def load_losses(*, seed: int, today: dt.date) -> int:
    """Write the loss records; returns how many."""
    rng = random.Random(f"openkam-demo-losses-{seed}")
    lost = sorted(
        (risk for risk in accounts_at_risk(seed=seed, today=today).values() if risk.lost_on),
        key=lambda risk: risk.account_id,
    )
    if not lost:
        return 0
    destinations = _destinations(seed, today)
    register = {c.name: c for c in Competitor.objects.all()}
    for name in sorted(set(destinations.values()) - set(register)):
        register[name] = Competitor.objects.create(name=name)
    owners = dict(
        Account.objects.filter(
            team__role=TeamRole.OWNER, pk__in=[r.account_id for r in lost]
        ).values_list("pk", "team__user_id")
    )
    # a lost account without an owner any more: a sales director recorded the loss
    director = (
        User.objects.filter(groups__name=Role.SALES_DIRECTOR.value)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    reasons = list(REASONS)
    weights = [REASONS[r][0] for r in reasons]
    rows = []
    for risk in lost:
        if rng.random() >= RECORDED:
            continue
        reason = rng.choices(reasons, weights=weights)[0]
        went_to = destinations.get(risk.account_id)
        known = went_to is not None and rng.random() < DESTINATION_KNOWN
        noticed = risk.lost_on + dt.timedelta(days=rng.randint(*NOTICED_AFTER_DAYS))
        loss = AccountLoss(
            account_id=risk.account_id,
            lost_on=min(noticed, today),
            reason=reason,
            details=REASONS[reason][1] if rng.random() < 0.7 else "",
            competitor=register[went_to] if known else None,
            recorded_by_id=owners.get(risk.account_id, director),
        )
        loss.full_clean(exclude=["account", "competitor", "recorded_by"])
        rows.append(loss)
    AccountLoss.objects.bulk_create(rows, batch_size=1000)
    return len(rows)

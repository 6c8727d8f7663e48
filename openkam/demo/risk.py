"""Which demo accounts the sales history will lose or shrink, and when trouble starts.

The order-line generator decides it from the seed (`plan_customers`); the loaders of the
keep-them signals (late commitments, falling satisfaction, departures …) read it here so that,
as in life, losses are preceded by the signs the health score and the alerts look for, with
noise: not every account at risk shows every sign, and healthy accounts show some too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from openkam.accounts.models import Account
from openkam.facts.generate import plan_customers
from openkam.sales.demo_history import database_customers

SALES_YEARS = 3  # the years of history `kam demo` generates
SHRINKING_TREND = 0.85  # a yearly volume factor below this loses ≥ 15 % a year


@dataclass(frozen=True)
class AtRisk:
    account_id: int
    trouble_from: dt.date  # the signs start about here
    lost_on: dt.date | None  # None: shrinking, not lost


def accounts_at_risk(*, seed: int, today: dt.date) -> dict[int, AtRisk]:
    """The accounts the demo's sales history will lose (from about a year before their last
    order) or shrink (from a year and a half before `today`), by account id."""
    customers = database_customers()
    ids = dict(Account.objects.values_list("external_id", "pk"))
    at_risk: dict[int, AtRisk] = {}
    for customer, plan in zip(
        customers, plan_customers(customers, seed, today, SALES_YEARS), strict=True
    ):
        account_id = ids.get(customer.key)
        if account_id is None or plan.size == 0:
            continue
        if plan.lost_on is not None:
            start = plan.lost_on - dt.timedelta(days=365)
            at_risk[account_id] = AtRisk(account_id, start, plan.lost_on)
        elif plan.trend < SHRINKING_TREND:
            at_risk[account_id] = AtRisk(account_id, today - dt.timedelta(days=540), None)
    return at_risk

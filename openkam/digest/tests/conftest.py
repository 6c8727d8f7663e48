"""A week for the digest: kam1's late promises, actions and meetings, and a metrics snapshot.

As of Tuesday 30 June 2026: kam1 owns *Own Mart* (buys every month, met on 15 June) and
*Quiet Traders* (bought every month until December 2025 — overdue now — and never contacted);
a commitment due on 10 June is open, a request received on 19 June is unanswered, a plan
action was due on 1 June, and a visit to Own Mart is planned on Thursday 2 July.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from openkam.accounts.models import AccountStatus
from openkam.accounts.services import account_create
from openkam.activities.models import Activity, ActivityKind
from openkam.analytics.tests import facts
from openkam.commitments.models import Commitment, CustomerRequest
from openkam.metrics import services as metrics_services
from openkam.metrics.tests.conftest import AS_OF, publish
from openkam.plans.models import AccountPlan, PlanAction, PlanObjective

__all__ = ["AS_OF"]


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def week(world, users):
    kam1 = users["kam1"]
    kam1.email = "kam1@example.com"
    kam1.save(update_fields=["email"])
    quiet = account_create(
        actor=users["director"],
        data={
            "name": "Quiet Traders",
            "status": AccountStatus.ACTIVE,
            "country": "TH",
            "reporting_currency": "THB",
        },
        owner=kam1,
    )
    own = world["own"]
    visit = ActivityKind.objects.get(code="visit")
    Activity.objects.create(
        account=own, kind=visit, occurred_at=at(dt.date(2026, 6, 15)), subject="Shelf check"
    ).our_people.add(kam1)
    Activity.objects.create(
        account=own, kind=visit, occurred_at=at(dt.date(2026, 7, 2)), subject="Range review"
    ).our_people.add(kam1)
    Activity.objects.create(  # after the week ahead: not listed
        account=own, kind=visit, occurred_at=at(dt.date(2026, 7, 20)), subject="Summer fair"
    ).our_people.add(kam1)
    Commitment.objects.create(
        account=own,
        description="Send the new price list",
        owner=kam1,
        promised_on=dt.date(2026, 6, 1),
        due_on=dt.date(2026, 6, 10),
    )
    CustomerRequest.objects.create(
        account=own,
        subject="Quote for the snack range",
        owner=kam1,
        kind="quote",
        received_at=at(dt.date(2026, 6, 19)),
    )
    plan = AccountPlan.objects.create(account=own, year=2026, currency="THB")
    objective = PlanObjective.objects.create(plan=plan, title="Grow the snack aisle")
    PlanAction.objects.create(
        objective=objective, title="Propose a planogram", owner=kam1, due_date=dt.date(2026, 6, 1)
    )
    return {**world, "quiet": quiet}


@pytest.fixture
def figures(week):
    """A metrics snapshot as of 30 June 2026: Own Mart buys monthly, Quiet Traders stopped."""
    lines = []
    for year in (2025, 2026):
        for month in range(1, 13):
            day = dt.date(year, month, 5)
            if day > AS_OF:
                continue
            lines.append(facts.line(week["own"].pk, day, 1000, cost=700))
            if day < dt.date(2026, 1, 1):
                lines.append(facts.line(week["quiet"].pk, day, 400, cost=300))
            if month % 3 == 1:
                lines.append(facts.line(week["foreign"].pk, day, 3000, cost=2000))
    publish(lines)
    return metrics_services.snapshot_create(as_of=AS_OF)

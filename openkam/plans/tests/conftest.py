import datetime as dt

import pytest
from django.utils import timezone

from openkam.plans import services

YEAR = timezone.localdate().year


@pytest.fixture
def plan(users, world):
    """kam1's plan of Own Mart for this year, with one objective and one action."""
    plan = services.account_plan_create(
        actor=users["kam1"],
        account=world["own"],
        year=YEAR,
        data={"revenue_target": 120000, "review_cadence": "quarterly"},
    )
    return plan


@pytest.fixture
def objective(users, plan):
    return services.plan_objective_create(
        actor=users["kam1"], plan=plan, data={"title": "Win the snack aisle"}
    )


@pytest.fixture
def action(users, objective):
    return services.plan_action_create(
        actor=users["kam1"],
        objective=objective,
        data={
            "title": "Propose a planogram",
            "owner": users["kam1"],
            "due_date": timezone.localdate() + dt.timedelta(days=10),
        },
    )


@pytest.fixture
def foreign_plan(users, world):
    return services.account_plan_create(actor=users["kam2"], account=world["foreign"], year=YEAR)

import datetime as dt

from openkam.accounts.models import AccountStatus
from openkam.demo.plans import load_plans
from openkam.plans import selectors
from openkam.plans.models import AccountPlan, PlanAction


def test_demo_plans_are_deterministic_and_valid(users, world):
    today = dt.date(2026, 6, 15)
    accounts = dict(enumerate(world[k] for k in ("own", "own_sub", "foreign")))
    assert load_plans(seed=42, today=today, accounts=accounts) == 3
    assert AccountPlan.objects.filter(account__status=AccountStatus.KEY, year=2026).count() == 3
    first = sorted(PlanAction.objects.values_list("title", "due_date", "status"))
    AccountPlan.objects.all().delete()
    load_plans(seed=42, today=today, accounts=accounts)
    assert sorted(PlanAction.objects.values_list("title", "due_date", "status")) == first
    for plan in selectors.plan_list(user=users["director"]):
        assert 0 <= selectors.completeness(plan).percent <= 100

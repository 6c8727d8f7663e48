"""Demo account plans: one for every key account for the current year, with value
propositions, objectives and actions (some overdue), risks and reviews; some plans are left
incomplete on purpose. Drawn from its own random generator (seeded from the demo seed), so the
rest of the demo stays as it was."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from openkam.accounts.models import Account, AccountStatus, AccountTeamMember
from openkam.core.changelog import creation_changes
from openkam.core.models import ChangeAction, ChangeLogEntry
from openkam.plans.models import (
    AccountPlan,
    ActionStatus,
    PlanAction,
    PlanObjective,
    PlanReview,
    PlanRisk,
    ReviewCadence,
    ValueKind,
    ValueProposition,
)
from openkam.users.models import User

PROPOSITIONS = {
    ValueKind.RAISE_MARGIN: ("Premium range on the end caps", "Two points more margin"),
    ValueKind.CUT_COST: ("Fewer, fuller deliveries", "A tenth less handling cost"),
    ValueKind.GROW_SHOPPERS: ("Joint sampling weekends", "New shoppers in the category"),
    ValueKind.GROW_SPEND: ("Bundles with the bestsellers", "Bigger baskets"),
    ValueKind.GROW_FREQUENCY: ("Monthly promotions calendar", "One more visit a month"),
    ValueKind.BETTER_SERVICE: ("Vendor-managed inventory", "No empty shelves"),
}
OBJECTIVES = (
    ("Grow the category together", ("Agree the planogram", "Run the sampling weekend")),
    ("Reach every decision maker", ("Meet the finance director", "Invite the CEO to our plant")),
    ("Protect the listing", ("Answer the tender on time", "Share the quality audit")),
)
RISKS = (
    "A competitor undercuts our prices",
    "The buyer who champions us leaves",
    "Their strategy moves to private label",
)


def load_plans(*, seed: int, today: dt.date, accounts: dict[int, Account]) -> int:
    """Write the plans in bulk after the models' validation, with their change-log entries."""
    rng = random.Random(f"openkam-demo-plans-{seed}")
    keys = sorted(
        (a for a in accounts.values() if a.status == AccountStatus.KEY), key=lambda a: a.pk
    )
    teams: dict[int, list[int]] = {}
    for account_id, user_id in AccountTeamMember.objects.filter(account__in=keys).values_list(
        "account_id", "user_id"
    ):
        teams.setdefault(account_id, []).append(user_id)
    users = User.objects.in_bulk({u for ids in teams.values() for u in ids})
    plans = []
    for account in keys:
        complete = rng.random() < 0.6
        revenue = Decimal(rng.randrange(200, 5000) * 1000)
        margin = (revenue * Decimal("0.28")).quantize(Decimal(1))
        plans.append(
            AccountPlan(
                account=account,
                year=today.year,
                status=rng.choice(["active", "active", "draft"]),
                currency=settings.REPORTING_CURRENCY,
                ambition="Grow together in the category and become their first supplier.",
                revenue_target=revenue,
                margin_target=margin if complete else None,
                wallet_estimate=revenue * 3,
                share_of_wallet_target=Decimal(rng.randrange(25, 60)) if complete else None,
                review_cadence=rng.choice(list(ReviewCadence)[:3]),
            )
        )
    for plan in plans:
        plan.full_clean(exclude=["account"], validate_constraints=False)
    AccountPlan.objects.bulk_create(plans)
    propositions, objectives, risks, reviews = [], [], [], []
    action_specs = []
    for plan in plans:
        for kind in rng.sample(list(PROPOSITIONS), rng.randint(1, 3)):
            description, effect = PROPOSITIONS[kind]
            propositions.append(
                ValueProposition(
                    plan=plan,
                    kind=kind,
                    description=description,
                    expected_effect=effect,
                    expected_amount=Decimal(rng.randrange(10, 200) * 1000),
                )
            )
        for title, actions in rng.sample(OBJECTIVES, rng.randint(1, 2)):
            objective = PlanObjective(plan=plan, title=title)
            objectives.append(objective)
            action_specs.append((objective, plan, actions))
        if rng.random() < 0.7:
            risks.append(
                PlanRisk(
                    plan=plan,
                    description=rng.choice(RISKS),
                    likelihood=rng.randint(1, 5),
                    impact=rng.randint(2, 5),
                    mitigation="Meet them more often; prepare an answer with the team.",
                )
            )
        if rng.random() < 0.6:
            reviews.append(
                PlanReview(
                    plan=plan,
                    held_on=today - dt.timedelta(days=rng.randint(5, 200)),
                    notes="Went through the figures and the open actions with the buyer.",
                )
            )
    for rows, model in (
        (propositions, ValueProposition),
        (objectives, PlanObjective),
        (risks, PlanRisk),
        (reviews, PlanReview),
    ):
        for row in rows:
            row.full_clean(exclude=["plan"], validate_constraints=False)
        model.objects.bulk_create(rows)
    actions = []
    for objective, plan, titles in action_specs:
        team = teams.get(plan.account_id) or []
        for title in titles:
            due = today + dt.timedelta(days=rng.randint(-60, 120))
            status = rng.choice(
                [ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.OPEN]
            )
            done_on = min(due, today) if status == ActionStatus.DONE else None
            if team:
                actions.append(
                    PlanAction(
                        objective=objective,
                        title=title,
                        owner=users[rng.choice(sorted(team))],
                        due_date=due,
                        status=status,
                        done_on=done_on,
                    )
                )
    PlanAction.objects.bulk_create(actions)
    admin = User.objects.filter(username="admin").first()
    content_type = ContentType.objects.get_for_model(AccountPlan)
    ChangeLogEntry.objects.bulk_create(
        ChangeLogEntry(
            user=admin,
            username=admin.get_username() if admin else "",
            action=ChangeAction.CREATE,
            content_type=content_type,
            object_id=plan.pk,
            object_repr=str(plan)[:250],
            account_id=plan.account_id,
            changes=creation_changes(plan),
        )
        for plan in plans
    )
    return len(plans)

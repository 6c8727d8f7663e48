"""Demo account-based marketing: three target-account lists — two by rule (the A-class key
accounts, tier 1, and the key accounts whose health is red, tier 2; their members show once the
metrics and health scores exist) and one static list of image-makers — and programmes: one of
its own for each of three key accounts (an event, a piece of content, a visit) and one for the
static list, with touches of some of their people. The key accounts' logged activities during
a programme count as "met" on their own.

Written through the services (a few dozen rows), drawn from its own random generator; loading
again replaces the demo's own lists and programmes.
"""

from __future__ import annotations

import datetime as dt
import random

from openkam.accounts.models import Account, AccountStatus, AccountTeamMember, TeamRole
from openkam.marketing import services
from openkam.marketing.models import ListKind, Programme, TargetList, Tier
from openkam.stakeholders.models import Stakeholder
from openkam.users.models import User

A_CLASS = "Tier 1: A-class key accounts"
RED_HEALTH = "Key accounts in the red"
IMAGE_MAKERS = "Image-makers for the autumn launch"
PROGRAMMES = 3  # key accounts with a programme of their own
STATIC_MEMBERS = 8


def _people(account: Account) -> list[Stakeholder]:
    return list(Stakeholder.objects.filter(account=account, active=True).order_by("name", "pk"))


def _owner(account: Account, fallback: User) -> User:
    member = (
        AccountTeamMember.objects.filter(account=account, role=TeamRole.OWNER)
        .select_related("user")
        .first()
    )
    return member.user if member else fallback


def load_marketing(
    *, seed: int, today: dt.date, accounts: dict[int, Account], users: dict[str, User]
) -> int:
    """Write the lists, programmes, steps and touches; returns how many programmes."""
    rng = random.Random(f"openkam-demo-marketing-{seed}")
    marketing = users.get("marketing") or users["admin"]
    Programme.objects.filter(target_list__name__in=(A_CLASS, RED_HEALTH, IMAGE_MAKERS)).delete()
    TargetList.objects.filter(name__in=(A_CLASS, RED_HEALTH, IMAGE_MAKERS)).delete()
    services.targetlist_create(
        actor=marketing,
        kind=ListKind.RULE,
        data={
            "name": A_CLASS,
            "description": "The biggest key accounts: each gets a programme of its own.",
            "tier": Tier.ONE,
            "owner": marketing,
            "rule_status": AccountStatus.KEY,
            "rule_abc": "A",
        },
    )
    services.targetlist_create(
        actor=marketing,
        kind=ListKind.RULE,
        data={
            "name": RED_HEALTH,
            "description": "Key accounts whose health is red: a shared programme to win trust.",
            "tier": Tier.TWO,
            "owner": marketing,
            "rule_status": AccountStatus.KEY,
            "rule_health_level": "red",
        },
    )
    key = sorted(
        (a for a in accounts.values() if a.status == AccountStatus.KEY), key=lambda a: a.pk
    )
    if not key:
        return 0
    chosen = rng.sample(key, min(STATIC_MEMBERS, len(key)))
    image_makers = services.targetlist_create(
        actor=marketing,
        kind=ListKind.STATIC,
        data={
            "name": IMAGE_MAKERS,
            "description": "Well-known names that lead their region: invited to the launch.",
            "tier": Tier.TWO,
            "owner": marketing,
        },
        accounts=chosen,
    )
    Programme.objects.filter(account__in=key, name__startswith="Joint business plan").delete()
    made = 0
    for account in rng.sample(key, min(PROGRAMMES, len(key))):
        programme = services.programme_create(
            actor=marketing,
            data={
                "name": f"Joint business plan {today.year}: {account.name}"[:200],
                "objectives": "Two new categories listed; the buying and the marketing "
                "departments both engaged.",
                "account": account,
                "marketing_owner": marketing,
                "sales_owner": _owner(account, marketing),
                "starts_on": today - dt.timedelta(days=120),
                "ends_on": today + dt.timedelta(days=60),
            },
        )
        _steps_and_touches(rng, marketing, programme, _people(account), today)
        made += 1
    launch = services.programme_create(
        actor=marketing,
        data={
            "name": f"Autumn launch {today.year}",
            "objectives": "Every image-maker's buyers see the new range before the competitors'.",
            "target_list": image_makers,
            "marketing_owner": marketing,
            "starts_on": today - dt.timedelta(days=60),
            "ends_on": today + dt.timedelta(days=30),
        },
    )
    people = [p for account in chosen for p in _people(account)[:2]]
    _steps_and_touches(rng, marketing, launch, people, today)
    return made + 1


def _steps_and_touches(
    rng: random.Random, actor: User, programme: Programme, people: list[Stakeholder], today
) -> None:
    start = programme.starts_on
    plan = [
        ("event", "Category workshop at our plant", start + dt.timedelta(days=20), "attended"),
        ("content", "Shopper study of their category", start + dt.timedelta(days=45), "opened"),
        ("visit", "Store walk with the buyers", min(today, start + dt.timedelta(days=90)), "met"),
    ]
    for kind, title, on, touch in plan:
        step = services.step_create(
            actor=actor, programme=programme, data={"kind": kind, "title": title, "on": on}
        )
        if on > today:
            continue
        for person in people:
            if rng.random() < 0.5:
                services.touch_create(
                    actor=actor, step=step, stakeholder=person, data={"kind": touch}
                )

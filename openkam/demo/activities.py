"""The demo's activity log: three years of meetings, calls, visits, business reviews and
entertainment on the demo accounts, in bulk.

Deterministic: one random generator seeded from the demo seed, walking the accounts in id order.
Key accounts get many more activities (and a business review every quarter), prospects few.
Our side is the account team (the owner most often); their side the account's stakeholders,
each only while they held a position at the account (people who left are not met afterwards).
A few meetings lie in the coming weeks, so the calendar feed has something ahead.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from openkam.accounts.models import Account, AccountStatus, AccountTeamMember, TeamRole
from openkam.activities.models import Activity, ActivityKind, Purpose
from openkam.stakeholders.models import Position, Stakeholder

DAYS_BACK = 3 * 365
DAYS_AHEAD = 30
# Activities per account over the three years, by status (besides the quarterly reviews).
PER_ACCOUNT = {
    AccountStatus.KEY: (45, 80),
    AccountStatus.ACTIVE: (8, 20),
    AccountStatus.PROSPECT: (2, 8),
    AccountStatus.LOST: (1, 5),
}
KIND_WEIGHTS = {
    "meeting": 26,
    "call": 24,
    "email": 14,
    "visit": 18,
    "dinner": 6,
    "golf": 3,
    "trip": 1,
    "event": 3,
    "other": 2,
}
DURATIONS = {
    "meeting": (45, 120),
    "call": (10, 45),
    "email": (5, 15),
    "visit": (60, 180),
    "business_review": (90, 180),
    "dinner": (120, 180),
    "golf": (240, 300),
    "trip": (480, 600),
    "event": (180, 300),
    "other": (20, 60),
}
# Hour of the day in UTC (the demo's customers are UTC+7/+8): office hours, dinner at night.
HOURS = {"dinner": (11, 12), "golf": (0, 1), "trip": (1, 2), "event": (3, 10)}
OFFICE_HOURS = (2, 9)
SUBJECTS = {
    "meeting": (
        "Promotion plan for the next quarter",
        "New listing proposal",
        "Annual terms preparation",
        "Shelf space and planogram",
        "Supply chain and service level",
        "Joint business plan follow-up",
    ),
    "call": (
        "Out-of-stock follow-up",
        "Order confirmation",
        "Promotion results",
        "Price increase notice",
        "Delivery schedule",
    ),
    "email": ("Sent the promotion calendar", "Sent the sales figures", "Sent the new price list"),
    "visit": ("Store visit", "Head-office visit", "Distribution centre visit", "Category review"),
    "business_review": ("Quarterly business review",),
    "dinner": ("Dinner with the buying team", "Dinner after the annual terms"),
    "golf": ("Golf day", "Charity golf tournament"),
    "trip": ("Factory visit trip", "Study trip to the head office"),
    "event": ("Trade fair", "Product launch event", "Customer conference"),
    "other": ("Workshop", "Training session"),
}
OUTCOMES = (
    "",
    "",
    "Agreed the next steps.",
    "They will come back with a counter-offer.",
    "Listing approved for two regions.",
    "Needs a second meeting with the category manager.",
)
PURPOSES = {
    True: {Purpose.KEY_ACCOUNT: 85, Purpose.NEW_BUSINESS: 10, Purpose.OTHER: 5},
    False: {Purpose.NEW_BUSINESS: 60, Purpose.KEY_ACCOUNT: 20, Purpose.OTHER: 20},
}


def load_activities(*, seed: int, today: dt.date, accounts: dict[int, Account]) -> int:
    """Write the activity log of the demo accounts; returns how many activities were made."""
    rng = random.Random(f"openkam-demo-activities-{seed}")
    kinds = {k.code: k for k in ActivityKind.objects.all()}
    ordered = sorted(accounts.values(), key=lambda a: a.pk)
    ids = [a.pk for a in ordered]
    teams: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for account_id, user_id, role in (
        AccountTeamMember.objects.filter(account_id__in=ids)
        .order_by("account_id", "pk")
        .values_list("account_id", "user_id", "role")
    ):
        teams[account_id].append((user_id, role))
    spans: dict[int, list[tuple[int, dt.date, dt.date | None]]] = defaultdict(list)
    for account_id, person_id, start, end in (
        Position.objects.filter(account_id__in=ids)
        .order_by("account_id", "stakeholder_id", "pk")
        .values_list("account_id", "stakeholder_id", "started_on", "ended_on")
    ):
        spans[account_id].append((person_id, start, end))
    with_position = {p for rows in spans.values() for p, _s, _e in rows}
    for account_id, person_id in (
        Stakeholder.objects.filter(account_id__in=ids, active=True)
        .order_by("account_id", "pk")
        .values_list("account_id", "pk")
    ):
        if person_id not in with_position:
            spans[account_id].append((person_id, dt.date.min, None))

    activities: list[Activity] = []
    ours: list[list[int]] = []
    theirs: list[list[int]] = []
    start_day = today - dt.timedelta(days=DAYS_BACK)

    def add(account: Account, code: str, day: dt.date, purpose: str) -> None:
        team = teams.get(account.pk)
        if not team:
            return
        owner = next((u for u, role in team if role == TeamRole.OWNER), team[0][0])
        present = {owner} if rng.random() < 0.8 else {rng.choice(team)[0]}
        if len(team) > 1 and (code in ("business_review", "dinner", "golf") or rng.random() < 0.2):
            present.add(rng.choice(team)[0])
        at_work = [
            p for p, s, e in spans.get(account.pk, ()) if s <= day and (e is None or day <= e)
        ]
        wanted = 2 + rng.randint(0, 2) if code == "business_review" else rng.randint(1, 2)
        met = rng.sample(at_work, min(wanted, len(at_work))) if code != "email" else at_work[:1]
        low, high = HOURS.get(code, OFFICE_HOURS)
        moment = dt.datetime.combine(day, dt.time(rng.randint(low, high), rng.choice((0, 30))))
        duration = rng.randint(*DURATIONS[code])
        activities.append(
            Activity(
                account=account,
                kind=kinds[code],
                occurred_at=moment.replace(tzinfo=dt.UTC),
                duration_minutes=duration - duration % 5 or 5,
                purpose=purpose,
                subject=rng.choice(SUBJECTS[code]),
                outcome=rng.choice(OUTCOMES) if day <= today else "",
                author_id=sorted(present)[0] if owner not in present else owner,
            )
        )
        ours.append(sorted(present))
        theirs.append(met)

    kind_codes, kind_weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
    for account in ordered:
        key = account.status == AccountStatus.KEY
        purposes = PURPOSES[key]
        for _i in range(rng.randint(*PER_ACCOUNT.get(account.status, (1, 4)))):
            code = rng.choices(kind_codes, kind_weights)[0]
            day = start_day + dt.timedelta(days=rng.randint(0, DAYS_BACK))
            purpose = rng.choices(list(purposes), list(purposes.values()))[0]
            add(account, code, day, purpose)
        if key:
            review = start_day + dt.timedelta(days=rng.randint(0, 90))
            while review <= today:
                add(account, "business_review", review, Purpose.KEY_ACCOUNT)
                review += dt.timedelta(days=rng.randint(84, 98))
            for _i in range(rng.randint(1, 3)):
                day = today + dt.timedelta(days=rng.randint(1, DAYS_AHEAD))
                add(account, rng.choice(("meeting", "visit", "call")), day, Purpose.KEY_ACCOUNT)

    Activity.objects.bulk_create(activities, batch_size=2000)
    Ours, Theirs = Activity.our_people.through, Activity.their_people.through
    Ours.objects.bulk_create(
        [
            Ours(activity_id=a.pk, user_id=u)
            for a, users in zip(activities, ours, strict=True)
            for u in users
        ],
        batch_size=5000,
    )
    Theirs.objects.bulk_create(
        [
            Theirs(activity_id=a.pk, stakeholder_id=s)
            for a, people in zip(activities, theirs, strict=True)
            for s in people
        ],
        batch_size=5000,
    )
    return len(activities)

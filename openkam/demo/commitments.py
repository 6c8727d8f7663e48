"""Demo promises and responsiveness: commitments (ours and theirs, some late) and customer
requests with response times in working hours.

Accounts the sales history will lose or shrink (`risk.accounts_at_risk`) show the signs from
their trouble date on: more commitments of ours left late or done late, and requests answered
slowly or not at all. Healthy accounts show a little of the same, as noise. Nothing is made
after a lost account's loss. Drawn from its own random generator (seeded from the demo seed),
validated field by field and written in bulk (fast at 10,000 accounts).
"""

from __future__ import annotations

import datetime as dt
import math
import random

from django.utils import timezone

from openkam.accounts.models import Account, AccountStatus, AccountTeamMember, TeamRole
from openkam.commitments.models import (
    Commitment,
    CommitmentStatus,
    CustomerRequest,
    Direction,
    RequestKind,
)
from openkam.commitments.working_hours import add_working_hours, parse_window
from openkam.stakeholders.models import Stakeholder

from .risk import accounts_at_risk

YEARS = 2.5  # how far back the promises and requests go
OURS = (
    "Send the revised price list",
    "Deliver samples of the new range",
    "Fix the short delivery of last week",
    "Send the promotion plan for next quarter",
    "Visit the new distribution centre",
    "Share the quality audit report",
    "Propose a planogram for the category",
    "Credit note for the damaged pallets",
    "Answer the listing request for two items",
    "Train the store staff on the new range",
)
THEIRS = (
    "Send the sell-out data of the last quarter",
    "Confirm the volumes for the promotion",
    "Introduce us to the new category manager",
    "Sign the annual agreement",
    "Give feedback on the samples",
)
SUBJECTS = {
    RequestKind.COMPLAINT: ("Late delivery to two stores", "Damaged cartons on arrival"),
    RequestKind.QUOTE: ("Quote for the summer promotion", "Prices for the new range"),
    RequestKind.SAMPLE: ("Samples for the tasting panel", "Samples of the organic line"),
    RequestKind.LISTING: ("Listing of three new items", "Delisting of a slow seller"),
    RequestKind.OTHER: ("Invoice copy for March", "Certificate of origin"),
}
KINDS = list(SUBJECTS)
KIND_WEIGHTS = [20, 35, 15, 15, 15]
_COMMITMENT_FKS = ["account", "owner", "their_owner", "activity", "plan_action", "tender", "author"]
_REQUEST_FKS = ["account", "owner", "stakeholder", "author"]


def _teams(account_ids: list[int]) -> dict[int, list[int]]:
    """User ids of each account's team, the owner first."""
    teams: dict[int, list[int]] = {}
    rows = AccountTeamMember.objects.filter(account_id__in=account_ids).order_by(
        "account_id", "role", "user_id"
    )
    for account_id, user_id, role in rows.values_list("account_id", "user_id", "role"):
        members = teams.setdefault(account_id, [])
        if role == TeamRole.OWNER:
            members.insert(0, user_id)
        else:
            members.append(user_id)
    return teams


def _people(account_ids: list[int]) -> dict[int, list[int]]:
    people: dict[int, list[int]] = {}
    rows = Stakeholder.objects.filter(account_id__in=account_ids).order_by("pk")
    for account_id, pk in rows.values_list("account_id", "pk"):
        people.setdefault(account_id, []).append(pk)
    return people


def _chunks(ids: list[int], size: int = 2000):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def load_commitments(*, seed: int, today: dt.date, accounts: dict[int, Account]) -> tuple[int, int]:
    """Write the commitments and requests; returns how many of each."""
    rng = random.Random(f"openkam-demo-commitments-{seed}")
    risks = accounts_at_risk(seed=seed, today=today)
    ordered = sorted(
        (a for a in accounts.values() if a.status != AccountStatus.PROSPECT), key=lambda a: a.pk
    )
    ids = [a.pk for a in ordered]
    teams: dict[int, list[int]] = {}
    people: dict[int, list[int]] = {}
    for chunk in _chunks(ids):
        teams.update(_teams(chunk))
        people.update(_people(chunk))
    tz = timezone.get_default_timezone()
    now = timezone.make_aware(dt.datetime.combine(today, dt.time(16, 0)), tz)
    w = parse_window("09:00-18:00")
    commitments: list[Commitment] = []
    requests: list[CustomerRequest] = []
    for account in ordered:
        team = teams.get(account.pk)
        if not team:
            continue
        risk = risks.get(account.pk)
        end = min(risk.lost_on, today) if risk and risk.lost_on else today
        start = end - dt.timedelta(days=int(365 * YEARS))
        key = account.status == AccountStatus.KEY
        if not key and rng.random() < 0.4:
            continue
        trouble = risk.trouble_from if risk else None
        context = _Account(account.pk, team, people.get(account.pk, []), trouble)
        per_year = (6, 8) if key else (1, 2)
        for _ in range(_count(rng, per_year[0] * YEARS)):
            promised = start + dt.timedelta(days=rng.randint(0, (end - start).days))
            commitments.append(_commitment(rng, context, promised, today))
        for _ in range(_count(rng, per_year[1] * YEARS)):
            day = start + dt.timedelta(days=rng.randint(0, (end - start).days))
            row = _request(rng, context, day, now, w, tz)
            if row is not None:
                requests.append(row)
        if trouble and trouble < end:  # more promises broken once trouble starts
            for _ in range(rng.randint(2, 4)):
                promised = trouble + dt.timedelta(days=rng.randint(0, (end - trouble).days))
                commitments.append(_commitment(rng, context, promised, today))
    for row in commitments:
        row.clean_fields(exclude=_COMMITMENT_FKS)
    for row in requests:
        row.clean_fields(exclude=_REQUEST_FKS)
    Commitment.objects.bulk_create(commitments, batch_size=2000)
    CustomerRequest.objects.bulk_create(requests, batch_size=2000)
    return len(commitments), len(requests)


class _Account:
    def __init__(self, pk: int, team: list[int], people: list[int], trouble: dt.date | None):
        self.pk, self.team, self.people, self.trouble = pk, team, people, trouble

    def troubled(self, day: dt.date) -> bool:
        return self.trouble is not None and day >= self.trouble

    def owner(self, rng: random.Random) -> int:
        return self.team[0] if rng.random() < 0.8 or len(self.team) == 1 else rng.choice(self.team)

    def person(self, rng: random.Random) -> int | None:
        return rng.choice(self.people) if self.people and rng.random() < 0.7 else None


def _count(rng: random.Random, mean: float) -> int:
    """A Poisson-distributed count (Knuth's method; the means here are small)."""
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _commitment(rng, account: _Account, promised: dt.date, today: dt.date) -> Commitment:
    ours = rng.random() < 0.75
    due = promised + dt.timedelta(days=rng.randint(3, 45))
    status, done_on, cancelled_on = CommitmentStatus.OPEN, None, None
    troubled = ours and account.troubled(due)
    roll = rng.random()
    if due >= today:
        if roll < 0.25:
            status, done_on = CommitmentStatus.DONE, min(today, promised + dt.timedelta(days=2))
    elif troubled:  # at an account in trouble: half left late, the rest done late
        if roll < 0.45:
            status, done_on = CommitmentStatus.DONE, due + dt.timedelta(days=rng.randint(5, 40))
        elif roll < 0.55:
            status, cancelled_on = (
                CommitmentStatus.CANCELLED,
                due + dt.timedelta(rng.randint(0, 20)),
            )
    elif roll < 0.9:  # healthy: mostly on time, a few days late now and then
        status, done_on = CommitmentStatus.DONE, due + dt.timedelta(days=rng.randint(-5, 4))
    elif roll < 0.95:
        status, cancelled_on = CommitmentStatus.CANCELLED, due
    elif due < today - dt.timedelta(days=60):  # old noise is done (late) by now
        status, done_on = CommitmentStatus.DONE, due + dt.timedelta(days=rng.randint(5, 30))
    if done_on is not None:
        done_on = max(min(done_on, today), promised)
    if cancelled_on is not None:
        cancelled_on = min(cancelled_on, today)
    return Commitment(
        account_id=account.pk,
        direction=Direction.OURS if ours else Direction.THEIRS,
        description=rng.choice(OURS if ours else THEIRS),
        owner_id=account.owner(rng),
        their_owner_id=account.person(rng),
        promised_on=promised,
        due_on=due,
        status=status,
        done_on=done_on,
        cancelled_on=cancelled_on,
    )


def _request(rng, account: _Account, day: dt.date, now, w, tz) -> CustomerRequest | None:
    if day.weekday() >= 5 and rng.random() < 0.7:
        day -= dt.timedelta(days=day.weekday() - 4)  # most requests come on working days
    received = timezone.make_aware(
        dt.datetime.combine(day, dt.time(rng.randint(7, 19), rng.randrange(0, 60, 5))), tz
    )
    if received >= now:
        return None
    kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
    troubled = account.troubled(day)
    answered = None
    if troubled and rng.random() < 0.15:
        answered = None  # never answered
    elif not troubled and received > now - dt.timedelta(days=30) and rng.random() < 0.03:
        answered = None  # the odd forgotten one
    else:
        median = 30.0 if troubled else 6.0
        hours = max(0.1, rng.lognormvariate(math.log(median), 0.9))
        answered = add_working_hours(received, hours, w)
        if answered >= now:
            answered = None
    closed = None
    if answered is not None and rng.random() < 0.85:
        closed = answered + dt.timedelta(hours=rng.lognormvariate(math.log(72), 1.0))
        if closed >= now:
            closed = None
    return CustomerRequest(
        account_id=account.pk,
        kind=kind,
        subject=rng.choice(SUBJECTS[kind]),
        stakeholder_id=account.person(rng),
        received_at=received,
        first_answered_at=answered,
        closed_at=closed,
        owner_id=account.owner(rng),
    )

"""Demo people data on top of the generated stakeholders: influence and attitude with some
history, coverage gaps (departments nobody is known in, weak decision makers) and a champion
who left one customer for another.

Draws from its own random generator (seeded from the demo seed) and reads the people the demo
loaded in their stored order, so the rest of the demo stays exactly as it was. It does not
depend on the demo activities: the gaps it makes are in the people, not in the log.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from django.db.models import Q

from openkam.accounts.models import Account, AccountStatus, AccountTeamMember, TeamRole
from openkam.stakeholders.models import (
    AssessedField,
    Attitude,
    BuyingRole,
    Department,
    DepartmentKind,
    Position,
    Stakeholder,
    StakeholderAssessment,
)
from openkam.users.models import User

ATTITUDE_WEIGHTS = {
    Attitude.CHAMPION: 10,
    Attitude.SUPPORTER: 30,
    Attitude.NEUTRAL: 40,
    Attitude.CRITIC: 12,
    Attitude.BLOCKER: 8,
}
INFLUENCE_BY_ROLE = {
    BuyingRole.DECISION_MAKER: (4, 5),
    BuyingRole.CHAMPION: (3, 4),
    BuyingRole.INFLUENCER: (3, 4),
    BuyingRole.BLOCKER: (3, 5),
    BuyingRole.GATEKEEPER: (2, 3),
    BuyingRole.USER: (1, 2),
}
# Key accounts get a department nobody is known in yet (a coverage gap) one time in four.
EMPTY_DEPARTMENTS = {"finance": "Treasury", "it": "E-commerce"}


def load_people(
    *,
    seed: int,
    today: dt.date,
    accounts: dict[int, Account],
    moved_emails: Sequence[str],
    actor: User,
) -> None:
    """Write the influence and attitude (and their history), the empty departments and the
    departed champion for the demo's accounts, in bulk."""
    rng = random.Random(f"openkam-demo-people-{seed}")
    account_ids = sorted(a.pk for a in accounts.values())
    owners = dict(
        AccountTeamMember.objects.filter(
            account_id__in=account_ids, role=TeamRole.OWNER
        ).values_list("account_id", "user_id")
    )
    authors = User.objects.in_bulk(set(owners.values()))
    people = list(
        Stakeholder.objects.filter(account_id__in=account_ids, active=True).order_by("pk")
    )
    history: list[StakeholderAssessment] = []

    def record(person: Stakeholder, field: str, value, since: dt.date) -> None:
        author = authors.get(owners.get(person.account_id)) or actor
        history.append(
            StakeholderAssessment(
                stakeholder=person, field=field, value=str(value), since=since, author=author
            )
        )

    champion = _champion(moved_emails)
    for person in people:
        if champion is not None and person.pk == champion[0].pk:
            continue
        if rng.random() < 0.25:  # not assessed yet
            continue
        low, high = INFLUENCE_BY_ROLE.get(person.buying_role, (1, 3))
        person.influence = rng.randint(low, high)
        person.attitude = rng.choices(list(ATTITUDE_WEIGHTS), list(ATTITUDE_WEIGHTS.values()))[0]
        since = today - dt.timedelta(days=rng.randint(30, 400))
        if rng.random() < 0.3:  # the attitude changed once: it has a history
            before = rng.choice([a for a in Attitude if a != person.attitude])
            record(
                person,
                AssessedField.ATTITUDE,
                before.value,
                since - dt.timedelta(days=rng.randint(90, 700)),
            )
        if rng.random() < 0.15:
            older = max(1, min(5, person.influence + rng.choice((-1, 1))))
            record(
                person,
                AssessedField.INFLUENCE,
                older,
                since - dt.timedelta(days=rng.randint(60, 500)),
            )
        record(person, AssessedField.INFLUENCE, person.influence, since)
        record(person, AssessedField.ATTITUDE, person.attitude, since)
        # some decision makers we hardly know: a gap
        if person.buying_role == BuyingRole.DECISION_MAKER and rng.random() < 0.3:
            person.relationship_strength = rng.choice((1, 2))
    Stakeholder.objects.bulk_update(
        people, ["influence", "attitude", "relationship_strength"], batch_size=1000
    )
    if champion is not None:
        _departed_champion(*champion, record)
    for row in history:
        row.full_clean(exclude=["stakeholder", "author"])
    StakeholderAssessment.objects.bulk_create(history, batch_size=1000)
    _empty_departments(rng, accounts)


def _champion(moved_emails: Sequence[str]) -> tuple[Stakeholder, Position] | None:
    """The first person who moved, and the position they left."""
    if not moved_emails:
        return None
    person = Stakeholder.objects.filter(email=moved_emails[0]).first()
    if person is None:
        return None
    left = (
        person.positions.filter(~Q(account_id=person.account_id), ended_on__isnull=False)
        .order_by("-ended_on")
        .first()
    )
    return None if left is None else (person, left)


def _departed_champion(person: Stakeholder, left: Position, record) -> None:
    """The first person who moved was a champion at the account they left: a loss there, and
    a new door at the customer they joined."""
    Position.objects.filter(pk=left.pk).update(buying_role=BuyingRole.CHAMPION)
    Stakeholder.objects.filter(pk=person.pk).update(
        attitude=Attitude.CHAMPION, influence=4, relationship_strength=5
    )
    record(person, AssessedField.ATTITUDE, Attitude.CHAMPION.value, left.started_on)
    record(person, AssessedField.INFLUENCE, 4, left.started_on)


def _empty_departments(rng, accounts: dict[int, Account]) -> None:
    """A quarter of the key accounts (at least one) have a department nobody is known in yet."""
    kinds = {k.code: k for k in DepartmentKind.objects.filter(code__in=EMPTY_DEPARTMENTS)}
    if not kinds:
        return
    rows = []
    for ref in sorted(accounts):
        account = accounts[ref]
        if account.status != AccountStatus.KEY:
            continue
        code = rng.choice(sorted(kinds))
        if rng.random() < 0.25 or not rows:
            rows.append(Department(account=account, kind=kinds[code], name=EMPTY_DEPARTMENTS[code]))
    Department.objects.bulk_create(rows, ignore_conflicts=True)

"""Demo key-account records that fit the demo accounts: every key account was nominated (by the
director, for its owner) and typed and rated by its owner; some were handed over from the
manager who still supports them; some lost accounts were key once and de-nominated; prospects
have answers to the three P's; some active accounts are rated, so the candidates list has a
ranking to show.

The plan draws from its own random generator (seeded from the demo seed), so adding it left the
rest of the demo exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models

from openkam.accounts.models import Account, AccountStatus, TeamRole
from openkam.core.changelog import creation_changes
from openkam.core.models import ChangeAction, ChangeLogEntry
from openkam.keyaccounts.models import (
    Answer,
    Handover,
    KeyAccountType,
    KeyAccountTypeAssignment,
    NominationDecision,
    NominationKind,
    ProspectAssessment,
    ProspectCriterion,
    QualificationRating,
    QualificationWeights,
    RatedCriterion,
)
from openkam.users.models import User

DIRECTOR = "director"

NOMINATION_REASONS = (
    "Buys every month and has grown {n} % a year for three years.",
    "Leader of its segment in the region; our products fit its whole range.",
    "Top-20 customer by revenue; the buying centre knows us well.",
    "Opening {n} new outlets; wants one supplier for the whole category.",
    "Pays on time and rarely haggles; room to cross-sell the premium line.",
    "A competitor is courting them: a dedicated manager protects the account.",
)
DENOMINATION_REASONS = (
    "Lost to {competitor}; no orders for over a year.",
    "Volumes fell below the key-account threshold after they changed strategy.",
    "Moved buying to their regional head office; served from there now.",
)
TYPE_WEIGHTS = {
    KeyAccountType.SUPPORTER: 45,
    KeyAccountType.IMAGE_MAKER: 20,
    KeyAccountType.EXPERT: 20,
    KeyAccountType.PROSPECTIVE: 15,
}
TYPE_REASONS = {
    KeyAccountType.SUPPORTER: (
        "About {n} % of our revenue, customer for many years.",
        "Our breadwinner in the country: steady orders every month.",
    ),
    KeyAccountType.IMAGE_MAKER: (
        "Best-known name in its market; other buyers follow what they list.",
        "Industry leader in the region: a reference we quote in every tender.",
    ),
    KeyAccountType.EXPERT: (
        "Audits our plant every year; their feedback improved our packaging.",
        "Very demanding on service levels; knows the market better than we do.",
    ),
    KeyAccountType.PROSPECTIVE: (
        "New customer with a large budget; still buys most from a competitor.",
        "Expanding fast; could double its orders within two years.",
    ),
}
RATING_COMMENTS = {
    RatedCriterion.FIT: (
        "Uses most of our range",
        "Buys one category only",
        "Our premium line suits their shoppers",
    ),
    RatedCriterion.RELATIONSHIP: (
        "Regular meetings with the buying director",
        "Good contacts in buying, none in operations yet",
        "Strong since the joint promotion last year",
    ),
    RatedCriterion.CULTURE: (
        "Decide quickly, like us",
        "Very hierarchical; decisions take months",
        "Family business with long-term thinking",
    ),
}
THREE_PS_EVIDENCE = {
    ProspectCriterion.NEED: {
        Answer.YES: ("Asked for a quotation after the trade fair", "Tender published in the press"),
        Answer.NO: ("Long contract with a competitor until next year",),
    },
    ProspectCriterion.SOLVENCY: {
        Answer.YES: ("Audited accounts show a healthy cash position", "Paid a trial order upfront"),
        Answer.NO: ("Credit agency rates them high risk",),
    },
    ProspectCriterion.AUTHORITY: {
        Answer.YES: ("Local managing director signs supplier contracts", "Met the owner in person"),
        Answer.NO: ("Suppliers are chosen by the regional head office",),
    },
}
HANDOVER_NOTES = (
    "Handed over when {old} moved to the new accounts in the north. Open points: price review "
    "in Q3 and the listing of two new products.",
    "{old} stays on the team for continuity. The buying director prefers calls to e-mail; the "
    "annual agreement is renewed every January.",
    "Rebalanced workload: {old} was over capacity. Watch the competitor's promotion this quarter.",
)
DEMO_WEIGHTS = {
    "fit": 3,
    "relationship": 2,
    "culture": 1,
    "repurchase_frequency": 3,
    "volume": 3,
    "price_discipline": 2,
}


@dataclass(frozen=True)
class DecisionSpec:
    account: int
    kind: str
    owner: str | None
    decided_on: dt.date
    reason: str
    previous_status: str


@dataclass(frozen=True)
class TypeSpec:
    account: int
    type: str
    reason: str
    by: str
    on: dt.date


@dataclass(frozen=True)
class AnswerSpec:
    account: int
    criterion: str
    answer: str
    evidence: str
    by: str
    on: dt.date


@dataclass(frozen=True)
class RatingSpec:
    account: int
    criterion: str
    score: int
    comment: str
    by: str
    on: dt.date


@dataclass(frozen=True)
class HandoverSpec:
    account: int
    from_owner: str
    to_owner: str
    note: str
    on: dt.date


@dataclass
class KeyAccountPlan:
    decisions: list[DecisionSpec] = field(default_factory=list)
    types: list[TypeSpec] = field(default_factory=list)
    answers: list[AnswerSpec] = field(default_factory=list)
    ratings: list[RatingSpec] = field(default_factory=list)
    handovers: list[HandoverSpec] = field(default_factory=list)
    weights: dict[str, int] = field(default_factory=lambda: dict(DEMO_WEIGHTS))


def plan_key_accounts(*, seed: int, today: dt.date, accounts, kams: tuple[str, ...]):
    """The key-account records for the demo's account specs (plain data, no database)."""
    rng = random.Random(f"openkam-demo-key-accounts-{seed}")
    plan = KeyAccountPlan()

    def days_before(day: dt.date, low: int, high: int) -> dt.date:
        return min(day, today) - dt.timedelta(days=rng.randint(low, high))

    def after(day: dt.date) -> dt.date:
        return min(today, day + dt.timedelta(days=rng.randint(1, 60)))

    for spec in accounts:
        owner = spec.owner
        if spec.status == AccountStatus.KEY and owner:
            since = spec.owner_since or days_before(today, 60, 900)
            supporters = [m.username for m in spec.team if m.role == TeamRole.SUPPORT]
            supporters = [u for u in supporters if u in kams and u != owner]
            first_owner = owner
            if supporters and rng.random() < 0.3:
                first_owner = supporters[0]
                plan.handovers.append(
                    HandoverSpec(
                        spec.ref,
                        first_owner,
                        owner,
                        rng.choice(HANDOVER_NOTES).format(old=first_owner),
                        since,
                    )
                )
                since = days_before(since, 200, 900)
            plan.decisions.append(
                DecisionSpec(
                    spec.ref,
                    NominationKind.NOMINATE,
                    first_owner,
                    since,
                    rng.choice(NOMINATION_REASONS).format(n=rng.randint(8, 30)),
                    rng.choices([AccountStatus.ACTIVE, AccountStatus.PROSPECT], [4, 1])[0],
                )
            )
            kind = rng.choices(list(TYPE_WEIGHTS), list(TYPE_WEIGHTS.values()))[0]
            plan.types.append(
                TypeSpec(
                    spec.ref,
                    kind,
                    rng.choice(TYPE_REASONS[kind]).format(n=rng.randint(10, 25)),
                    owner,
                    after(since),
                )
            )
            _rate(rng, plan, spec.ref, owner, after(since), low=3)
        elif spec.status == AccountStatus.LOST and owner and rng.random() < 0.4:
            nominated = days_before(today, 900, 2000)
            plan.decisions += [
                DecisionSpec(
                    spec.ref,
                    NominationKind.NOMINATE,
                    owner,
                    nominated,
                    rng.choice(NOMINATION_REASONS).format(n=rng.randint(8, 30)),
                    AccountStatus.ACTIVE,
                ),
                DecisionSpec(
                    spec.ref,
                    NominationKind.DENOMINATE,
                    owner,
                    days_before(today, 30, 600),
                    rng.choice(DENOMINATION_REASONS).format(competitor="a competitor"),
                    AccountStatus.KEY,
                ),
            ]
        elif spec.status == AccountStatus.PROSPECT and rng.random() < 0.7:
            on = days_before(today, 5, 200)
            for criterion in ProspectCriterion.values:
                answer = rng.choices([Answer.YES, Answer.UNKNOWN, Answer.NO], [5, 3, 2])[0]
                evidence = (
                    ""
                    if answer == Answer.UNKNOWN
                    else rng.choice(THREE_PS_EVIDENCE[ProspectCriterion(criterion)][answer])
                )
                plan.answers.append(
                    AnswerSpec(spec.ref, criterion, answer, evidence, owner or DIRECTOR, on)
                )
        elif spec.status == AccountStatus.ACTIVE and rng.random() < 0.3:
            _rate(rng, plan, spec.ref, owner or DIRECTOR, days_before(today, 5, 300), low=2)
    return plan


def _rate(rng: random.Random, plan: KeyAccountPlan, ref: int, by: str, on: dt.date, low: int):
    for criterion in RatedCriterion.values:
        plan.ratings.append(
            RatingSpec(
                ref,
                criterion,
                rng.randint(low, 5),
                rng.choice(RATING_COMMENTS[RatedCriterion(criterion)]),
                by,
                on,
            )
        )


def _at_noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def load_key_accounts(
    *, plan: KeyAccountPlan, accounts: dict[int, Account], users: dict[str, User]
) -> None:
    """Write the plan in bulk after the models' validation, dated as planned, with the
    change-log entries the services would write."""
    rows: list[tuple[models.Model, dt.date]] = []
    for d in plan.decisions:
        decision = NominationDecision(
            account=accounts[d.account],
            kind=d.kind,
            reason=d.reason,
            decided_on=d.decided_on,
            decided_by=users[DIRECTOR],
            owner=users[d.owner] if d.owner else None,
            previous_status=d.previous_status,
        )
        rows.append((decision, d.decided_on))
    for t in plan.types:
        rows.append(
            (
                KeyAccountTypeAssignment(
                    account=accounts[t.account], type=t.type, reason=t.reason, set_by=users[t.by]
                ),
                t.on,
            )
        )
    for a in plan.answers:
        rows.append(
            (
                ProspectAssessment(
                    account=accounts[a.account],
                    criterion=a.criterion,
                    answer=a.answer,
                    evidence=a.evidence,
                    assessed_by=users[a.by],
                ),
                a.on,
            )
        )
    for r in plan.ratings:
        rows.append(
            (
                QualificationRating(
                    account=accounts[r.account],
                    criterion=r.criterion,
                    score=r.score,
                    comment=r.comment,
                    rated_by=users[r.by],
                ),
                r.on,
            )
        )
    for h in plan.handovers:
        rows.append(
            (
                Handover(
                    account=accounts[h.account],
                    from_owner=users[h.from_owner],
                    to_owner=users[h.to_owner],
                    note=h.note,
                    handed_over_by=users[DIRECTOR],
                ),
                h.on,
            )
        )
    by_model: dict[type[models.Model], list[tuple[models.Model, dt.date]]] = {}
    for row, on in rows:
        relations = [f.name for f in row._meta.concrete_fields if f.is_relation]
        row.full_clean(exclude=relations, validate_constraints=False)
        by_model.setdefault(type(row), []).append((row, on))
    for model, dated in by_model.items():
        objects = [row for row, _on in dated]
        model.objects.bulk_create(objects)
        # auto_now_add stamped them now; bulk_update writes the planned dates back.
        for row, on in dated:
            row.created_at = row.updated_at = _at_noon(on)
        model.objects.bulk_update(objects, ["created_at", "updated_at"])
        _log_creations(model, objects)
    weights = QualificationWeights(
        set_by=users[DIRECTOR], note="Demo: agreed at the sales directors' meeting", **plan.weights
    )
    weights.full_clean()
    weights.save()
    _log_creations(QualificationWeights, [weights])


# Who wrote each kind of row: the change log names them, as the services would.
_AUTHOR_FIELDS = {
    NominationDecision: "decided_by",
    KeyAccountTypeAssignment: "set_by",
    ProspectAssessment: "assessed_by",
    QualificationRating: "rated_by",
    Handover: "handed_over_by",
    QualificationWeights: "set_by",
}


def _log_creations(model: type[models.Model], objects: list) -> None:
    content_type = ContentType.objects.get_for_model(model)
    author = _AUTHOR_FIELDS[model]
    ChangeLogEntry.objects.bulk_create(
        ChangeLogEntry(
            user=getattr(obj, author),
            username=getattr(obj, author).get_username(),
            action=ChangeAction.CREATE,
            content_type=content_type,
            object_id=obj.pk,
            object_repr=str(obj)[:250],
            account_id=getattr(obj, "account_id", None),
            changes=creation_changes(obj),
        )
        for obj in objects
    )

"""Reads on key accounts, always starting from `visible_to`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from openkam.accounts.models import Account, AccountStatus, AccountTeamMember, TeamRole
from openkam.accounts.selectors import with_owner
from openkam.users.models import User
from openkam.users.roles import Role

from .models import (
    Answer,
    Handover,
    KeyAccountType,
    KeyAccountTypeAssignment,
    NominationDecision,
    ProspectAssessment,
    ProspectCriterion,
    QualificationRating,
    QualificationWeights,
    RatedCriterion,
)

# Accounts that may become key accounts: neither key already nor lost.
CANDIDATE_STATUSES = (AccountStatus.PROSPECT, AccountStatus.ACTIVE)


# -- Capacity -----------------------------------------------------------------------------


def key_accounts_owned(*, user: User) -> int:
    """How many key accounts `user` owns today (every account: capacity is a business rule,
    not a matter of who asks)."""
    return AccountTeamMember.objects.filter(
        user=user, role=TeamRole.OWNER, account__status=AccountStatus.KEY
    ).count()


@dataclass(frozen=True)
class Capacity:
    owned: int
    maximum: int | None

    @property
    def headroom(self) -> int | None:
        return None if self.maximum is None else self.maximum - self.owned

    @property
    def over(self) -> bool:
        return self.maximum is not None and self.owned > self.maximum

    def full_after_one_more(self) -> bool:
        """True when one more key account would take the manager over their limit."""
        return self.maximum is not None and self.owned + 1 > self.maximum


def capacity_of(*, user: User) -> Capacity:
    return Capacity(key_accounts_owned(user=user), user.max_key_accounts)


@dataclass
class WorkloadRow:
    user: User
    key_accounts: list[Account] = field(default_factory=list)
    other_accounts: int = 0

    @property
    def capacity(self) -> Capacity:
        return Capacity(len(self.key_accounts), self.user.max_key_accounts)

    @property
    def key_count(self) -> int:
        return len(self.key_accounts)


def workload(*, user: User) -> list[WorkloadRow]:
    """Every key account manager (and anyone else who owns a key account) with the key accounts
    they own among those `user` may see, and how many other accounts they own. Three queries,
    whatever the number of managers."""
    visible = Account.objects.visible_to(user, "view")
    owners = (
        AccountTeamMember.objects.filter(role=TeamRole.OWNER, account__in=visible.values("pk"))
        .select_related("account")
        .order_by("account__name", "account_id")
    )
    key_by_user: dict[int, list[Account]] = defaultdict(list)
    others: dict[int, int] = defaultdict(int)
    for member in owners:
        if member.account.status == AccountStatus.KEY:
            key_by_user[member.user_id].append(member.account)
        else:
            others[member.user_id] += 1
    people = User.objects.filter(
        Q(is_active=True, groups__name=Role.KEY_ACCOUNT_MANAGER.value) | Q(pk__in=key_by_user)
    ).distinct()
    return [
        WorkloadRow(person, key_by_user.get(person.pk, []), others.get(person.pk, 0))
        for person in sorted(people, key=lambda u: u.username)
    ]


# -- Current state of one account -----------------------------------------------------------


def current_type(*, account: Account) -> KeyAccountTypeAssignment | None:
    return (
        KeyAccountTypeAssignment.objects.filter(account=account)
        .select_related("set_by")
        .order_by("-created_at", "-id")
        .first()
    )


def _latest_per_criterion(rows, criteria) -> dict[str, object | None]:
    latest: dict[str, object | None] = dict.fromkeys(criteria)
    for row in rows:  # newest first
        if latest.get(row.criterion) is None:
            latest[row.criterion] = row
    return latest


def current_three_ps(*, account: Account) -> dict[str, ProspectAssessment | None]:
    """The latest answer to each of the three P's (None: never answered), in their order."""
    rows = (
        ProspectAssessment.objects.filter(account=account)
        .select_related("assessed_by")
        .order_by("-created_at", "-id")
    )
    return _latest_per_criterion(rows, ProspectCriterion.values)  # type: ignore[return-value]


def current_ratings(*, account: Account) -> dict[str, QualificationRating | None]:
    rows = (
        QualificationRating.objects.filter(account=account)
        .select_related("rated_by")
        .order_by("-created_at", "-id")
    )
    return _latest_per_criterion(rows, RatedCriterion.values)  # type: ignore[return-value]


def three_ps_passed(answers: dict[str, ProspectAssessment | None]) -> bool:
    return all(a is not None and a.answer == Answer.YES for a in answers.values())


def current_weights() -> QualificationWeights:
    """The weights in force: the latest a director set, else every criterion counting 1
    (an unsaved row)."""
    return QualificationWeights.objects.select_related("set_by").first() or QualificationWeights()


def weights_history() -> QuerySet[QualificationWeights]:
    return QualificationWeights.objects.select_related("set_by")


@dataclass(frozen=True)
class TypeSuggestion:
    type: KeyAccountType
    because: str


def suggested_type(*, account: Account) -> TypeSuggestion | None:
    """ENGINE HOOK: the type the sales data suggests for the account — supporter (≥ 10 % of
    revenue over a long relationship) or prospective (new, large budget). The analytics engine
    will answer here from its metrics snapshots; until it does there is no suggestion, and the
    pages say so. Image-maker and expert are never suggested: only the team can judge them."""
    return None


def account_decisions(*, user: User, account: Account) -> QuerySet[NominationDecision]:
    return (
        NominationDecision.objects.visible_to(user, "view")
        .filter(account=account)
        .select_related("decided_by", "owner")
    )


def account_handovers(*, user: User, account: Account) -> QuerySet[Handover]:
    return (
        Handover.objects.visible_to(user, "view")
        .filter(account=account)
        .select_related("from_owner", "to_owner", "handed_over_by")
    )


def account_type_history(*, user: User, account: Account) -> QuerySet[KeyAccountTypeAssignment]:
    return (
        KeyAccountTypeAssignment.objects.visible_to(user, "view")
        .filter(account=account)
        .select_related("set_by")
    )


def account_three_ps_history(*, user: User, account: Account) -> QuerySet[ProspectAssessment]:
    return (
        ProspectAssessment.objects.visible_to(user, "view")
        .filter(account=account)
        .select_related("assessed_by")
    )


def account_rating_history(*, user: User, account: Account) -> QuerySet[QualificationRating]:
    return (
        QualificationRating.objects.visible_to(user, "view")
        .filter(account=account)
        .select_related("rated_by")
    )


# -- Lists ------------------------------------------------------------------------------------


def _latest(model, column: str, **match):
    rows = model.objects.filter(account=OuterRef("pk"), **match).order_by("-created_at", "-id")
    return Subquery(rows.values(column)[:1])


def _yes(name: str) -> Case:
    return Case(When(**{name: Answer.YES}, then=Value(1)), default=Value(0))


def with_qualification(queryset: QuerySet[Account]) -> QuerySet[Account]:
    """Annotate each account with its current type (`current_type`), the latest answer to each
    P (`p_need`, `p_solvency`, `p_authority`), how many of them are yes (`ps_passed`), the
    team's latest rating of each criterion (`r_fit`, `r_relationship`, `r_culture`) and their
    sum (`ratings_total`) — in the same query as the accounts."""
    annotations = {"current_type": _latest(KeyAccountTypeAssignment, "type")}
    for criterion in ProspectCriterion.values:
        annotations[f"p_{criterion}"] = _latest(ProspectAssessment, "answer", criterion=criterion)
    for criterion in RatedCriterion.values:
        annotations[f"r_{criterion}"] = _latest(QualificationRating, "score", criterion=criterion)
    queryset = queryset.annotate(**annotations)
    return queryset.annotate(
        ps_passed=_yes("p_need") + _yes("p_solvency") + _yes("p_authority"),
        ratings_total=Coalesce("r_fit", 0, output_field=IntegerField())
        + Coalesce("r_relationship", 0, output_field=IntegerField())
        + Coalesce("r_culture", 0, output_field=IntegerField()),
    )


def candidate_list(*, user: User) -> QuerySet[Account]:
    """Accounts that could become key accounts, ranked: prospects passing more of the three P's
    first, then by the team's ratings. The engine's data-driven criteria (repurchase frequency,
    volume, price discipline) and the weighted score will join this ranking when it is ready."""
    accounts = Account.objects.visible_to(user, "view").filter(status__in=CANDIDATE_STATUSES)
    return (
        with_qualification(with_owner(accounts))
        .select_related("segment")
        .order_by("-ps_passed", "-ratings_total", "name", "id")
    )


def nomination_list(*, user: User) -> QuerySet[NominationDecision]:
    return NominationDecision.objects.visible_to(user, "view").select_related(
        "account", "decided_by", "owner"
    )

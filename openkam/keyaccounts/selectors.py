"""Reads on key accounts, always starting from `visible_to`."""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from openkam.accounts.models import Account, AccountStatus, AccountTeamMember, TeamRole
from openkam.accounts.querysets import account_scope
from openkam.accounts.selectors import with_owner
from openkam.core.formatting import day
from openkam.metrics import portfolio as figures_of
from openkam.metrics import selectors as metrics_selectors
from openkam.metrics.models import AccountMetrics, AccountPeriodMetrics, SeriesPoint, Snapshot
from openkam.users.models import User
from openkam.users.roles import Role

from . import scorecard as rules
from .models import (
    SCORECARD_CRITERIA,
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

# Accounts that may become key accounts: neither key already nor lost.
CANDIDATE_STATUSES = (AccountStatus.PROSPECT, AccountStatus.ACTIVE)


# -- Key accounts on a date --------------------------------------------------------------


def key_accounts_on(day: dt.date) -> set[int]:
    """The accounts that were key accounts on `day`, by the nomination decisions (the only way
    an account becomes key or stops being one): those whose latest decision by then was a
    nomination, or, without a decision by then, whose first later decision was a
    de-nomination (it was key until then). An account that is key today without any decision
    on record (made key before decisions were recorded) counts as key on every date."""
    state: dict[int, bool] = {}
    decisions = NominationDecision.objects.order_by(
        "account_id", "decided_on", "created_at", "id"
    ).values_list("account_id", "kind", "decided_on")
    for account_id, kind, decided_on in decisions.iterator(chunk_size=5000):
        if decided_on <= day:
            state[account_id] = kind == NominationKind.NOMINATE
        elif account_id not in state:
            state[account_id] = kind == NominationKind.DENOMINATE
    keys = {pk for pk, is_key in state.items() if is_key}
    undocumented = Account.objects.filter(status=AccountStatus.KEY).exclude(
        pk__in=NominationDecision.objects.values("account_id")
    )
    keys.update(undocumented.values_list("pk", flat=True))
    return keys


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


@dataclass(frozen=True)
class ManagerFigures:
    """How a manager's accounts did in the 12 months to the latest snapshot's date: revenue,
    growth on the 12 months before and retention (the accounts they owned at that date, from
    the engine's per-owner series), and the revenue their key accounts bring (today's key
    accounts: the revenue they cover)."""

    as_of: object
    revenue: Decimal | None
    growth: float | None
    retention_rate: float | None
    revenue_covered: Decimal


@dataclass
class WorkloadRow:
    user: User
    key_accounts: list[Account] = field(default_factory=list)
    other_accounts: int = 0
    figures: ManagerFigures | None = None

    @property
    def capacity(self) -> Capacity:
        return Capacity(len(self.key_accounts), self.user.max_key_accounts)

    @property
    def key_count(self) -> int:
        return len(self.key_accounts)


def workload(*, user: User) -> list[WorkloadRow]:
    """Every key account manager (and anyone else who owns a key account) with the key accounts
    they own among those `user` may see, and how many other accounts they own; for a user who
    sees every account, each manager's retention, growth and revenue covered from the latest
    metrics snapshot. Five queries, whatever the number of managers."""
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
    rows = [
        WorkloadRow(person, key_by_user.get(person.pk, []), others.get(person.pk, 0))
        for person in sorted(people, key=lambda u: u.username)
    ]
    if account_scope(user, "view") == Q():
        _add_manager_figures(rows)
    return rows


def _add_manager_figures(rows: list[WorkloadRow]) -> None:
    snapshot = metrics_selectors.snapshot_for()
    if snapshot is None:
        return
    series = {
        (point["key"], point["index"]): point
        for point in SeriesPoint.objects.filter(
            snapshot=snapshot,
            period="year",
            group="owner",
            key__in=[str(row.user.pk) for row in rows],
            index__in=(0, 1),
        ).values("key", "index", "revenue", "retention_rate")
    }
    key_ids = [account.pk for row in rows for account in row.key_accounts]
    revenue = dict(
        AccountPeriodMetrics.objects.filter(
            snapshot=snapshot, period="year", account_id__in=key_ids
        ).values_list("account_id", "revenue")
    )
    covered = figures_of.coverage(snapshot.periods["year"])
    for row in rows:
        now = series.get((str(row.user.pk), 0)) or {}
        before = series.get((str(row.user.pk), 1)) or {}
        value, previous = now.get("revenue"), before.get("revenue")
        growth = figures_of.growth_figures(value or 0, previous, None, covered)["growth_prev"]
        row.figures = ManagerFigures(
            as_of=snapshot.as_of,
            revenue=value,
            growth=growth if value is not None else None,
            retention_rate=now.get("retention_rate"),
            revenue_covered=sum(
                (revenue.get(a.pk, Decimal(0)) for a in row.key_accounts), Decimal(0)
            ),
        )


# -- Current state of one account -----------------------------------------------------------


def current_type(*, account: Account) -> KeyAccountTypeAssignment | None:
    return (
        KeyAccountTypeAssignment.objects.filter(account=account)
        .select_related("set_by")
        .order_by("-created_at", "-id")
        .first()
    )


def latest_per_criterion(rows, criteria) -> dict[str, object | None]:
    """Each criterion's newest row among `rows` (newest first); None where there is none."""
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
    return latest_per_criterion(rows, ProspectCriterion.values)  # type: ignore[return-value]


def current_ratings(*, account: Account) -> dict[str, QualificationRating | None]:
    rows = (
        QualificationRating.objects.filter(account=account)
        .select_related("rated_by")
        .order_by("-created_at", "-id")
    )
    return latest_per_criterion(rows, RatedCriterion.values)  # type: ignore[return-value]


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


# -- What the latest metrics snapshot says about each account --------------------------------

_FACTS: OrderedDict[tuple, dict[int, rules.AccountFacts]] = OrderedDict()
_FACTS_LOCK = threading.Lock()
_FACTS_KEPT = 4


def snapshot_facts(snapshot: Snapshot) -> dict[int, rules.AccountFacts]:
    """Every account's facts in `snapshot` (rhythm, revenue and its rank, discount depth and
    its rank, growth), read in two queries and kept in memory: a finished snapshot never
    changes, so the key (id and finish time) is enough."""
    key = (snapshot.pk, snapshot.finished_at)
    with _FACTS_LOCK:
        if key in _FACTS:
            _FACTS.move_to_end(key)
            return _FACTS[key]
    facts = _read_facts(snapshot)
    with _FACTS_LOCK:
        _FACTS[key] = facts
        while len(_FACTS) > _FACTS_KEPT:
            _FACTS.popitem(last=False)
    return facts


def _read_facts(snapshot: Snapshot) -> dict[int, rules.AccountFacts]:
    state = {
        account_id: (rhythm, interval, lost, first)
        for account_id, rhythm, interval, lost, first in AccountMetrics.objects.filter(
            snapshot=snapshot
        ).values_list("account_id", "rhythm", "median_interval", "lost", "first_purchase")
    }
    year = list(
        AccountPeriodMetrics.objects.filter(snapshot=snapshot, period="year").values_list(
            "account_id", "revenue", "growth_prev", "new_in_period", "discount_depth", "haggler"
        )
    )
    revenues = sorted(row[1] for row in year if row[1] > 0)
    depths = sorted(row[4] for row in year if row[1] > 0 and row[4] is not None)
    facts: dict[int, rules.AccountFacts] = {}
    for account_id, (rhythm, interval, lost, first) in state.items():
        facts[account_id] = rules.AccountFacts(
            bought=True, rhythm=rhythm, median_interval=interval, lost=lost, first_purchase=first
        )
    for account_id, revenue, growth, new, depth, haggler in year:
        before = facts.get(account_id, rules.AccountFacts())
        positive = revenue > 0
        facts[account_id] = rules.AccountFacts(
            bought=before.bought or positive,
            rhythm=before.rhythm,
            median_interval=before.median_interval,
            lost=before.lost,
            first_purchase=before.first_purchase,
            in_year=True,
            revenue=revenue,
            growth_prev=growth,
            new_in_period=new,
            volume_rank=rules.rank_at_or_below(revenues, revenue) if positive else None,
            discount_depth=depth if positive else None,
            depth_rank=rules.rank_below(depths, depth) if positive and depth is not None else None,
            haggler=haggler,
        )
    return facts


def _year_revenue(snapshot: Snapshot) -> Decimal:
    return Decimal(snapshot.periods.get("year", {}).get("headline", {}).get("revenue") or "0")


def suggested_type(*, account: Account, snapshot: Snapshot | None = None) -> TypeSuggestion | None:
    """The type the latest metrics snapshot suggests for the account — supporter (≥ 10 % of the
    last 12 months' revenue, a customer for two years or more) or prospective (revenue up
    20 % or more, or new and already in the top fifth) — with the reason. Image-maker and
    expert are never suggested: only the team can judge them."""
    snapshot = snapshot or metrics_selectors.snapshot_for()
    if snapshot is None:
        return None
    found = rules.suggest(
        snapshot_facts(snapshot).get(account.pk),
        as_of=snapshot.as_of,
        total_revenue=_year_revenue(snapshot),
    )
    return TypeSuggestion(KeyAccountType(found.type), found.because) if found else None


# -- The qualification scorecard ---------------------------------------------------------------


@dataclass(frozen=True)
class CriterionScore:
    name: str
    label: str
    source: str  # "team" or "data"
    value: int | None
    detail: str
    weight: int
    share: float

    @property
    def contribution(self) -> float:
        return self.share * (self.value or 0)


@dataclass(frozen=True)
class Scorecard:
    criteria: list[CriterionScore]
    as_of: object | None  # the snapshot's date the data criteria come from, or None
    prospect_passes_three_ps: bool = False

    @property
    def score(self) -> float:
        return sum(c.contribution for c in self.criteria)

    @property
    def known(self) -> int:
        return sum(c.value is not None for c in self.criteria)

    @property
    def qualifying_score(self) -> float:
        return rules.QUALIFYING_SCORE

    @property
    def qualifies(self) -> bool:
        return rules.qualifies(self.score, prospect_passes_three_ps=self.prospect_passes_three_ps)


def scorecard(
    *,
    account: Account,
    snapshot: Snapshot | None = None,
    ratings: dict[str, QualificationRating | None] | None = None,
    three_ps: dict[str, ProspectAssessment | None] | None = None,
    weights: QualificationWeights | None = None,
) -> Scorecard:
    """The account's six criteria with their values, the directors' weights and each one's
    contribution to the score. Four queries (snapshot, ratings, weights, three P's; pass the
    ratings and answers already read) plus the snapshot's facts, read once per snapshot."""
    snapshot = snapshot or metrics_selectors.snapshot_for()
    facts = snapshot_facts(snapshot).get(account.pk) if snapshot else None
    data = rules.data_values(facts)
    if snapshot is None:
        data = dict.fromkeys(rules.DATA_CRITERIA, (None, gettext("no metrics snapshot yet")))
    if ratings is None:
        ratings = current_ratings(account=account)
    weights = weights or current_weights()
    shares = weights.shares()
    criteria = []
    for name, label in SCORECARD_CRITERIA.items():
        if name in rules.TEAM_CRITERIA:
            row = ratings.get(name)
            value = row.score if row else None
            detail = (
                f"{row.comment} — {row.rated_by.get_username()}, {day(row.created_at)}"
                if row
                else gettext("not rated yet")
            )
            source = "team"
        else:
            value, detail = data[name]
            source = "data"
        criteria.append(
            CriterionScore(
                name, str(label), source, value, detail, getattr(weights, name), shares[name]
            )
        )
    passes = account.status == AccountStatus.PROSPECT and three_ps_passed(
        three_ps if three_ps is not None else current_three_ps(account=account)
    )
    return Scorecard(criteria, snapshot.as_of if snapshot else None, passes)


HISTORY_SHOWN = 50


@dataclass
class KeyAccountHistory:
    """What the key-account tab lists, newest first: every decision and handover, and up to
    `HISTORY_SHOWN` type, three-P and rating rows (one more is read, to know whether the
    list is complete)."""

    decisions: list[NominationDecision]
    handovers: list[Handover]
    types: list[KeyAccountTypeAssignment]
    three_ps: list[ProspectAssessment]
    ratings: list[QualificationRating]

    @classmethod
    def of(cls, *, user: User, account: Account) -> KeyAccountHistory:
        def newest(queryset) -> list:
            return list(queryset[: HISTORY_SHOWN + 1])

        return cls(
            decisions=list(account_decisions(user=user, account=account)),
            handovers=list(account_handovers(user=user, account=account)),
            types=newest(account_type_history(user=user, account=account)),
            three_ps=newest(account_three_ps_history(user=user, account=account)),
            ratings=newest(account_rating_history(user=user, account=account)),
        )


@dataclass
class KeyAccountState:
    type: KeyAccountTypeAssignment | None
    three_ps: dict[str, ProspectAssessment | None]
    ratings: dict[str, QualificationRating | None]
    latest_decision: NominationDecision | None
    latest_handover: Handover | None


def key_account_state(
    *, user: User, account: Account, history: KeyAccountHistory | None = None
) -> KeyAccountState:
    """The account's current type, three-P answers, ratings, latest decision and handover:
    read off `history` where it holds every row, asked of the database otherwise."""

    def complete(rows: list) -> bool:
        return len(rows) <= HISTORY_SHOWN

    if history is not None and complete(history.three_ps):
        three_ps = latest_per_criterion(history.three_ps, ProspectCriterion.values)
    else:
        three_ps = current_three_ps(account=account)
    if history is not None and complete(history.ratings):
        ratings = latest_per_criterion(history.ratings, RatedCriterion.values)
    else:
        ratings = current_ratings(account=account)
    if history is not None and complete(history.types):
        type_ = history.types[0] if history.types else None
    else:
        type_ = current_type(account=account)
    if history is not None:
        decision = history.decisions[0] if history.decisions else None
        handover = history.handovers[0] if history.handovers else None
    else:
        decision = account_decisions(user=user, account=account).first()
        handover = account_handovers(user=user, account=account).first()
    return KeyAccountState(type_, three_ps, ratings, decision, handover)  # type: ignore[arg-type]


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
    """Accounts that could become key accounts (neither key nor lost), with their type, three
    P's and ratings; `rank_candidates` orders them by the scorecard."""
    accounts = Account.objects.visible_to(user, "view").filter(status__in=CANDIDATE_STATUSES)
    return (
        with_qualification(with_owner(accounts))
        .select_related("segment")
        .order_by("-ps_passed", "-ratings_total", "name", "id")
    )


@dataclass(frozen=True)
class RankedCandidate:
    pk: int
    score: float
    qualifies: bool
    data: dict[str, int | None]  # the data criteria's values
    suggestion: TypeSuggestion | None


def rank_candidates(accounts: QuerySet[Account]) -> list[RankedCandidate]:
    """The candidates (a `candidate_list` queryset, filtered) ranked: those that qualify first
    (a score of 3 or more, or a prospect passing the three P's), then by score, by P's passed,
    by the team's ratings and by name. Two queries whatever the number of candidates (the
    snapshot's facts are read once per snapshot)."""
    snapshot = metrics_selectors.snapshot_for()
    facts = snapshot_facts(snapshot) if snapshot else {}
    total = _year_revenue(snapshot) if snapshot else Decimal(0)
    shares = current_weights().shares()
    rows = accounts.values_list(
        "pk",
        "name",
        "status",
        "ps_passed",
        "ratings_total",
        *[f"r_{c}" for c in rules.TEAM_CRITERIA],
    )
    ranked = []
    for pk, name, status, ps_passed, ratings_total, *team in rows:
        known = facts.get(pk)
        data = {k: v for k, (v, _) in rules.data_values(known).items()} if snapshot else {}
        values = {**dict(zip(rules.TEAM_CRITERIA, team, strict=True)), **data}
        score = rules.weighted_score(values, shares)
        passes = status == AccountStatus.PROSPECT and ps_passed == len(ProspectCriterion.values)
        found = (
            rules.suggest(known, as_of=snapshot.as_of, total_revenue=total) if snapshot else None
        )
        candidate = RankedCandidate(
            pk,
            score,
            rules.qualifies(score, prospect_passes_three_ps=passes),
            data,
            TypeSuggestion(KeyAccountType(found.type), found.because) if found else None,
        )
        ranked.append(
            (candidate, (not candidate.qualifies, -score, -ps_passed, -ratings_total, name, pk))
        )
    ranked.sort(key=lambda pair: pair[1])
    return [candidate for candidate, _ in ranked]


def candidates_page(accounts: QuerySet[Account], ranked: list[RankedCandidate]) -> list[Account]:
    """The accounts of `ranked` (one page of them) in that order, each with `candidate` (its
    ranking) attached. One query."""
    by_pk = accounts.in_bulk([c.pk for c in ranked])
    page = []
    for candidate in ranked:
        account = by_pk.get(candidate.pk)
        if account is not None:
            account.candidate = candidate
            page.append(account)
    return page


def nomination_list(*, user: User) -> QuerySet[NominationDecision]:
    return NominationDecision.objects.visible_to(user, "view").select_related(
        "account", "decided_by", "owner"
    )

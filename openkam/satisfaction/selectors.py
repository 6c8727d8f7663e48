"""Reads on survey answers: the quarter figures (average CSAT, NPS, answers), each account's
trend, and the decision makers who are detractors.

- **NPS** of a set of answers = % promoters (9–10) − % detractors (0–6) of the answers that
  have an NPS score: from −100 to +100. The average CSAT is over the answers that have one.
- **Detractor decision maker**: a stakeholder whose buying role is decision maker, still at the
  account, whose latest answer there has an NPS of 6 or less or a CSAT of 2 or less.

Pages read through `visible_to`; `account_trend` (the contract other parts call) reads one
account the caller already may see; the health component and the alert rules read every
account, as of a date.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.utils.translation import gettext as _

from openkam.accounts.models import Account, AccountTeamMember, TeamRole
from openkam.stakeholders.models import BuyingRole
from openkam.users.models import User

from .models import (
    DETRACTOR_UP_TO,
    PROMOTER_FROM,
    SurveyResponse,
    is_detractor_answer,
)

# How much a quarter must differ from the one before to count as a move up or down.
NPS_MARGIN = 5.0
CSAT_MARGIN = 0.2


# -- quarters ----------------------------------------------------------------------------------


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_start(year: int, quarter: int) -> dt.date:
    return dt.date(year, 3 * quarter - 2, 1)


def quarter_end(year: int, quarter: int) -> dt.date:
    if quarter == 4:
        return dt.date(year, 12, 31)
    return quarter_start(year, quarter + 1) - dt.timedelta(days=1)


def quarter_index(year: int, quarter: int) -> int:
    """Quarters counted from year 0: consecutive quarters differ by one."""
    return year * 4 + quarter - 1


def quarter_key(year: int, quarter: int) -> str:
    """The stable name of a quarter, e.g. ``2025-Q3`` (API, alert causes)."""
    return f"{year}-Q{quarter}"


def nps_of(promoters: int, detractors: int, answers: int) -> float | None:
    """% promoters − % detractors of `answers` NPS answers; None without any."""
    if not answers:
        return None
    return 100.0 * (promoters - detractors) / answers


@dataclass(frozen=True)
class QuarterPoint:
    year: int
    quarter: int
    answers: int  # every answer of the quarter
    csat: float | None  # average CSAT of the answers with one
    csat_answers: int
    nps: float | None  # −100 … +100
    nps_answers: int
    promoters: int
    detractors: int

    @property
    def key(self) -> str:
        return quarter_key(self.year, self.quarter)

    @property
    def label(self) -> str:
        return _("Q%(quarter)s %(year)s") % {"quarter": self.quarter, "year": self.year}

    @property
    def start(self) -> dt.date:
        return quarter_start(self.year, self.quarter)

    @property
    def end(self) -> dt.date:
        return quarter_end(self.year, self.quarter)

    @property
    def index(self) -> int:
        return quarter_index(self.year, self.quarter)


@dataclass
class Tally:
    answers: int = 0
    csat_sum: int = 0
    csat_answers: int = 0
    nps_answers: int = 0
    promoters: int = 0
    detractors: int = 0

    def add(self, csat: int | None, nps: int | None) -> None:
        self.answers += 1
        if csat is not None:
            self.csat_sum += csat
            self.csat_answers += 1
        if nps is not None:
            self.nps_answers += 1
            self.promoters += nps >= PROMOTER_FROM
            self.detractors += nps <= DETRACTOR_UP_TO

    @property
    def csat(self) -> float | None:
        return self.csat_sum / self.csat_answers if self.csat_answers else None

    @property
    def nps(self) -> float | None:
        return nps_of(self.promoters, self.detractors, self.nps_answers)

    def point(self, year: int, quarter: int) -> QuarterPoint:
        return QuarterPoint(
            year,
            quarter,
            self.answers,
            self.csat,
            self.csat_answers,
            self.nps,
            self.nps_answers,
            self.promoters,
            self.detractors,
        )


def quarter_points(rows: Iterable[tuple[dt.date, int | None, int | None]]) -> list[QuarterPoint]:
    """(answered_on, csat, nps) rows → one point per quarter with answers, oldest first."""
    tallies: dict[tuple[int, int], Tally] = defaultdict(Tally)
    for day, csat, nps in rows:
        tallies[quarter_of(day)].add(csat, nps)
    return [tallies[q].point(*q) for q in sorted(tallies)]


def account_trend(*, account: Account) -> list[QuarterPoint]:
    """The account's quarters with answers, oldest first: average CSAT, NPS, answers."""
    rows = SurveyResponse.objects.filter(account=account).values_list("answered_on", "csat", "nps")
    return quarter_points(rows)


def quarterly_by_account(responses: QuerySet[SurveyResponse]) -> dict[int, list[QuarterPoint]]:
    """Each account's quarter points (oldest first), aggregated by the database: one row per
    account and quarter, not per answer."""
    rows = (
        responses.annotate(y=ExtractYear("answered_on"), q=ExtractQuarter("answered_on"))
        .values("account_id", "y", "q")
        .annotate(
            answers=Count("id"),
            csat_sum=Sum("csat"),
            csat_answers=Count("csat"),
            nps_answers=Count("nps"),
            promoters=Count("id", filter=Q(nps__gte=PROMOTER_FROM)),
            detractors=Count("id", filter=Q(nps__lte=DETRACTOR_UP_TO)),
        )
        .order_by()
    )
    points: dict[int, list[QuarterPoint]] = defaultdict(list)
    for row in rows.iterator(chunk_size=5000):
        tally = Tally(
            answers=row["answers"],
            csat_sum=row["csat_sum"] or 0,
            csat_answers=row["csat_answers"],
            nps_answers=row["nps_answers"],
            promoters=row["promoters"],
            detractors=row["detractors"],
        )
        points[row["account_id"]].append(tally.point(row["y"], row["q"]))
    for series in points.values():
        series.sort(key=lambda p: p.index)
    return points


def trend_direction(latest: QuarterPoint, previous: QuarterPoint | None) -> str | None:
    """ "down" if the CSAT or the NPS fell by more than its margin, "up" if one rose and none
    fell, "flat" otherwise; None without a quarter to compare with."""
    if previous is None:
        return None
    moves = []
    if latest.nps is not None and previous.nps is not None:
        moves.append((latest.nps - previous.nps) / NPS_MARGIN)
    if latest.csat is not None and previous.csat is not None:
        moves.append((latest.csat - previous.csat) / CSAT_MARGIN)
    if not moves:
        return None
    if any(m <= -1 for m in moves):
        return "down"
    if any(m >= 1 for m in moves):
        return "up"
    return "flat"


# -- detractors among decision makers ----------------------------------------------------------


@dataclass(frozen=True)
class Detractor:
    response_id: int
    account_id: int
    stakeholder_id: int
    name: str
    answered_on: dt.date
    csat: int | None
    nps: int | None


def detractor_decision_makers(
    responses: QuerySet[SurveyResponse], *, as_of: dt.date | None = None
) -> list[Detractor]:
    """The decision makers (current buying role, still at the account) among `responses`
    whose latest answer (on or before `as_of`) is a detractor's: most recent first."""
    rows = responses.filter(
        stakeholder__buying_role=BuyingRole.DECISION_MAKER,
        stakeholder__active=True,
        stakeholder__account_id=F("account_id"),
    )
    if as_of is not None:
        rows = rows.filter(answered_on__lte=as_of)
    latest: dict[int, tuple] = {}
    for row in (
        rows.order_by("stakeholder_id", "answered_on", "id")
        .values_list(
            "pk", "account_id", "stakeholder_id", "stakeholder__name", "answered_on", "csat", "nps"
        )
        .iterator(chunk_size=5000)
    ):
        latest[row[2]] = row  # the latest wins
    found = [Detractor(*row) for row in latest.values() if is_detractor_answer(row[5], row[6])]
    found.sort(key=lambda d: (d.answered_on, d.response_id), reverse=True)
    return found


# -- the pages ---------------------------------------------------------------------------------


def survey_list(*, user: User) -> QuerySet[SurveyResponse]:
    return SurveyResponse.objects.visible_to(user).select_related(
        "account", "stakeholder", "author"
    )


@dataclass
class AccountSatisfaction:
    """One line of the satisfaction list: the account's latest quarter, the one before, the
    direction between them and its detractor decision makers."""

    account_id: int
    name: str
    status: str
    owner: str | None
    points: list[QuarterPoint]
    detractors: list[Detractor] = field(default_factory=list)

    @property
    def latest(self) -> QuarterPoint:
        return self.points[-1]

    @property
    def previous(self) -> QuarterPoint | None:
        return self.points[-2] if len(self.points) > 1 else None

    @property
    def trend(self) -> str | None:
        return trend_direction(self.latest, self.previous)


def account_satisfaction(
    *, user: User, accounts: QuerySet[Account] | None = None
) -> list[AccountSatisfaction]:
    """Every account `user` may see that has answers (within `accounts` when given, a
    queryset already filtered and annotated with `owner_username`), with its quarters and its
    detractor decision makers: three queries, whatever the number of accounts."""
    if accounts is None:
        owners = AccountTeamMember.objects.filter(account=OuterRef("pk"), role=TeamRole.OWNER)
        accounts = Account.objects.visible_to(user).annotate(
            owner_username=Subquery(owners.values("user__username")[:1])
        )
    responses = SurveyResponse.objects.visible_to(user)
    accounts = accounts.filter(pk__in=responses.values("account_id"))
    info = {
        pk: (name, status, owner)
        for pk, name, status, owner in accounts.values_list(
            "pk", "name", "status", "owner_username"
        )
    }
    if not info:
        return []
    scoped = responses.filter(account__in=accounts.values("pk"))
    points = quarterly_by_account(scoped)
    detractors: dict[int, list[Detractor]] = defaultdict(list)
    for detractor in detractor_decision_makers(scoped):
        detractors[detractor.account_id].append(detractor)
    return [
        AccountSatisfaction(pk, *info[pk], points[pk], detractors.get(pk, []))
        for pk in info
        if pk in points
    ]

"""Reads on commitments and customer requests, always from what the user may see.

Response times are in working hours (see `working_hours`). Per group of requests:

- *median response*: the median, over the requests answered by then, of the working hours to
  the first answer;
- *share within target*: answered within `KAM_RESPONSE_HOURS` / (answered + still unanswered
  after more than the target) — an unanswered request past the target is a miss, one still
  within it is not counted yet;
- *open*: not closed; *unanswered*: no first answer yet; *overdue*: unanswered past the target.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone

from openkam.users.models import User

from . import working_hours
from .models import Commitment, CommitmentStatus, CustomerRequest


def commitment_list(*, user: User, today: dt.date | None = None) -> QuerySet[Commitment]:
    """The commitments `user` may see, late ones first (then by due date); each carries
    `late` (1 when open and past due today)."""
    today = today or timezone.localdate()
    return (
        Commitment.objects.visible_to(user)
        .select_related("account", "owner", "their_owner")
        .annotate(
            late=Case(
                When(status=CommitmentStatus.OPEN, due_on__lt=today, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("-late", "due_on", "id")
    )


def late_commitments(*, user: User, as_of: dt.date, mine: bool = False) -> QuerySet[Commitment]:
    """Commitments (both directions: `direction` tells ours from theirs) open on `as_of` and
    due before it, visible to `user`; `mine`: only those whose owner on our side is `user`.
    Oldest due first."""
    rows = (
        Commitment.objects.visible_to(user)
        .late_on(as_of)
        .select_related("account", "owner", "their_owner")
        .order_by("due_on", "id")
    )
    return rows.filter(owner=user) if mine else rows


def request_list(*, user: User) -> QuerySet[CustomerRequest]:
    return CustomerRequest.objects.visible_to(user).select_related(
        "account", "owner", "stakeholder"
    )


def _requests(user: User, mine: bool) -> QuerySet[CustomerRequest]:
    rows = request_list(user=user).order_by("received_at", "id")
    return rows.filter(owner=user) if mine else rows


def open_requests(*, user: User, as_of: dt.date, mine: bool = False) -> QuerySet[CustomerRequest]:
    """Requests received by `as_of` (the end of that day, or now) and not closed by then."""
    return _requests(user, mine).open_at(working_hours.moment_of(as_of))


def unanswered_requests(
    *, user: User, as_of: dt.date, mine: bool = False
) -> QuerySet[CustomerRequest]:
    """Requests not first-answered by `as_of` (the end of that day, or now) after more than the
    response target (`KAM_RESPONSE_HOURS` working hours). Longest waiting first."""
    return _requests(user, mine).overdue_at(working_hours.moment_of(as_of))


# Response times -------------------------------------------------------------------------


@dataclass
class ResponseGroup:
    key: str
    label: str
    received: int = 0
    answered: int = 0
    within_target: int = 0
    overdue: int = 0
    open: int = 0
    unanswered: int = 0
    hours: list[float] = field(default_factory=list, repr=False)

    @property
    def median_hours(self) -> float | None:
        return statistics.median(self.hours) if self.hours else None

    @property
    def share_within_target(self) -> float | None:
        counted = self.answered + self.overdue
        return self.within_target / counted if counted else None

    def add(self, hours: float | None, waited: float, closed: bool, target: float) -> None:
        self.received += 1
        self.open += not closed
        if hours is None:
            self.unanswered += 1
            self.overdue += waited > target
        else:
            self.answered += 1
            self.within_target += hours <= target
            self.hours.append(hours)


@dataclass
class ResponseStats:
    target_hours: float
    working_day: str  # e.g. "09:00–18:00"
    total: ResponseGroup
    by_owner: list[ResponseGroup] = field(default_factory=list)
    by_account: list[ResponseGroup] = field(default_factory=list)

    @property
    def max_median(self) -> float:
        """The widest bar of the per-KAM chart (at least the target, which it marks)."""
        medians = [g.median_hours or 0 for g in self.by_owner]
        return max([self.target_hours, *medians])


@dataclass(frozen=True)
class Timing:
    """One request's clock at a moment."""

    hours: float | None  # working hours to the first answer, None while unanswered
    waited: float  # working hours waited for it (to the answer, or to the moment)
    closed: bool
    overdue: bool


def timing(
    received: dt.datetime,
    answered: dt.datetime | None,
    closed: dt.datetime | None,
    at: dt.datetime,
    target: float,
    w: working_hours.Window | None = None,
) -> Timing:
    w = w or working_hours.window()
    if answered is not None and answered < at:
        hours = working_hours.working_hours_between(received, answered, w)
        return Timing(hours, hours, closed is not None and closed < at, False)
    waited = working_hours.working_hours_between(received, at, w)
    return Timing(None, waited, False, waited > target)


def with_timings(
    rows: Iterable[CustomerRequest], *, at: dt.datetime | None = None
) -> list[CustomerRequest]:
    """The requests, each with `timing` (for the pages)."""
    at = at or timezone.now()
    target, w = working_hours.response_target(), working_hours.window()
    rows = list(rows)
    for row in rows:
        row.timing = timing(row.received_at, row.first_answered_at, row.closed_at, at, target, w)
    return rows


def response_stats(
    requests: QuerySet[CustomerRequest],
    *,
    at: dt.datetime | None = None,
    target: float | None = None,
) -> ResponseStats:
    """The figures of `requests` (already restricted to what the reader may see) as at `at`
    (now), in total, per owner on our side and per account."""
    at = at or timezone.now()
    target = working_hours.response_target() if target is None else target
    w = working_hours.window()
    stats = ResponseStats(
        target_hours=target,
        working_day=f"{w.opens:%H:%M}–{w.closes:%H:%M}",
        total=ResponseGroup("all", ""),
    )
    owners: dict[str, ResponseGroup] = {}
    accounts: dict[int, ResponseGroup] = {}
    rows = (
        requests.received_by(at)
        .order_by()
        .values_list(
            "account_id",
            "account__name",
            "owner__username",
            "received_at",
            "first_answered_at",
            "closed_at",
        )
    )
    for account_id, account_name, owner, received, answered, closed in rows.iterator(2000):
        t = timing(received, answered, closed, at, target, w)
        for group in (
            stats.total,
            owners.setdefault(owner, ResponseGroup(owner, owner)),
            accounts.setdefault(account_id, ResponseGroup(str(account_id), account_name)),
        ):
            group.add(t.hours, t.waited, t.closed, target)
    stats.by_owner = sorted(owners.values(), key=lambda g: g.key)
    stats.by_account = sorted(accounts.values(), key=lambda g: (g.label, g.key))
    return stats

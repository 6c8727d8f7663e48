"""The two health components of promises and responsiveness (registered in `apps.py`).

- `late_commitments`: our commitments (what *we* promised) open and past due on the as-of
  date. Score 1 / (1 + Σ days late / 30): one commitment a month late halves it, several
  old ones bring it near 0. An account with no commitment of ours made in the 12 months
  before, nor one still open then, has no data.
- `responsiveness`: the customer's requests received in the 12 months to the as-of date;
  slow = first answered after more than `KAM_RESPONSE_HOURS` working hours, or still
  unanswered after more than that. Score = 1 − slow / (answered + unanswered past the
  target). No such request: no data.

Both read only what was known on the as-of date (commitments by `promised_on`, `done_on` and
`cancelled_on`; requests by their times).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from openkam.health.components import Component, HealthContext, Reading, register

from . import working_hours
from .models import Commitment, CommitmentStatus, CustomerRequest, Direction
from .selectors import timing

YEAR = dt.timedelta(days=365)
MONTH_LATE = 30  # days late that halve the score of one commitment
# Above this many accounts, read everything and keep the wanted ones in Python rather than
# sending a list of ids to the database.
_IN_LIST_LIMIT = 1000


def _for_accounts(queryset, ids: frozenset[int]):
    return queryset.filter(account_id__in=ids) if len(ids) <= _IN_LIST_LIMIT else queryset


def _was_open(status: str, done_on, cancelled_on, day: dt.date) -> bool:
    if status == CommitmentStatus.DONE:
        return done_on > day
    if status == CommitmentStatus.CANCELLED:
        return cancelled_on is None or cancelled_on > day
    return True


def read_late_commitments(ctx: HealthContext) -> dict[int, Reading]:
    day = ctx.as_of
    rows = _for_accounts(
        Commitment.objects.filter(direction=Direction.OURS, promised_on__lte=day), ctx.account_ids
    ).values_list("account_id", "promised_on", "due_on", "status", "done_on", "cancelled_on")
    known: dict[int, int] = defaultdict(int)
    late: dict[int, list[int]] = defaultdict(list)
    for account_id, promised_on, due_on, status, done_on, cancelled_on in rows.iterator(5000):
        if account_id not in ctx.account_ids:
            continue
        still_open = _was_open(status, done_on, cancelled_on, day)
        if not (still_open or promised_on > day - YEAR):
            continue
        known[account_id] += 1
        if still_open and due_on < day:
            late[account_id].append((day - due_on).days)
    readings = {}
    for account_id, count in known.items():
        ages = late.get(account_id, [])
        if not ages:
            readings[account_id] = Reading(
                score=1.0,
                value=0,
                evidence=gettext_noop(
                    "No late commitment of ours (%(count)s made in the last 12 months or still "
                    "open)."
                ),
                params={"count": count},
            )
            continue
        readings[account_id] = Reading(
            score=1 / (1 + sum(ages) / MONTH_LATE),
            value=len(ages),
            evidence=gettext_noop(
                "Late commitments of ours: %(late)s of %(count)s; the oldest is %(days)s days late."
            ),
            params={"late": len(ages), "count": count, "days": max(ages)},
        )
    return readings


def read_responsiveness(ctx: HealthContext) -> dict[int, Reading]:
    at = working_hours.end_of_day(ctx.as_of)
    since = at - YEAR
    target, w = working_hours.response_target(), working_hours.window()
    rows = _for_accounts(
        CustomerRequest.objects.filter(received_at__gte=since, received_at__lt=at), ctx.account_ids
    ).values_list("account_id", "received_at", "first_answered_at")
    hours: dict[int, list[float]] = defaultdict(list)
    slow: dict[int, int] = defaultdict(int)
    overdue: dict[int, int] = defaultdict(int)
    for account_id, received, answered in rows.iterator(5000):
        if account_id not in ctx.account_ids:
            continue
        t = timing(received, answered, None, at, target, w)
        if t.hours is not None:
            hours[account_id].append(t.hours)
            slow[account_id] += t.hours > target
        elif t.overdue:
            overdue[account_id] += 1
    readings = {}
    for account_id in set(hours) | set(overdue):
        answered = hours.get(account_id, [])
        counted = len(answered) + overdue[account_id]
        misses = slow[account_id] + overdue[account_id]
        median = round(statistics.median(answered), 1) if answered else None
        readings[account_id] = Reading(
            score=1 - misses / counted,
            value=misses / counted,
            evidence=(
                gettext_noop(
                    "%(slow)s of %(count)s requests in the last 12 months answered after more "
                    "than %(target)s working hours or not yet; median first answer "
                    "%(median)s working hours."
                )
                if median is not None
                else gettext_noop(
                    "%(slow)s of %(count)s requests in the last 12 months still unanswered "
                    "after more than %(target)s working hours."
                )
            ),
            params={
                "slow": misses,
                "count": counted,
                "target": _number(target),
                "median": median,
                "unanswered": overdue[account_id],
            },
        )
    return readings


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


LATE_COMMITMENTS = Component(
    key="late_commitments",
    label=_("Late commitments"),
    default_weight=1.0,
    read=read_late_commitments,
    description=_(
        "Our promises to the customer that are open and past their due date, by number and age."
    ),
)
RESPONSIVENESS = Component(
    key="responsiveness",
    label=_("Responsiveness"),
    default_weight=1.0,
    read=read_responsiveness,
    description=_(
        "The customer's requests of the last 12 months answered late or not at all, against "
        "the response target in working hours."
    ),
)


def register_components() -> None:
    register(LATE_COMMITMENTS)
    register(RESPONSIVENESS)

"""The demo's weekly time entries: six months of each key account manager's time that is not
an activity, so that the 80/20 split has something to show.

Deterministic: one random generator seeded from the demo seed. Each manager has a usual share
of time on key accounts between 70 and 85 %, one of them (by the seed) clearly below target,
around 58 %; a week varies around it. The entries top up what the manager's activities
already count to a working week of 38 to 46 hours: key-account work (preparation, reports —
often on one of their key accounts), new business (prospecting) and other (internal work).
An account the sales history will lose or shrink (`risk.accounts_at_risk`) gets no time from
its trouble on: neglect comes before the loss. Bulk-written, a few hundred rows whatever the
number of accounts.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from openkam.accounts.models import Account, AccountStatus, AccountTeamMember, TeamRole
from openkam.activities.models import Purpose
from openkam.timesplit.models import TimeEntry
from openkam.timesplit.periods import monday
from openkam.timesplit.selectors import Hours, time_rows
from openkam.users.models import User
from openkam.users.roles import Role

from .risk import accounts_at_risk

WEEKS = 26
USUAL_SHARE = (0.70, 0.85)
LOW_SHARE = 0.58
WEEK_HOURS = (38.0, 46.0)
MAX_WEEK_ENTRIES = 160.0  # hours of entries in a week (a week holds 168)
SKIPPED_WEEKS = 0.08  # holidays, or simply forgotten
NOTES = {
    Purpose.KEY_ACCOUNT: (
        "Account plan preparation",
        "Quarterly review preparation",
        "Sales figures and reports",
        "Promotion planning",
        "Listing proposal",
    ),
    Purpose.NEW_BUSINESS: (
        "Prospecting calls",
        "Trade fair follow-up",
        "Proposal for a new customer",
        "Market research",
    ),
    Purpose.OTHER: ("Internal meetings", "Training", "Administration", "Travel"),
}


def _quarter_hours(value: float) -> Decimal:
    return Decimal(round(value * 4) / 4).quantize(Decimal("0.01"))


def _key_accounts(user_ids: list[int], accounts: dict[int, Account]) -> dict[int, list[int]]:
    owned: dict[int, list[int]] = defaultdict(list)
    loaded = {account.pk for account in accounts.values()}  # keyed by the demo's own refs
    rows = AccountTeamMember.objects.filter(
        user_id__in=user_ids, role=TeamRole.OWNER, account__status=AccountStatus.KEY
    ).order_by("account_id")
    for user_id, account_id in rows.values_list("user_id", "account_id"):
        if account_id in loaded:
            owned[user_id].append(account_id)
    return owned


def load_timesplit(*, seed: int, today: dt.date, accounts: dict[int, Account]) -> int:
    """Write the weekly time entries of the demo's key account managers; returns how many."""
    rng = random.Random(f"openkam-demo-timesplit-{seed}")
    managers = list(
        User.objects.filter(is_active=True, groups__name=Role.KEY_ACCOUNT_MANAGER.value)
        .order_by("username")
        .distinct()
    )
    if not managers:
        return 0
    last = monday(today) - dt.timedelta(days=7)  # the last whole week
    first = last - dt.timedelta(weeks=WEEKS - 1)
    activity_hours: dict[tuple[int, dt.date], Hours] = defaultdict(Hours)
    ids = [m.pk for m in managers]
    rows = time_rows(first, last + dt.timedelta(days=6), user_ids=ids, kind="week")
    # in a fixed order: PostgreSQL returns groups in any order, and float sums depend on it
    for user_id, purpose, bucket, hours in sorted(rows, key=lambda r: (r[0], r[1], r[2], r[3])):
        week = bucket.date() if isinstance(bucket, dt.datetime) else monday(bucket)
        activity_hours[(user_id, week)].add(purpose, hours)
    owned = _key_accounts(ids, accounts)
    risks = accounts_at_risk(seed=seed, today=today)
    low = managers[seed % len(managers)]
    entries: list[TimeEntry] = []
    for manager in managers:
        usual = LOW_SHARE if manager == low else rng.uniform(*USUAL_SHARE)
        week = first
        while week <= last:
            if rng.random() >= SKIPPED_WEEKS:
                entries.extend(
                    _week(
                        rng, manager, week, usual, activity_hours[(manager.pk, week)], owned, risks
                    )
                )
            week += dt.timedelta(days=7)
    TimeEntry.objects.bulk_create(entries, batch_size=2000)
    return len(entries)


def _week(rng, manager, week, usual, done: Hours, owned, risks) -> list[TimeEntry]:
    share = min(max(usual + rng.uniform(-0.06, 0.06), 0.3), 0.95)
    total = max(rng.uniform(*WEEK_HOURS), done.total + 2)
    done_rest = done.new_business + done.other
    key = max(0.0, share * total - done.key_account)
    rest = max(0.0, (1 - share) * total - done_rest)
    # a busy week of activities already past the share: top up the other side instead
    mine, others = done.key_account + key, done_rest + rest
    if mine + others > 0 and mine / (mine + others) > share:
        rest += mine / share - mine - others
    elif others > 0 and mine / (mine + others) < share:
        key += share * others / (1 - share) - mine
    scale = min(1.0, MAX_WEEK_ENTRIES / (key + rest)) if key + rest > 0 else 1.0
    key, rest = key * scale, rest * scale
    wanted = [
        (Purpose.KEY_ACCOUNT, key),
        (Purpose.NEW_BUSINESS, rest * rng.uniform(0.6, 0.8)),
    ]
    wanted.append((Purpose.OTHER, rest - wanted[1][1]))
    candidates = [
        pk for pk in owned.get(manager.pk, []) if pk not in risks or week < risks[pk].trouble_from
    ]
    out = []
    for purpose, hours in wanted:
        # (hours, account): some key-account work on one of the manager's key accounts
        parts: list[tuple[float, int | None]] = [(hours, None)]
        if purpose == Purpose.KEY_ACCOUNT and candidates and hours >= 4:
            on_account = hours * rng.uniform(0.3, 0.6)
            parts = [(on_account, rng.choice(candidates)), (hours - on_account, None)]
        for part, account_id in parts:
            while part > 0:
                value = _quarter_hours(min(part, 80))  # an entry holds at most 80 hours
                part -= 80
                if value <= 0:
                    continue
                out.append(
                    TimeEntry(
                        user=manager,
                        week=week,
                        purpose=purpose,
                        hours=value,
                        account_id=account_id,
                        note=rng.choice(NOTES[purpose]),
                    )
                )
    return out

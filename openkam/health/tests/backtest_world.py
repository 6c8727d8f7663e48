"""A small history to backtest, worked out by hand (used by the unit and the browser tests).

As of 30 June 2025 eight accounts have stored scores made of two readings; the sales of the
12 months before and after say which went bad:

| account | rhythm | growth | before | after (per month) | went bad          |
|---------|--------|--------|--------|-------------------|-------------------|
| BT 0    | 0.10   | 0.90   | 1,000  | nothing           | yes (lost)        |
| BT 1    | 0.20   | 0.80   | 1,000  | 500               | yes (−50 %)       |
| BT 2    | 0.30   | 0.60   | 1,000  | 650               | yes (−35 %)       |
| BT 3    | 0.60   | 0.10   | 1,000  | 750               | no (−25 %)        |
| BT 4    | 0.70   | 0.30   | 1,000  | 1,000             | no                |
| BT 5    | 0.80   | 0.50   | 1,000  | 1,000             | no                |
| BT 6    | 0.90   | 0.70   | 1,000  | 1,200             | no                |
| BT 7    | 0.95   | 0.90   | 1,000  | 1,000             | no                |

plus BT new, scored but without sales before the date (left out). With the default weights
(rhythm 3, growth 3) the scores are 50, 50, 45 for the bad ones and 35, 50, 65, 80, 92.5 for
the others: AUC 11/15. The purchase rhythm alone ranks them perfectly: AUC 1.
"""

from __future__ import annotations

import datetime as dt

from openkam.accounts.models import Account, AccountStatus, AccountTeamMember, TeamRole
from openkam.analytics.tests import facts
from openkam.health import scoring
from openkam.health.components import Reading
from openkam.health.models import HealthScore
from openkam.health.selectors import current_weights
from openkam.metrics.models import Snapshot, SnapshotStatus
from openkam.metrics.tests.conftest import publish

AS_OF = dt.date(2025, 6, 30)
READINGS = [  # (rhythm, growth, monthly revenue after; None: lost)
    (0.10, 0.90, None),
    (0.20, 0.80, 500),
    (0.30, 0.60, 650),
    (0.60, 0.10, 750),
    (0.70, 0.30, 1000),
    (0.80, 0.50, 1000),
    (0.90, 0.70, 1200),
    (0.95, 0.90, 1000),
]
BAD = [True, True, True, False, False, False, False, False]


def months(first: dt.date, count: int) -> list[dt.date]:
    days = []
    year, month = first.year, first.month
    for _ in range(count):
        days.append(dt.date(year, month, 28))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days


def build(*, owner=None) -> dict:
    """The accounts, their sales history (published to the test's fact store) and a finished
    snapshot as of AS_OF with their stored scores. `owner`: a user owning BT 0 and BT 5."""
    snapshot = Snapshot.objects.create(
        as_of=AS_OF, status=SnapshotStatus.DONE, reporting_currency="THB"
    )
    weights = current_weights()
    accounts, lines = [], []
    for index, (rhythm, growth, after) in enumerate(READINGS):
        account = Account.objects.create(
            name=f"BT {index}", status=AccountStatus.KEY, country="TH", reporting_currency="THB"
        )
        accounts.append(account)
        lines += [facts.line(account.pk, day, 1000) for day in months(dt.date(2024, 7, 1), 12)]
        if after is not None:
            lines += [facts.line(account.pk, day, after) for day in months(dt.date(2025, 7, 1), 12)]
        _score(snapshot, account, {"purchase_rhythm": rhythm, "revenue_growth": growth}, weights)
    new = Account.objects.create(
        name="BT new", status=AccountStatus.ACTIVE, country="TH", reporting_currency="THB"
    )
    lines += [facts.line(new.pk, day, 300) for day in months(dt.date(2025, 8, 1), 11)]
    _score(snapshot, new, {"purchase_rhythm": 0.9, "revenue_growth": 0.9}, weights)
    publish(lines)
    if owner is not None:
        for account in (accounts[0], accounts[5]):
            AccountTeamMember.objects.create(account=account, user=owner, role=TeamRole.OWNER)
    return {"snapshot": snapshot, "accounts": accounts, "new": new}


def _score(snapshot, account, values: dict[str, float], weights) -> HealthScore:
    readings = {key: Reading(score=v, value=v, evidence="test") for key, v in values.items()}
    score, parts = scoring.combine(readings, weights.as_dict())
    return HealthScore.objects.create(
        account=account,
        snapshot=snapshot,
        as_of=snapshot.as_of,
        score=score,
        level=scoring.level(score, weights.thresholds()),
        components=parts,
        weights=weights if weights.pk else None,
        revenue=12000,
    )

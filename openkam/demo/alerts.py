"""Alerts in the demo: recent warning signs, then the recompute, then a few acted on.

`load_alert_signs` (called from `load_demo`, before the health score is computed) adds the
recent events the alert rules look for but the other demo loaders leave in the past: a
decision maker or champion who just left, a competitor seen for the first time, a tender lost
in the last weeks — mostly at the accounts the sales history loses or shrinks
(`risk.accounts_at_risk`), some at healthy ones (noise). `load_alerts` (after the snapshot and
the health scores) runs the recompute so that alerts of every kind exist, then acknowledges,
snoozes and resolves a few, as their owners would. Seeded, bulk writes: fast at 10,000 accounts.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import F

from openkam.accounts.models import Account, AccountStatus, AccountTeamMember, TeamRole
from openkam.activities.models import Activity
from openkam.competitors.models import AccountCompetitor, Competitor
from openkam.stakeholders.models import BuyingRole, Position
from openkam.tenders.models import LostReason, Tender, TenderStatus
from openkam.users.models import User

from .risk import accounts_at_risk

SIGNS_AT_RISK = 0.35  # share of the accounts at risk that show each recent sign
SIGNS_NOISE = 0.01  # share of the other accounts that show it anyway
RESOLVE_NOTES = [
    "Called the buyer: the order was delayed by their stock count; next order placed.",
    "Met the new category manager; introduced by the previous buyer.",
    "Debriefed with purchasing: price gap of 4 %. Counter-offer in the next tender.",
    "Visited their marketing team together with our trade marketing manager.",
]


@dataclass
class AlertDemoSummary:
    raised: dict[str, int] = field(default_factory=dict)
    acknowledged: int = 0
    snoozed: int = 0
    resolved: int = 0


SIGNS_AT_LEAST = 3  # accounts per sign, however small the demo


def _chosen(rng: random.Random, ids: list[int], at_risk: set[int]) -> list[int]:
    chosen = [pk for pk in ids if rng.random() < (SIGNS_AT_RISK if pk in at_risk else SIGNS_NOISE)]
    if len(chosen) < SIGNS_AT_LEAST:  # a small demo: the accounts at risk first
        rest = [pk for pk in ids if pk not in chosen]
        rng.shuffle(rest)
        rest.sort(key=lambda pk: pk not in at_risk)
        chosen += rest[: SIGNS_AT_LEAST - len(chosen)]
    return sorted(chosen)


def load_alert_signs(*, seed: int, today: dt.date, accounts: dict[int, Account]) -> int:
    """Write the recent signs; returns how many rows."""
    rng = random.Random(f"openkam-demo-alerts-{seed}")
    risks = accounts_at_risk(seed=seed, today=today)
    # trouble now: shrinking, or lost only lately (the signs come before the silence)
    at_risk = {
        pk
        for pk, risk in risks.items()
        if risk.lost_on is None or risk.lost_on >= today - dt.timedelta(days=90)
    }
    ids = sorted(a.pk for a in accounts.values() if a.status != AccountStatus.PROSPECT)
    return (
        _departures(rng, today, ids, at_risk)
        + _competitors(rng, today, _chosen(rng, ids, at_risk))
        + _tenders(rng, today, _chosen(rng, ids, at_risk))
    )


def _departures(rng: random.Random, today: dt.date, ids: list[int], at_risk: set[int]) -> int:
    """Some of the people the demo moved between accounts (a buyer who joined another chain)
    left lately, 3 to 60 days ago, as decision makers — mostly from accounts at risk. Only the
    dates and the role they had change: everyone keeps one open position."""
    left = {
        p.stakeholder_id: p
        for p in Position.objects.exclude(ended_on=None)
        .exclude(account=F("stakeholder__account"))
        .order_by("pk")
    }
    if not left:
        return 0
    current = {
        p.stakeholder_id: p
        for p in Position.objects.filter(stakeholder_id__in=left, ended_on=None).order_by("pk")
    }
    by_account: dict[int, Position] = {}
    for position in left.values():
        if position.stakeholder_id in current:
            by_account.setdefault(position.account_id, position)
    wanted = set(ids)
    candidates = [pk for pk in sorted(by_account) if pk in wanted]
    chosen = [pk for pk in candidates if pk in at_risk][:SIGNS_AT_LEAST] or candidates[:1]
    old, new = [], []
    for account_id in chosen:
        position = by_account[account_id]
        day = today - dt.timedelta(days=rng.randint(3, 60))
        position.ended_on = day
        position.started_on = min(position.started_on, day)
        if position.buying_role not in (BuyingRole.DECISION_MAKER, BuyingRole.CHAMPION):
            position.buying_role = BuyingRole.DECISION_MAKER
        successor = current[position.stakeholder_id]
        successor.started_on = day
        old.append(position)
        new.append(successor)
    Position.objects.bulk_update(old, ["started_on", "ended_on", "buying_role"])
    Position.objects.bulk_update(new, ["started_on"])
    _keep_meetings_within_positions(old, new)
    return len(old)


def _keep_meetings_within_positions(old: list[Position], new: list[Position]) -> None:
    """The activity log was written for the first dates: nobody attends a meeting at an
    account before joining it or after leaving it."""
    attended = Activity.their_people.through.objects
    for left, joined in zip(old, new, strict=True):
        attended.filter(
            stakeholder_id=left.stakeholder_id,
            activity__account_id=left.account_id,
            activity__occurred_at__date__gt=left.ended_on,
        ).delete()
        attended.filter(
            stakeholder_id=joined.stakeholder_id,
            activity__account_id=joined.account_id,
            activity__occurred_at__date__lt=joined.started_on,
        ).delete()


def _competitors(rng: random.Random, today: dt.date, account_ids: list[int]) -> int:
    """A competitor shows up for the first time, 2 to 40 days ago."""
    register = list(Competitor.objects.order_by("pk"))
    if not register:
        return 0
    present: dict[int, set[int]] = {}
    for account_id, competitor_id in AccountCompetitor.objects.values_list(
        "account_id", "competitor_id"
    ):
        present.setdefault(account_id, set()).add(competitor_id)
    rows = []
    for account_id in account_ids:
        free = [c for c in register if c.pk not in present.get(account_id, set())]
        if not free:
            continue
        rows.append(
            AccountCompetitor(
                account_id=account_id,
                competitor=rng.choice(free),
                threat_level=rng.randint(3, 5),
                share_of_wallet=rng.randint(3, 15),
                last_seen=today - dt.timedelta(days=rng.randint(2, 40)),
                notes="",
            )
        )
    AccountCompetitor.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _tenders(rng: random.Random, today: dt.date, account_ids: list[int]) -> int:
    """A tender lost 3 to 45 days ago, mostly on price or to a competitor."""
    register = list(Competitor.objects.order_by("pk"))
    rows = []
    for account_id in account_ids:
        decided = today - dt.timedelta(days=rng.randint(3, 45))
        reason = rng.choice([LostReason.PRICE, LostReason.COMPETITOR, LostReason.SERVICE])
        if reason == LostReason.COMPETITOR and not register:
            reason = LostReason.PRICE
        rows.append(
            Tender(
                account_id=account_id,
                title=f"Range review {decided.year}",
                announced_on=decided - dt.timedelta(days=rng.randint(40, 90)),
                submitted_on=decided - dt.timedelta(days=rng.randint(10, 30)),
                decided_on=decided,
                status=TenderStatus.LOST,
                lost_reason=reason,
                winner=rng.choice(register) if reason == LostReason.COMPETITOR else None,
            )
        )
    Tender.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def load_alerts(*, seed: int, today: dt.date, snapshot) -> AlertDemoSummary:
    """Raise the alerts as of the snapshot (computing its health first if nothing did), then
    act on a few of them as their accounts' owners."""
    from openkam.alerts import services
    from openkam.alerts.models import Alert, AlertStatus

    if apps.is_installed("openkam.health"):
        from openkam.health.models import HealthScore
        from openkam.health.services import health_recompute

        if not HealthScore.objects.filter(snapshot=snapshot).exists():
            health_recompute(snapshot)
    result = services.alerts_recompute(snapshot.as_of, snapshot_id=snapshot.pk)
    summary = AlertDemoSummary(raised=dict(result.raised))
    rng = random.Random(f"openkam-demo-alerts-acted-{seed}")
    owners = dict(
        AccountTeamMember.objects.filter(role=TeamRole.OWNER).values_list("account_id", "user_id")
    )
    users = {u.pk: u for u in User.objects.filter(pk__in=set(owners.values()))}
    alerts = list(
        Alert.objects.filter(status=AlertStatus.OPEN).select_related("account").order_by("pk")
    )
    rng.shuffle(alerts)
    for index, alert in enumerate(alerts[:24]):
        actor = users.get(owners.get(alert.account_id))
        if actor is None:
            continue
        kind = index % 4
        if kind == 0:
            services.alert_acknowledge(actor=actor, alert=alert)
            summary.acknowledged += 1
        elif kind == 1:
            until = today + dt.timedelta(days=rng.randint(7, 30))
            services.alert_snooze(actor=actor, alert=alert, until=until)
            summary.snoozed += 1
        elif kind == 2:
            services.alert_resolve(actor=actor, alert=alert, note=rng.choice(RESOLVE_NOTES))
            summary.resolved += 1
        else:  # snoozed a while ago: back in the inbox since its date passed
            services.alert_snooze(actor=actor, alert=alert, until=today + dt.timedelta(days=1))
            Alert.objects.filter(pk=alert.pk).update(
                snoozed_until=today - dt.timedelta(days=rng.randint(1, 5))
            )
            summary.snoozed += 1
    return summary

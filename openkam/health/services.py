"""Writes of the health app: the weights directors set, and recomputing the scores."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from openkam.accounts.models import Account
from openkam.core.changelog import changelog_record, creation_changes
from openkam.core.models import ChangeAction
from openkam.metrics.models import (
    AccountMetrics,
    AccountPeriodMetrics,
    Period,
    Snapshot,
    SnapshotStatus,
)
from openkam.users.models import User

from . import components as registry
from . import scoring
from .components import HealthContext, Reading
from .models import HealthLevel, HealthScore, HealthWeights
from .selectors import current_weights
from .signals import health_recomputed

log = logging.getLogger(__name__)
BULK = 2000

WEIGHTS_PERMISSION = "health.add_healthweights"


def may_set_weights(actor: User) -> bool:
    return bool(actor and actor.is_active and actor.has_perm(WEIGHTS_PERMISSION))


@transaction.atomic
def health_weights_set(
    *,
    actor: User,
    weights: Mapping[str, float],
    green_from: float,
    amber_from: float,
    note: str = "",
) -> HealthWeights:
    """Set how much each component counts and where green and amber start (a new row; the old
    ones stay as the history). Scores already stored keep the weights they were computed with
    until the next recompute."""
    if not may_set_weights(actor):
        raise PermissionDenied(_("Only sales directors set the health weights."))
    known = {c.key for c in registry.components()}
    unknown = set(weights) - known
    if unknown:
        raise ValueError(f"unknown health components: {sorted(unknown)}")
    row = HealthWeights(
        weights={key: float(value) for key, value in weights.items()},
        green_from=green_from,
        amber_from=amber_from,
        note=note,
        created_by=actor,
    )
    row.full_clean()
    row.save()
    changelog_record(
        actor=actor,
        action=ChangeAction.CREATE,
        instance=row,
        account_id=None,
        changes=creation_changes(row),
    )
    return row


# -- recomputing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecomputeResult:
    snapshot_id: int
    as_of: dt.date
    accounts: int  # scores stored, the groups' included
    rolled_up: int  # of which groups rolled up from their subsidiaries
    levels: dict[str, int]
    seconds: float
    failed: tuple[str, ...] = ()  # components that raised: left out as missing, logged


def health_recompute(snapshot: Snapshot) -> RecomputeResult:
    """Compute and store the health of every account of a finished snapshot (the accounts that
    had bought by its date) with the weights in force, replacing the snapshot's previous
    scores; then roll groups up from their subsidiaries (revenue-weighted), and send
    `health_recomputed` once stored."""
    started = time.perf_counter()
    weights_row = current_weights()
    weights = weights_row.as_dict()
    thresholds = weights_row.thresholds()
    revenue = dict(
        AccountPeriodMetrics.objects.filter(snapshot=snapshot, period=Period.YEAR).values_list(
            "account_id", "revenue"
        )
    )
    account_ids = frozenset(
        AccountMetrics.objects.filter(snapshot=snapshot).values_list("account_id", flat=True)
    )
    ctx = HealthContext(as_of=snapshot.as_of, account_ids=account_ids, snapshot_id=snapshot.pk)
    readings: dict[str, dict[int, Reading]] = {}
    failed = []
    for component in registry.components():
        try:
            with transaction.atomic():  # a savepoint: a failed query spoils no transaction
                readings[component.key] = component.read(ctx) if account_ids else {}
        except Exception:  # one broken component must not stop the others
            log.exception("health component %s failed as of %s", component.key, snapshot.as_of)
            readings[component.key] = {}
            failed.append(component.key)
    own: dict[int, tuple[float, dict]] = {}
    for account_id in account_ids:
        score, parts = scoring.combine(
            {key: by_account.get(account_id) for key, by_account in readings.items()}, weights
        )
        if score is not None:
            own[account_id] = (score, parts)
    groups = roll_up(own, revenue, _group_members())
    rows = [
        HealthScore(
            account_id=account_id,
            snapshot_id=snapshot.pk,
            as_of=snapshot.as_of,
            score=score,
            level=scoring.level(score, thresholds),
            components=parts,
            weights_id=weights_row.pk,
            revenue=revenue.get(account_id),
        )
        for account_id, (score, parts) in own.items()
        if account_id not in groups
    ]
    rows += [
        HealthScore(
            account_id=account_id,
            snapshot_id=snapshot.pk,
            as_of=snapshot.as_of,
            score=score,
            level=scoring.level(score, thresholds),
            components=parts,
            weights_id=weights_row.pk,
            revenue=group_revenue,
            rolled_up=True,
        )
        for account_id, (score, parts, group_revenue) in groups.items()
    ]
    with transaction.atomic():
        HealthScore.objects.filter(snapshot=snapshot).delete()
        HealthScore.objects.bulk_create(rows, batch_size=BULK)
    levels = dict.fromkeys(HealthLevel.values, 0)
    for row in rows:
        levels[row.level] += 1
    result = RecomputeResult(
        snapshot_id=snapshot.pk,
        as_of=snapshot.as_of,
        accounts=len(rows),
        rolled_up=len(groups),
        levels=levels,
        seconds=round(time.perf_counter() - started, 3),
        failed=tuple(failed),
    )
    transaction.on_commit(
        lambda: health_recomputed.send(
            sender=HealthScore, as_of=snapshot.as_of, snapshot_id=snapshot.pk
        )
    )
    return result


def _group_members() -> dict[int, list[int]]:
    """Every account that has subsidiaries → itself and all accounts below it (groups nest at
    most three levels)."""
    children: dict[int, list[int]] = defaultdict(list)
    for pk, parent_id in Account.objects.filter(parent__isnull=False).values_list(
        "pk", "parent_id"
    ):
        children[parent_id].append(pk)
    members = {}
    for root in children:
        seen, todo = [root], list(children[root])
        while todo:
            pk = todo.pop()
            if pk in seen:  # a cycle the model forbids; never loop on bad data
                continue
            seen.append(pk)
            todo.extend(children.get(pk, ()))
        members[root] = seen
    return members


def roll_up(
    own: dict[int, tuple[float, dict]],
    revenue: dict[int, Decimal | float | None],
    members: dict[int, list[int]],
) -> dict[int, tuple[float, dict, Decimal | None]]:
    """A group's score: the scores of its accounts (the parent's own and every subsidiary's
    below it) weighted by their 12-month revenue — equally when none had revenue. Each
    component's contribution is the same weighted mean of the accounts' contributions, so the
    contributions still add up to the score; its score the weighted mean over the accounts
    that had it. Only groups with at least one scored subsidiary are rolled up."""
    groups = {}
    for root, accounts in members.items():
        scored = [pk for pk in accounts if pk in own]
        if not any(pk != root for pk in scored):
            continue
        money = {pk: float(revenue.get(pk) or 0) for pk in scored}
        total = sum(money.values())
        share = {pk: (money[pk] / total if total > 0 else 1 / len(scored)) for pk in scored}
        score = sum(share[pk] * own[pk][0] for pk in scored)
        keys = list(dict.fromkeys(key for pk in scored for key in own[pk][1]))
        parts: dict[str, dict] = {}
        for key in keys:
            having = [
                pk for pk in scored if key in own[pk][1] and not own[pk][1][key].get("missing")
            ]
            weight = next((own[pk][1][key]["weight"] for pk in scored if key in own[pk][1]), 0.0)
            if not having:
                parts[key] = {"missing": True, "weight": weight}
                continue
            covered = sum(share[pk] for pk in having) or 1.0
            parts[key] = {
                "score": round(
                    sum(share[pk] * own[pk][1][key]["score"] for pk in having) / covered, 4
                ),
                "value": None,
                "evidence": ROLLED_UP_EVIDENCE,
                "params": {"accounts": len(having), "members": len(scored)},
                "weight": weight,
                "share": round(sum(share[pk] * own[pk][1][key]["share"] for pk in having), 4),
                "contribution": round(
                    sum(share[pk] * own[pk][1][key]["contribution"] for pk in having), 2
                ),
            }
        group_revenue = sum((Decimal(str(revenue.get(pk) or 0)) for pk in scored), Decimal(0))
        groups[root] = (round(min(max(score, 0.0), 100.0), 2), parts, group_revenue)
    return groups


ROLLED_UP_EVIDENCE = gettext_noop(
    "Revenue-weighted over the %(accounts)s of the group's %(members)s scored accounts "
    "that have it."
)


def health_recompute_dates(*, as_of: dt.date | None = None) -> list[RecomputeResult]:
    """Recompute the stored health of the finished snapshot of `as_of`, or of every finished
    snapshot (the whole history) without a date — e.g. after the weights changed. What
    `kam health recompute [--as-of DATE]` runs. Raises LookupError when there is no snapshot of
    that date."""
    snapshots = Snapshot.objects.filter(status=SnapshotStatus.DONE).order_by("as_of", "created_at")
    if as_of is not None:
        snapshots = snapshots.filter(as_of=as_of)
        if not snapshots.exists():
            raise LookupError(
                f"There is no finished metrics snapshot as of {as_of.isoformat()}: "
                f"run `kam analyze --as-of {as_of.isoformat()}` first."
            )
    return [health_recompute(snapshot) for snapshot in snapshots]


def health_recompute_command(*, as_of: dt.date | None = None, stdout=None) -> list[RecomputeResult]:
    """`kam health recompute [--as-of DATE]`: recompute and print one line per snapshot."""
    results = health_recompute_dates(as_of=as_of)
    write = stdout.write if stdout is not None else print
    for result in results:
        levels = ", ".join(f"{count} {level}" for level, count in result.levels.items())
        write(
            f"health as of {result.as_of.isoformat()}: {result.accounts} accounts "
            f"({levels}; {result.rolled_up} groups rolled up) in {result.seconds} s"
            + (f"; components that failed: {', '.join(result.failed)}" if result.failed else "")
            + "\n"
        )
    if not results:
        write("No finished metrics snapshot yet: run `kam analyze` first.\n")
    return results

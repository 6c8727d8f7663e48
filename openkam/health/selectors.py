"""Reads of the health scores, always starting from what the user may see. Nothing here
computes a score: pages and the API read what `health_recompute` stored."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from openkam.accounts.models import Account, AccountTeamMember, TeamRole
from openkam.metrics.models import Snapshot, SnapshotStatus
from openkam.users.models import User

from . import components as registry
from .models import HealthLevel, HealthScore, HealthWeights


def current_weights() -> HealthWeights:
    """The weights in force: the newest row, or (none set yet) the components' defaults as an
    unsaved row."""
    return HealthWeights.objects.select_related("created_by").first() or HealthWeights()


def weights_history() -> QuerySet[HealthWeights]:
    return HealthWeights.objects.select_related("created_by")


def scored_snapshot(as_of: dt.date | None = None) -> Snapshot | None:
    """The finished snapshot whose scores are shown: the latest one of `as_of` (exactly that
    date) — or of the latest date — that has scores."""
    snapshots = Snapshot.objects.filter(status=SnapshotStatus.DONE, health_scores__isnull=False)
    if as_of is not None:
        snapshots = snapshots.filter(as_of=as_of)
    return snapshots.order_by("-as_of", "-created_at").distinct().first()


def scored_dates() -> list[dt.date]:
    return list(HealthScore.objects.order_by("-as_of").values_list("as_of", flat=True).distinct())


def latest_scores(*, user: User, as_of: dt.date | None = None) -> QuerySet[HealthScore]:
    """The scores of the accounts `user` may see, of the latest scored snapshot as of `as_of`
    (exactly that date) or of the latest date; none if there is no such snapshot."""
    snapshot = scored_snapshot(as_of)
    if snapshot is None:
        return HealthScore.objects.none()
    return (
        HealthScore.objects.visible_to(user, "view")
        .filter(snapshot=snapshot)
        .select_related("account")
        .order_by("score", "account__name", "account_id")
    )


def account_health(*, account: Account, as_of: dt.date | None = None) -> HealthScore | None:
    """The account's score as of `as_of` (the latest snapshot on or before it) or the latest.
    The caller has checked that the account is visible."""
    scores = HealthScore.objects.filter(account=account, snapshot__status=SnapshotStatus.DONE)
    if as_of is not None:
        scores = scores.filter(as_of__lte=as_of)
    return scores.select_related("weights").order_by("-as_of", "-snapshot__created_at").first()


def account_history(*, account: Account, limit: int | None = None) -> list[HealthScore]:
    """The account's scores, oldest first (one per snapshot date), for its trend."""
    scores = HealthScore.objects.filter(
        account=account, snapshot__status=SnapshotStatus.DONE
    ).order_by("-as_of", "-snapshot__created_at")
    if limit:
        scores = scores[:limit]
    seen, history = set(), []
    for row in scores.only("id", "as_of", "score", "level", "rolled_up", "snapshot_id"):
        if row.as_of not in seen:
            seen.add(row.as_of)
            history.append(row)
    return history[::-1]


def biggest_risks(*, user: User, limit: int = 10) -> list[HealthScore]:
    """The red and amber accounts of the latest scores with the most revenue at risk (their
    12-month revenue), red first at equal revenue. Groups rolled up from their subsidiaries are
    left out, so that no revenue counts twice."""
    return list(
        latest_scores(user=user)
        .filter(level__in=(HealthLevel.RED, HealthLevel.AMBER), rolled_up=False)
        .order_by("-revenue", "score", "account_id")[:limit]
    )


def level_counts(scores: QuerySet[HealthScore]) -> dict[str, int]:
    counts = dict.fromkeys(HealthLevel.values, 0)
    for level, count in _counts(scores):
        counts[level] = count
    return counts


def _counts(scores: QuerySet[HealthScore]):
    from django.db.models import Count

    return scores.order_by().values_list("level").annotate(n=Count("id"))


def component_rows(score: HealthScore) -> list[dict[str, Any]]:
    """The score's components in the registry's order (then any no longer registered), each
    with its label and, when present, its evidence translated and its numbers formatted."""
    from .display import evidence_text

    labels = {c.key: c for c in registry.components()}
    keys = [key for key in labels if key in score.components]
    keys += [key for key in score.components if key not in labels]
    rows = []
    for key in keys:
        part = score.components[key]
        component = labels.get(key)
        rows.append(
            {
                "key": key,
                "label": str(component.label) if component else key,
                "description": str(component.description) if component else "",
                "missing": bool(part.get("missing")),
                "score": part.get("score"),
                "value": part.get("value"),
                "evidence": "" if part.get("missing") else evidence_text(part),
                "weight": part.get("weight", 0.0),
                "share": part.get("share"),
                "contribution": part.get("contribution"),
            }
        )
    return rows


def health_list(*, user: User, as_of: dt.date | None = None) -> QuerySet[HealthScore]:
    """`latest_scores` with each account's owner (`owner_username`), worst first: the list
    page, its export and the API."""
    owners = AccountTeamMember.objects.filter(account=OuterRef("account_id"), role=TeamRole.OWNER)
    return latest_scores(user=user, as_of=as_of).annotate(
        owner_username=Subquery(owners.values("user__username")[:1])
    )

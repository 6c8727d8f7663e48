"""The backtest: how well the health scores of a past date predicted the accounts that were lost
or shrank by more than 30 % in the following 12 months.

It reads the scores stored for that date's snapshot (or, from the command line, computes them
first) and the sales that followed (`outcomes`), optionally rescoring the stored readings with
candidate weights and thresholds — so a director sees what a change of weights would have
predicted before saving it. Groups rolled up from their subsidiaries are left out (their
subsidiaries count), and so are accounts without revenue in the 12 months before the date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from openkam.metrics.models import Snapshot, SnapshotStatus
from openkam.users.models import User

from . import components as registry
from . import evaluation, scoring
from .models import MAX_WEIGHT, HealthLevel, HealthScore, HealthWeights
from .outcomes import HORIZON_MONTHS, SHRINK_SHARE, account_outcomes, history_end, latest_date
from .selectors import current_weights


class BacktestError(ValueError):
    """A backtest that cannot be run: the message says why, for a person."""


@dataclass(frozen=True)
class LevelRow:
    level: str
    count: int
    bad: int

    @property
    def bad_share(self) -> float | None:
        return self.bad / self.count if self.count else None


@dataclass(frozen=True)
class AccountResult:
    account_id: int
    score: float
    level: str
    went_bad: bool
    lost: bool
    revenue_before: Decimal
    revenue_after: Decimal


@dataclass(frozen=True)
class Backtest:
    requested: dt.date  # the date asked for
    as_of: dt.date  # the date of the scores used (the latest scored on or before it)
    snapshot_id: int
    history_end: dt.date
    weights: dict[str, float]  # the weights the scores were (re)computed with
    thresholds: scoring.Thresholds
    rescored: bool  # candidate weights or thresholds were applied to the stored readings
    auc: float | None
    red: evaluation.Confusion
    bands: list[evaluation.Band]
    levels: list[LevelRow]
    no_revenue_before: int  # scored accounts without revenue before the date: left out
    unscored: int  # left without a score by the candidate weights (all weights 0 on their data)
    groups: int  # rolled-up groups left out
    accounts: list[AccountResult] = field(default_factory=list)

    @property
    def counted(self) -> int:
        return self.red.total

    @property
    def bad(self) -> int:
        return self.red.bad

    @property
    def bad_share(self) -> float | None:
        return self.red.bad / self.red.total if self.red.total else None

    @property
    def horizon_end(self) -> dt.date:
        from openkam.analytics.periods import shift_months

        return shift_months(self.as_of, HORIZON_MONTHS)


# -- candidate weights -------------------------------------------------------------------------


def parse_weights(text: str | None) -> dict[str, float]:
    """`key=value,key=value` (or `key:value`) → {key: value}, checked like the weights form:
    known components, numbers from 0 to 100. Raises BacktestError."""
    weights: dict[str, float] = {}
    known = {c.key for c in registry.components()}
    for item in (text or "").split(","):
        item = item.strip()
        if not item:
            continue
        key, sep, value = item.replace(":", "=").partition("=")
        key = key.strip()
        if not sep:
            raise BacktestError(_("%(item)s: write a weight as component=number.") % {"item": item})
        if key not in known:
            raise BacktestError(
                _("%(key)s is not a health component (known: %(known)s).")
                % {"key": key, "known": ", ".join(sorted(known))}
            )
        try:
            number = float(value)
        except ValueError:
            number = float("nan")
        if not 0 <= number <= MAX_WEIGHT:  # NaN fails too
            raise BacktestError(
                _("%(key)s: a weight is a number from 0 to %(max)s.")
                % {"key": key, "max": int(MAX_WEIGHT)}
            )
        weights[key] = number
    return weights


def candidate(
    weights: Mapping[str, float] | None = None,
    green_from: float | None = None,
    amber_from: float | None = None,
) -> tuple[dict[str, float], scoring.Thresholds]:
    """The weights and thresholds in force with the given ones put over them, validated."""
    in_force = current_weights()
    merged = {**in_force.as_dict(), **{k: float(v) for k, v in (weights or {}).items()}}
    green = in_force.green_from if green_from is None else float(green_from)
    amber = in_force.amber_from if amber_from is None else float(amber_from)
    if not any(value > 0 for value in merged.values()):
        raise BacktestError(_("At least one component must count: not all zero."))
    if not (0 <= amber < green <= 100):
        raise BacktestError(_("The thresholds need 0 ≤ amber from < green from ≤ 100."))
    return merged, scoring.Thresholds(green_from=green, amber_from=amber)


# -- the dates ---------------------------------------------------------------------------------


def scored_snapshot_on_or_before(as_of: dt.date) -> Snapshot | None:
    return (
        Snapshot.objects.filter(
            status=SnapshotStatus.DONE, as_of__lte=as_of, health_scores__isnull=False
        )
        .order_by("-as_of", "-created_at")
        .distinct()
        .first()
    )


def eligible_dates() -> list[dt.date]:
    """The dates with stored scores whose following 12 months the sales history covers, latest
    first: what a director can backtest."""
    latest = latest_date(history_end())
    if latest is None:
        return []
    return list(
        HealthScore.objects.filter(as_of__lte=latest, snapshot__status=SnapshotStatus.DONE)
        .order_by("-as_of")
        .values_list("as_of", flat=True)
        .distinct()
    )


def default_date() -> dt.date | None:
    """About 12 months before the latest snapshot: the eligible scored date nearest to it."""
    latest = (
        Snapshot.objects.filter(status=SnapshotStatus.DONE)
        .order_by("-as_of")
        .values_list("as_of", flat=True)
        .first()
    )
    dates = eligible_dates()
    if latest is None or not dates:
        return None
    from openkam.analytics.periods import shift_months

    target = shift_months(latest, -HORIZON_MONTHS)
    return min(dates, key=lambda day: (abs((day - target).days), -day.toordinal()))


def check_date(as_of: dt.date) -> dt.date:
    """The history's last day, once `as_of` is known to be at least 12 months before it."""
    end = history_end()
    if end is None:
        raise BacktestError(
            _("There is no sales history yet: import order lines before running a backtest.")
        )
    latest = latest_date(end)
    if as_of > latest:
        raise BacktestError(
            _(
                "A backtest needs the 12 months of sales after its date: the sales history "
                "ends on %(end)s, so choose a date on or before %(latest)s."
            )
            % {"end": end.isoformat(), "latest": latest.isoformat()}
        )
    return end


def ensure_scores(as_of: dt.date, *, stdout=None) -> Snapshot:
    """A snapshot of `as_of` with stored scores: analyse the date and compute its health when
    missing (the command line's backtest; pages never compute)."""
    from openkam.metrics.services import snapshot_create

    from .services import health_recompute

    def say(text: str) -> None:
        if stdout is not None:
            stdout.write(text + "\n")

    scored = Snapshot.objects.filter(
        status=SnapshotStatus.DONE, as_of=as_of, health_scores__isnull=False
    ).first()
    if scored is not None:
        return scored
    snapshot = (
        Snapshot.objects.filter(status=SnapshotStatus.DONE, as_of=as_of)
        .order_by("-created_at")
        .first()
    )
    if snapshot is None:
        say(f"Analysing the sales history as of {as_of.isoformat()} …")
        snapshot = snapshot_create(as_of=as_of)
    say(f"Computing the health scores as of {as_of.isoformat()} …")
    health_recompute(snapshot)
    return snapshot


# -- the backtest ------------------------------------------------------------------------------


def backtest(
    *,
    as_of: dt.date,
    user: User | None = None,
    weights: Mapping[str, float] | None = None,
    green_from: float | None = None,
    amber_from: float | None = None,
) -> Backtest:
    """Backtest the scores stored for the latest scored snapshot on or before `as_of` (over the
    accounts `user` may see; all without a user). With `weights` or thresholds, the stored
    readings are rescored with them (over the weights in force) first."""
    end = check_date(as_of)
    snapshot = scored_snapshot_on_or_before(as_of)
    if snapshot is None:
        raise BacktestError(
            _(
                "No health scores are stored on or before %(date)s: run "
                "`kam health backtest --as-of %(date)s` once to compute them."
            )
            % {"date": as_of.isoformat()}
        )
    rescored = weights is not None or green_from is not None or amber_from is not None
    merged, thresholds = candidate(weights, green_from, amber_from)
    scores = HealthScore.objects.filter(snapshot=snapshot)
    if user is not None:
        scores = HealthScore.objects.visible_to(user, "view").filter(snapshot=snapshot)
    outcomes = account_outcomes(snapshot.as_of).accounts
    results: list[AccountResult] = []
    groups = no_revenue = unscored = 0
    stored_weights: dict[str, float] | None = None
    for row in scores.only("account_id", "score", "level", "components", "rolled_up").iterator(
        chunk_size=2000
    ):
        if row.rolled_up:
            groups += 1
            continue
        outcome = outcomes.get(row.account_id)
        if outcome is None or outcome.went_bad is None:
            no_revenue += 1
            continue
        if rescored:
            score, level, _parts = scoring.rescore(row.components, merged, thresholds)
            if score is None:
                unscored += 1
                continue
        else:
            score, level = row.score, row.level
            if stored_weights is None:
                stored_weights = {
                    key: float(part.get("weight", 0.0)) for key, part in row.components.items()
                }
        results.append(
            AccountResult(
                account_id=row.account_id,
                score=score,
                level=level,
                went_bad=outcome.went_bad,
                lost=outcome.lost,
                revenue_before=outcome.revenue_before,
                revenue_after=outcome.revenue_after,
            )
        )
    if not rescored:
        stored = snapshot.health_scores.select_related("weights").first()
        thresholds = (
            stored.weights.thresholds()
            if stored is not None and stored.weights is not None
            else HealthWeights().thresholds()  # computed with the defaults
        )
        merged = stored_weights or merged
    return summarise(
        results,
        requested=as_of,
        snapshot=snapshot,
        history_end=end,
        weights=merged,
        thresholds=thresholds,
        rescored=rescored,
        groups=groups,
        no_revenue_before=no_revenue,
        unscored=unscored,
    )


def summarise(
    results: list[AccountResult],
    *,
    requested: dt.date,
    snapshot: Snapshot,
    history_end: dt.date,
    weights: dict[str, float],
    thresholds: scoring.Thresholds,
    rescored: bool,
    groups: int = 0,
    no_revenue_before: int = 0,
    unscored: int = 0,
) -> Backtest:
    scores = [r.score for r in results]
    bad = [r.went_bad for r in results]
    levels = []
    for level in (HealthLevel.RED, HealthLevel.AMBER, HealthLevel.GREEN):
        mine = [r for r in results if r.level == level]
        levels.append(LevelRow(str(level), len(mine), sum(r.went_bad for r in mine)))
    return Backtest(
        requested=requested,
        as_of=snapshot.as_of,
        snapshot_id=snapshot.pk,
        history_end=history_end,
        weights=weights,
        thresholds=thresholds,
        rescored=rescored,
        auc=evaluation.roc_auc([100.0 - s for s in scores], bad),
        red=evaluation.confusion([r.level == HealthLevel.RED for r in results], bad),
        bands=evaluation.calibration(scores, bad),
        levels=levels,
        no_revenue_before=no_revenue_before,
        unscored=unscored,
        groups=groups,
        accounts=results,
    )


SHRINK_PERCENT = int(SHRINK_SHARE * 100)

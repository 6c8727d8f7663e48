"""`kam health …`: the command line of the health score (wired by
`management/commands/health.py`)."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from rich.console import Console
from rich.table import Table

from openkam.core import formatting

from . import backtest as bt


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--as-of {text!r}: use a date like 2025-06-30") from error


def backtest_command(
    *,
    as_of: dt.date,
    weights: str | None = None,
    green_from: float | None = None,
    amber_from: float | None = None,
    as_json: bool = False,
    stdout=None,
) -> bt.Backtest:
    """`kam health backtest --as-of DATE [--weights key=value,…] [--green-from N]
    [--amber-from N] [--json]`: the scores of DATE (computed first when none are stored)
    against the losses and shrinking of the 12 months after it."""
    try:
        candidate = bt.parse_weights(weights) if weights else None
        bt.check_date(as_of)
        console = Console(stderr=True)
        with console.status("Preparing the scores…", spinner="dots"):
            if not _exact(as_of):
                bt.ensure_scores(as_of, stdout=None if as_json else stdout)
        result = bt.backtest(
            as_of=as_of, weights=candidate, green_from=green_from, amber_from=amber_from
        )
    except bt.BacktestError as error:
        raise CommandError(str(error)) from error
    if as_json:
        (stdout or _Stdout()).write(json.dumps(as_dict(result), ensure_ascii=False, indent=2))
    else:
        out = getattr(stdout, "_out", stdout)  # a management command's OutputWrapper
        print_backtest(result, Console(file=out) if out is not None else Console())
    return result


def _exact(as_of: dt.date) -> bool:
    snapshot = bt.scored_snapshot_on_or_before(as_of)
    return snapshot is not None and snapshot.as_of == as_of


class _Stdout:
    def write(self, text: str) -> None:
        print(text)


def _share(value: float | None) -> str:
    return "—" if value is None else formatting.percent(value, 0)


def print_backtest(result: bt.Backtest, console: Console) -> None:
    title = _("Health backtest as of %(date)s: losses and shrinking until %(end)s") % {
        "date": formatting.day(result.as_of),
        "end": formatting.day(result.horizon_end),
    }
    summary = Table(title=title)
    summary.add_column(_("Figure"))
    summary.add_column(_("Value"), justify="right")
    rows = [
        (_("Accounts counted"), formatting.number(result.counted)),
        (
            _("Lost or shrank by more than %(share)s")
            % {"share": formatting.percent(bt.SHRINK_SHARE, 0)},
            f"{formatting.number(result.bad)} ({_share(result.bad_share)})",
        ),
        (
            _("ROC AUC (0.5: a coin toss, 1: perfect)"),
            "—" if result.auc is None else formatting.number(result.auc, 2),
        ),
        (
            _("Precision of red"),
            f"{_share(result.red.precision)} ({formatting.number(result.red.flagged_bad)}"
            f" / {formatting.number(result.red.flagged)})",
        ),
        (
            _("Recall of red"),
            f"{_share(result.red.recall)} ({formatting.number(result.red.flagged_bad)}"
            f" / {formatting.number(result.red.bad)})",
        ),
        (
            _("Left out: no revenue before, groups, unscored"),
            f"{formatting.number(result.no_revenue_before)}, {formatting.number(result.groups)}"
            f", {formatting.number(result.unscored)}",
        ),
    ]
    for name, value in rows:
        summary.add_row(name, value)
    console.print(summary)

    bands = Table(title=_("Calibration: share that went bad per score band"))
    bands.add_column(_("Health score"))
    bands.add_column(_("Accounts"), justify="right")
    bands.add_column(_("Went bad"), justify="right")
    bands.add_column(_("Share"), justify="right")
    for band in result.bands:
        bands.add_row(
            f"{formatting.number(band.low)}–{formatting.number(band.high)}",
            formatting.number(band.count),
            formatting.number(band.bad),
            _share(band.bad_share),
        )
    for level in result.levels:
        bands.add_row(
            _level_label(level.level),
            formatting.number(level.count),
            formatting.number(level.bad),
            _share(level.bad_share),
        )
    console.print(bands)
    weights = ", ".join(f"{key} {value:g}" for key, value in result.weights.items())
    console.print(
        (_("Rescored with: %(weights)s") if result.rescored else _("Weights: %(weights)s"))
        % {"weights": weights}
    )
    console.print(
        _("Green from %(green)s, amber from %(amber)s; sales history until %(end)s.")
        % {
            "green": formatting.number(result.thresholds.green_from),
            "amber": formatting.number(result.thresholds.amber_from),
            "end": formatting.day(result.history_end),
        }
    )


def _level_label(level: str) -> str:
    from .models import HealthLevel

    return str(HealthLevel(level).label)


def as_dict(result: bt.Backtest) -> dict:
    """The backtest as JSON-ready data: what `--json` prints and the API answers."""
    return {
        "as_of": result.as_of.isoformat(),
        "requested": result.requested.isoformat(),
        "horizon_end": result.horizon_end.isoformat(),
        "history_end": result.history_end.isoformat(),
        "snapshot": result.snapshot_id,
        "rescored": result.rescored,
        "weights": result.weights,
        "green_from": result.thresholds.green_from,
        "amber_from": result.thresholds.amber_from,
        "accounts": result.counted,
        "went_bad": result.bad,
        "went_bad_share": result.bad_share,
        "auc": result.auc,
        "red": {
            "flagged": result.red.flagged,
            "flagged_went_bad": result.red.flagged_bad,
            "precision": result.red.precision,
            "recall": result.red.recall,
        },
        "calibration": [
            {
                "low": band.low,
                "high": band.high,
                "accounts": band.count,
                "went_bad": band.bad,
                "went_bad_share": band.bad_share,
            }
            for band in result.bands
        ],
        "levels": [
            {
                "level": row.level,
                "accounts": row.count,
                "went_bad": row.bad,
                "went_bad_share": row.bad_share,
            }
            for row in result.levels
        ],
        "left_out": {
            "no_revenue_before": result.no_revenue_before,
            "groups": result.groups,
            "unscored": result.unscored,
        },
    }

"""The loss states: when an account counts as lost, what it was worth before, and shrinking.

Lost, by `AnalyticsConfig.lost_criterion`:

- "silence": no purchase for more than `lost_after_days` days;
- "rhythm": silent for more than `lost_rhythm_multiple` × the account's own median interval
  between purchase episodes (rounded down to whole days), never less than
  `lost_rhythm_floor_days`; an account with fewer than `rhythm_min_purchases` episodes has no
  rhythm yet and falls back to the silence criterion.

The criterion sets each account's `lost_after_days`. The whole history is judged by it: every
silence longer than that is a loss, dated the day the silence passed it, and a regain when the
account bought again. The rhythm used for past silences is the one the account has on the
as-of date (a median over the whole history changes little with one more interval).

*Revenue before the loss* is the account's revenue (net of credit notes) over the 12 months
that ended on its last purchase before the silence — what the account was worth when it
stopped — with the 12 months cut as the periods are (`periods.months_back`).

*Shrinking* (a second state, never together with lost): the revenue of the 12 months ending
on a date is down more than `shrinking_decline` on the 12 months before, and the history
covers both years in full.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from .revenue import growth

EPOCH = dt.date(1970, 1, 1)


def with_lost_after_days(stats: ir.Table, config) -> ir.Table:
    """The rhythm statistics with each account's `lost_after_days`: the silence (in days)
    beyond which it is lost."""
    silence = ibis.literal(config.lost_after_days, "int64")
    if config.lost_criterion != "rhythm":
        return stats.mutate(lost_after_days=silence)
    own = (stats.median_interval * float(config.lost_rhythm_multiple)).floor().cast("int64")
    floor = ibis.literal(config.lost_rhythm_floor_days, "int64")
    has_rhythm = (stats.episodes >= config.rhythm_min_purchases) & stats.median_interval.notnull()
    return stats.mutate(lost_after_days=ibis.ifelse(has_rhythm, ibis.greatest(own, floor), silence))


def long_gaps(gaps: ir.Table, stats: ir.Table, days: ir.Table, config) -> ir.Table:
    """Every silence that passed the lost criterion (`purchase_gaps` rows): the last purchase
    before it (`day`), its length if the account bought again (`gap`, NULL while it lasts),
    the account's `lost_after_days` and `revenue_before` (whole cents)."""
    length = gaps.gap.coalesce(gaps.silence)
    if config.lost_criterion == "rhythm":
        shortest = min(config.lost_after_days, config.lost_rhythm_floor_days)
        candidates = gaps.filter(length > shortest).select("account_id", "day", "gap", "silence")
        thresholds = stats.select(
            threshold_account=stats.account_id, threshold=stats.lost_after_days
        )
        joined = candidates.join(thresholds, candidates.account_id == thresholds.threshold_account)
        long = joined.filter(joined.gap.coalesce(joined.silence) > joined.threshold).select(
            "account_id", "day", "gap", lost_after_days=joined.threshold
        )
    else:
        long = gaps.filter(length > config.lost_after_days).select(
            "account_id",
            "day",
            "gap",
            lost_after_days=ibis.literal(config.lost_after_days, "int64"),
        )
    return _with_revenue_before(long, days)


def _with_revenue_before(losses: ir.Table, days: ir.Table) -> ir.Table:
    """Add the revenue of the 12 months ending on each loss's last purchase day (that day is a
    purchase day, so every loss keeps at least its own row in the join)."""
    before = days.select(before_account=days.account_id, before_day=days.day, cents=days.revenue)
    joined = losses.join(
        before,
        [
            losses.account_id == before.before_account,
            before.before_day <= losses.day,
            months_back(before.before_day, losses.day) < 12,
        ],
    )
    return joined.group_by("account_id", "day", "gap", "lost_after_days").aggregate(
        revenue_before=joined.cents.sum()
    )


def months_back(date: ir.DateValue, anchor: ir.DateValue) -> ir.IntegerValue:
    """Whole months from `date` back to the date column `anchor`, cut as
    `periods.months_back` cuts them for the as-of date (0 = the month ending on the anchor;
    an anchor on a month's last day counts calendar months). Integer arithmetic only, so
    every engine agrees."""
    months = (anchor.year() * 12 + anchor.month()) - (date.year() * 12 + date.month())
    later_day = ~_is_month_end(anchor) & (date.day() > anchor.day())
    return months - ibis.ifelse(later_day, 1, 0)


def _is_month_end(day: ir.DateValue) -> ir.BooleanValue:
    year, month = day.year(), day.month()
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    last = ibis.cases(
        (month == 2, ibis.ifelse(leap, 29, 28)),
        (month.isin([4, 6, 9, 11]), 30),
        else_=31,
    )
    return day.day() == last


# -- stage 2: on the small tables -----------------------------------------------------------


def loss_events(losses: ir.Table) -> tuple[ir.Table, ir.Table]:
    """The losses (`lost`, dated the day the silence passed the criterion, with the revenue
    before) and the regains (the day of the next purchase), each as account_id, kind, epoch
    and revenue (cents; NULL for regains)."""
    start = losses.day.epoch_days()
    lost = losses.select(
        "account_id",
        kind=ibis.literal("lost"),
        epoch=start + losses.lost_after_days + 1,
        revenue=losses.revenue_before,
    )
    back = losses.filter(losses.gap.notnull())
    regained = back.select(
        "account_id",
        kind=ibis.literal("regained"),
        epoch=back.day.epoch_days() + back.gap,
        revenue=ibis.null("int64"),
    )
    return lost, regained


def current_losses(losses: ir.Table) -> ir.Table:
    """Per account lost now: `lost_since` (the day its silence passed the criterion) and its
    `revenue_before_loss` (whole cents)."""
    open_gaps = losses.filter(losses.gap.isnull())
    since = ibis.literal(EPOCH) + (
        open_gaps.day.epoch_days() + open_gaps.lost_after_days + 1
    ).as_interval("D")
    return open_gaps.select(
        "account_id",
        lost_since=since.cast("date"),
        revenue_before_loss=open_gaps.revenue_before,
    )


def shrinking_at(
    months: ir.Table,
    losses: ir.Table,
    ends: Iterable[tuple[int, dt.date]],
    decline: float,
) -> pa.Table:
    """The accounts shrinking at each end date: (offset, end) pairs, where `offset` is the
    end's month index (months back from the as-of date, whose 12 months are the month
    indices offset … offset + 11). Not lost on that day; the caller passes only ends whose
    24 months the history covers. Returns account_id and offset.

    One pass over the months gives every account's 12-month sums (one column per offset);
    the accounts lost at each end are one join of the losses with the ends."""
    ends = sorted(set(ends))
    if not ends:
        return pa.table(
            {"account_id": pa.array([], pa.int64()), "offset": pa.array([], pa.int64())}
        )
    needed = sorted({offset + shift for offset, _ in ends for shift in (0, 12)})
    twelve = {
        f"r{offset}": months.revenue.sum(
            where=(months.index >= offset) & (months.index < offset + 12)
        )
        for offset in needed
    }
    wide = months.group_by("account_id").aggregate(**twelve).cache()
    try:
        down = []
        for offset, _ in ends:
            last = wide[f"r{offset}"].fill_null(0)
            before = wide[f"r{offset + 12}"].fill_null(0)
            rows = wide.filter(growth(last, before) < -decline)
            down.append(rows.select("account_id", offset=ibis.literal(offset, "int64")))
        candidates = ibis.union(*down) if len(down) > 1 else down[0]
        end_days = ibis.memtable(
            {
                "end_offset": [offset for offset, _ in ends],
                "end_epoch": [(end - EPOCH).days for _, end in ends],
            },
            schema={"end_offset": "int64", "end_epoch": "int64"},
        )
        lost_from = losses.day.epoch_days() + losses.lost_after_days + 1
        regained_on = losses.day.epoch_days() + losses.gap
        spans = losses.select("account_id", lost_from=lost_from, regained_on=regained_on)
        lost_then = spans.cross_join(end_days)
        lost_then = lost_then.filter(
            lost_then.lost_from <= lost_then.end_epoch,
            lost_then.regained_on.isnull() | (lost_then.regained_on > lost_then.end_epoch),
        ).select("account_id", offset=lost_then.end_offset)
        shrinking = candidates.anti_join(lost_then, ["account_id", "offset"])
        return shrinking.order_by("offset", "account_id").to_pyarrow()
    finally:
        wide.release()


def revenue_last_12_months(months: ir.Table) -> ir.Table:
    """Per account: revenue of the 12 months ending on the as-of date (whole cents)."""
    recent = months.filter(months.index < 12)
    return recent.group_by("account_id").aggregate(revenue_12=recent.revenue.sum())

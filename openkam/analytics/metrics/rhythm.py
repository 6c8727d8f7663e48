"""Purchase rhythm and lapse: how often each account buys, when it should buy next, and when
its silence makes it overdue (relative to its own rhythm) or lost (`loss` sets the criterion).

The rhythm is measured between purchase *episodes*, not days: purchase days at most
`episode_gap_days` apart (a working week with its weekend) are one episode. A project buyer who
orders every working day of August, once a year, has a yearly rhythm — not a daily one.
"""

from __future__ import annotations

import datetime as dt

import ibis
import ibis.expr.types as ir


def purchase_gaps(days: ir.Table, as_of: dt.date) -> ir.Table:
    """Every purchase day of every account with the days until the account's next purchase
    (`gap`) — or, after the last purchase, the silence until the as-of date (`silence`)."""
    bought = days.filter(days.purchase_lines > 0).select("account_id", "day")
    bought = bought.mutate(epoch=bought.day.epoch_days())
    following = bought.epoch.lead().over(group_by="account_id", order_by="day")
    return bought.mutate(
        gap=following - bought.epoch,
        silence=ibis.ifelse(
            following.isnull(), ibis.literal(as_of).epoch_days() - bought.epoch, ibis.null("int64")
        ),
    )


def rhythm_stats(gaps: ir.Table, episode_gap_days: int) -> ir.Table:
    """Per account: first and last purchase, purchase days and episodes, and the median, mean
    and spread of the intervals between the starts of its purchase episodes."""
    previous = gaps.epoch.lag().over(group_by="account_id", order_by="day")
    starts = gaps.mutate(
        starts_episode=previous.isnull() | (gaps.epoch - previous > episode_gap_days)
    )
    starts = starts.filter(starts.starts_episode)
    following = starts.epoch.lead().over(group_by="account_id", order_by="day")
    episodes = starts.mutate(interval=following - starts.epoch)
    interval = episodes.interval.cast("float64")
    rhythm = episodes.group_by("account_id").aggregate(
        episodes=episodes.count(),
        last_episode_start=episodes.day.max(),
        median_interval=interval.median(),
        mean_interval=interval.mean(),
        sum_squares=(interval * interval).sum(),
        intervals=episodes.interval.count(),
    )
    days = gaps.group_by("account_id").aggregate(
        first_purchase=gaps.day.min(),
        last_purchase=gaps.day.max(),
        purchase_days=gaps.count(),
        silence=gaps.silence.max(),
    )
    return days.join(rhythm, "account_id")


def classify(stats: ir.Table, as_of: dt.date, config) -> ir.Table:
    """Rhythm class, regularity, the expected next purchase and the lapse flags."""
    mean = stats.mean_interval
    n = stats.intervals.cast("float64")
    spread = (stats.sum_squares / n - mean * mean).clip(lower=0).sqrt()
    regularity = ibis.ifelse(mean > 0, spread / mean, ibis.null("float64"))
    enough = stats.episodes >= config.rhythm_min_purchases
    cases = [(~enough, "irregular"), (regularity > config.rhythm_irregular_cv, "irregular")]
    cases += [(stats.median_interval <= days, name) for name, days in config.rhythm_classes]
    rhythm = ibis.cases(*cases, else_="irregular")
    median_days = stats.median_interval.round().cast("int64")
    known = stats.intervals >= 1
    expected_next = ibis.ifelse(
        known,
        stats.last_episode_start.epoch_days() + median_days,
        ibis.null("int64"),
    )
    lost = stats.silence > stats.lost_after_days  # the lost criterion's (metrics.loss)
    overdue = (
        known
        & ~lost
        & (stats.silence.cast("float64") > config.overdue_multiple * stats.median_interval)
    )
    return stats.mutate(
        interval_cv=regularity,
        rhythm=rhythm,
        expected_next_epoch=expected_next,
        overdue=overdue,
        lost=lost,
    ).drop("sum_squares", "mean_interval", "last_episode_start")

"""The whole metric suite as of a date, in two stages.

1. On the fact engine (DuckDB, PostgreSQL or PySpark — whatever backend `order_lines` is
   bound to), the order lines are reduced to small tables: account × month, purchase-day
   rhythm statistics, long silences, the repeat-purchase model's inputs and account ×
   category. Money stays decimal, so every engine returns the same figures.
2. Those tables (tens of thousands of rows, not millions) are finished on a local in-memory
   DuckDB through the same Ibis functions: quarters and years from months, ABC–XYZ,
   retention by group, rhythm classes, price trend, cross-sell; the model is fitted in numpy.

The result holds Arrow tables and plain dicts; nothing here knows Django.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import ibis
import ibis.expr.types as ir
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import model, whatif
from .config import PERIOD_MONTHS, AnalyticsConfig
from .daily import account_categories, account_days, account_lines
from .metrics import abc_xyz, cross_sell, loss, price, retention, revenue, rhythm, upsell
from .metrics.repeat_purchase import model_inputs
from .periods import FULL, coverage, period_bounds, period_index, shift_months, year_ago_index

PERIODS = tuple(PERIOD_MONTHS)
LOCAL_THREADS = 2  # stage 2's DuckDB (this machine has two cores)
GROUPS = {"owner": "owner_id", "country": "country", "segment": "segment_id"}
DIMENSION_SCHEMA = pa.schema(
    [
        ("account_id", pa.int64()),
        ("owner_id", pa.int64()),
        ("country", pa.string()),
        ("segment_id", pa.int64()),
        ("is_key", pa.bool_()),
    ]
)


@dataclass
class PeriodResults:
    """Everything that depends on the period length (month, quarter or year)."""

    period: str
    bounds: list[tuple[dt.date, dt.date]]  # index 0 = the period ending on the as-of date
    accounts: pa.Table  # one row per account: period 0, growth, ABC–XYZ, retention flags
    series: pa.Table  # per group and period index: revenue, retention, lost, regained, new
    matrix: pa.Table  # ABC × XYZ cells
    headline: dict[str, Any]  # the portfolio's figures for period 0 and the Pareto curve


@dataclass
class Results:
    as_of: dt.date
    config: AnalyticsConfig
    engine: str
    accounts: pa.Table  # one row per account: rhythm, lapse, model, price
    periods: dict[str, PeriodResults]
    cross_sell: pa.Table
    up_sell: pa.Table  # per account × category bought: spend, size band, the gap
    model: dict[str, Any]
    history_start: dt.date | None = None  # the first invoice date of the lines analysed
    history_end: dt.date | None = None  # the last one (by the as-of date)
    what_if: pa.Table | None = None  # per group and cohort age: the retention what-if's basis
    timings: dict[str, float] = field(default_factory=dict)


def compute(
    order_lines: ir.Table,
    *,
    as_of: dt.date,
    dimension: pa.Table | None = None,
    config: AnalyticsConfig | None = None,
    history_start: dt.date | None = None,
) -> Results:
    """Compute every metric from `order_lines` as of `as_of` (later lines are ignored).

    `dimension` describes the accounts (DIMENSION_SCHEMA) for the figures by owner, country
    and segment and the key accounts' share; without it only the portfolio is summarised.
    `history_start` is the first day the sales history covers (the first invoice date by
    default): growth against a period that starts before it is not computed, and a first
    purchase soon after it is not counted as a new account.
    """
    config = config or AnalyticsConfig()
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 3)
        clock = now

    engine = order_lines._find_backend().name
    fetched = _reduce_on_engine(order_lines, as_of, config)
    extent = fetched.pop("history_extent").to_pylist()[0]
    history_start = history_start or extent["first_day"]
    history_end = extent["last_day"]
    lap("engine")
    # Every sum here is of integers (cents, counts, depths in parts per trillion), exact in any
    # order, so the local engine may use its threads. The model is fitted in numpy, which adds
    # up in row order: its inputs are sorted by account, so that every engine gives
    # bit-identical results.
    inputs = fetched.pop("model_inputs").sort_by("account_id")
    local = ibis.duckdb.connect(threads=LOCAL_THREADS)
    dimension = dimension if dimension is not None else _empty_dimension()
    fetched["dimension"] = dimension.cast(DIMENSION_SCHEMA)
    tables = {name: local.create_table(name, data) for name, data in fetched.items()}

    stats = rhythm.classify(tables["rhythm"], as_of, config)
    tables["shrinking"] = _shrinking(local, tables, as_of, config, history_start)
    fitted = model.fit_and_predict(inputs, as_of=as_of, config=config)
    lap("model")

    periods = {
        period: _period_results(local, tables, period, as_of, config, history_start, history_end)
        for period in PERIODS
    }
    lap("periods")
    accounts = _account_table(local, stats, fitted.accounts, tables, as_of, config)
    whitespace = cross_sell.whitespace(
        cross_sell.matrix(tables["categories"]), config.cross_sell_top
    )
    lap("cross_sell")
    up_sell = _as_money(
        upsell.up_sell(
            cross_sell.matrix(tables["categories"]),
            bands=config.up_sell_bands,
            threshold=config.up_sell_threshold,
            min_buyers=config.up_sell_min_buyers,
        ).to_pyarrow(),
        {"revenue", "band_median", "gap"},
    )
    lap("up_sell")
    what_if = whatif.cohort_basis(
        _periods_of(tables["months"], "year"),
        whatif.cohorts_of(tables["rhythm"], as_of),
        dimension=tables["dimension"],
        groups=GROUPS if dimension.num_rows else {},
        observed=months_needed(config) // 12,
    ).order_by("group", "key", "age")
    what_if = _as_money(what_if.to_pyarrow(), {"retained_revenue", "revenue_now"})
    lap("what_if")
    _add_lapse_headline(periods, accounts)
    local.disconnect()
    return Results(
        as_of=as_of,
        config=config,
        engine=engine,
        accounts=accounts,
        periods=periods,
        cross_sell=whitespace.sort_by([("account_id", "ascending"), ("rank", "ascending")]),
        up_sell=up_sell,
        model=fitted.summary,
        history_start=history_start,
        history_end=history_end,
        what_if=what_if,
        timings=timings,
    )


# -- stage 1: on the fact engine ---------------------------------------------------------


def months_needed(config: AnalyticsConfig) -> int:
    """Months of history the periods need: the window plus one period before it (retention)
    and the same period a year before."""
    return max((max(config.window(p), year_ago_index(p)) + 1) * PERIOD_MONTHS[p] for p in PERIODS)


def _reduce_on_engine(
    order_lines: ir.Table, as_of: dt.date, config: AnalyticsConfig
) -> dict[str, pa.Table]:
    lines = account_lines(order_lines, as_of)
    cached: list[ir.Table] = []

    def cache(table: ir.Table) -> ir.Table:
        """Materialise a table that several queries read (freed at the end)."""
        cached.append(table.cache())
        return cached[-1]

    try:
        days = cache(account_days(lines))
        gaps = cache(rhythm.purchase_gaps(days, as_of))
        stats = cache(
            loss.with_lost_after_days(rhythm.rhythm_stats(gaps, config.episode_gap_days), config)
        )
        months = revenue.account_periods(days, as_of, "month", months_needed(config))
        window_start = shift_months(as_of, -12) + dt.timedelta(days=1)
        recent = lines.filter(lines.invoice_date >= ibis.literal(window_start))
        return {
            "months": months.to_pyarrow(),
            "rhythm": stats.to_pyarrow(),
            "long_gaps": loss.long_gaps(gaps, stats, days, config).to_pyarrow(),
            "model_inputs": model_inputs(
                days, stats, as_of, config.model_holdout_days
            ).to_pyarrow(),
            "categories": account_categories(recent).to_pyarrow(),
            "history_extent": days.aggregate(
                first_day=days.day.min(), last_day=days.day.max()
            ).to_pyarrow(),
        }
    finally:
        for table in cached:
            table.release()


def _empty_dimension() -> pa.Table:
    return DIMENSION_SCHEMA.empty_table()


# -- stage 2: small tables, local DuckDB ---------------------------------------------------


def _periods_of(months: ir.Table, period: str) -> ir.Table:
    """Re-cut the account × month table into quarters or years (month indices are months
    back from the as-of date, so a period of L months is index // L)."""
    length = PERIOD_MONTHS[period]
    if length == 1:
        return months
    regrouped = months.mutate(index=((months.index - months.index % length) / length).cast("int64"))
    return regrouped.group_by("account_id", "index").aggregate(
        **{
            column: regrouped[column].sum()
            for column in (
                "revenue",
                "margin",
                "quantity",
                "orders",
                "purchase_days",
                "discount",
                "gross",
            )
        }
    )


def _period_results(
    local: ibis.BaseBackend,
    tables: dict[str, ir.Table],
    period: str,
    as_of: dt.date,
    config: AnalyticsConfig,
    history_start: dt.date | None,
    history_end: dt.date | None,
) -> PeriodResults:
    window = config.window(period)
    year_ago = year_ago_index(period)
    bounds = [period_bounds(as_of, period, i) for i in range(max(window, year_ago + 1))]
    covered = [coverage(b, history_start) for b in bounds]
    periods = _periods_of(tables["months"], period)
    if PERIOD_MONTHS[period] > 1:  # months are a table already; quarters and years are re-cut
        periods = periods.cache()

    # one row per account with lines in the window or in the same period a year before; the
    # periods are one row per account and index, so each figure is a lookup (a join), not a
    # filtered aggregate
    seen = periods.filter(periods.index <= max(window - 1, year_ago))

    def at(index: int, **columns: str) -> ir.Table:
        rows = periods.filter(periods.index == index)
        return rows.select("account_id", **{name: rows[column] for name, column in columns.items()})

    figures = [
        at(0, revenue="revenue", margin="margin", volume="quantity", orders="orders",
           purchase_days="purchase_days"),
        at(1, revenue_prev="revenue", prev_purchase_days="purchase_days"),
        at(year_ago, revenue_year_ago="revenue"),
    ]  # fmt: skip
    current = seen.select("account_id").distinct()
    for figure in figures:
        current = current.left_join(figure, "account_id").drop("account_id_right")
    # no growth on a period the history covers only in part: its "revenue" is the days imported
    no_growth = ibis.null("float64")
    current = current.mutate(
        previously_active=(current.prev_purchase_days > 0).fill_null(False),
        active=current.purchase_days.fill_null(0) > 0,
        growth_prev=revenue.growth(current.revenue.fill_null(0), current.revenue_prev)
        if covered[1] == FULL
        else no_growth,
        growth_year_ago=revenue.growth(current.revenue.fill_null(0), current.revenue_year_ago)
        if covered[year_ago] == FULL
        else no_growth,
    ).drop("prev_purchase_days")
    current = current.mutate(retained=current.active & current.previously_active)
    totals = abc_xyz.window_totals(periods, window)
    classes = abc_xyz.abc_classes(totals, config.abc_measure, config.abc_cutoffs)
    classes = classes.mutate(
        xyz=abc_xyz.xyz_class(classes.revenue_cv, config.xyz_cutoffs)
    ).cache()  # read by the accounts and the matrix
    discounts = price.discount_depth(periods, window)
    accounts = (
        current.outer_join(classes, "account_id")
        .mutate(account_id=ibis._.account_id.coalesce(ibis._.account_id_right))
        .drop("account_id_right")
    )
    accounts = accounts.left_join(discounts, "account_id").drop("account_id_right")
    all_events = _lapse_events(
        tables, period, as_of, window, config.lost_after_days, history_start
    ).cache()
    events = all_events.filter(all_events.index == 0)
    flags = events.group_by("account_id").aggregate(
        lost_in_period=(events.kind == "lost").any(),
        regained_in_period=(events.kind == "regained").any(),
        new_in_period=(events.kind == "new").any(),
    )
    accounts = accounts.left_join(flags, "account_id").drop("account_id_right")
    accounts = accounts.mutate(
        haggler=(accounts.discount_depth > config.haggler_discount).fill_null(False),
        # bought only a year before the window: nothing in it, class C
        window_revenue=accounts.window_revenue.fill_null(0),
        abc=accounts.abc.fill_null("C"),
        lost_in_period=accounts.lost_in_period.fill_null(False),
        regained_in_period=accounts.regained_in_period.fill_null(False),
        new_in_period=accounts.new_in_period.fill_null(False),
    ).order_by("account_id")
    account_rows = accounts.to_pyarrow()

    shrinking = _shrinking_in(tables["shrinking"], period, window)
    series = _series(tables, periods, all_events.union(shrinking), window)
    matrix = abc_xyz.matrix(classes).order_by("abc", "xyz").to_pyarrow()
    headline = _headline(account_rows, tables["dimension"].to_pyarrow(), series)
    headline["coverage"] = {
        "history_start": history_start.isoformat() if history_start else None,
        "history_end": history_end.isoformat() if history_end else None,
        "current": covered[0],
        "previous": covered[1],
        "year_ago": covered[year_ago],
        "periods": covered[:window],
        # an account first seen less than the lost criterion after the history starts may
        # have bought before it: it is not counted as new
        "new_from": None
        if history_start is None
        else (history_start + dt.timedelta(days=config.lost_after_days + 1)).isoformat(),
    }
    if PERIOD_MONTHS[period] > 1:
        periods.release()
    classes.release()
    all_events.release()
    return PeriodResults(
        period,
        bounds[:window],
        _as_money(account_rows, MONEY_COLUMNS, QUANTITY_COLUMNS),
        _as_money(series, MONEY_COLUMNS),
        _as_money(matrix, MONEY_COLUMNS),
        headline,
    )


def _series(
    tables: dict[str, ir.Table], periods: ir.Table, events: ir.Table, window: int
) -> pa.Table:
    """Per group and period: revenue, retention, accounts lost, regained, new and shrinking
    at the end of the period, and the revenue lost (the lost accounts' revenue before). The
    group `key` is the key accounts only, as one portfolio."""
    pairs = retention.period_pairs(periods, window).cache()
    dimension = tables["dimension"]
    results = []
    groups = [("portfolio", None)]
    if dimension.count().to_pyarrow().as_py():
        groups += [*GROUPS.items(), (KEY_GROUP, None)]
    for group, column in groups:
        key = ibis.literal("") if column is None else dimension[column].cast("string")
        members = dimension.filter(dimension.is_key) if group == KEY_GROUP else dimension
        keyed = members.select("account_id", key=key.fill_null(""))
        grouped_pairs = _in_group(pairs, keyed, members_only=group == KEY_GROUP)
        agg = grouped_pairs.group_by("key", "index").aggregate(
            **retention.retention_aggregates(grouped_pairs)
        )
        grouped_events = _in_group(events, keyed, members_only=group == KEY_GROUP)
        counts = grouped_events.group_by("key", "index").aggregate(
            lost=(grouped_events.kind == "lost").sum(),
            regained=(grouped_events.kind == "regained").sum(),
            new=(grouped_events.kind == "new").sum(),
            shrinking=(grouped_events.kind == "shrinking").sum(),
            revenue_lost=grouped_events.revenue.sum(where=grouped_events.kind == "lost"),
        )
        joined = agg.outer_join(counts, ["key", "index"])
        joined = joined.select(
            group=ibis.literal(group),
            key=joined.key.coalesce(joined.key_right),
            index=joined.index.coalesce(joined.index_right),
            revenue=joined.revenue,
            active=joined.active.fill_null(0),
            previously_active=joined.previously_active.fill_null(0),
            retained=joined.retained.fill_null(0),
            base_revenue=joined.base_revenue,
            retained_revenue_net=joined.retained_revenue_net,
            retained_revenue_gross=joined.retained_revenue_gross,
            lost=joined.lost.fill_null(0),
            regained=joined.regained.fill_null(0),
            new=joined.new.fill_null(0),
            shrinking=joined.shrinking.fill_null(0),
            revenue_lost=joined.revenue_lost.fill_null(0),
        )
        results.append(retention.rates(joined).to_pyarrow())
    pairs.release()
    return pa.concat_tables(results).sort_by(
        [("group", "ascending"), ("key", "ascending"), ("index", "ascending")]
    )


def _in_group(table: ir.Table, keyed: ir.Table, *, members_only: bool) -> ir.Table:
    """The rows with their account's group key: accounts outside the dimension are in the
    group "" — except for a members-only group (the key accounts), which leaves them out."""
    joined = table.left_join(keyed, "account_id").drop("account_id_right")
    if members_only:
        return joined.filter(joined.key.notnull())
    return joined.mutate(key=joined.key.fill_null(""))


def _lapse_events(
    tables: dict[str, ir.Table],
    period: str,
    as_of: dt.date,
    window: int,
    lost_after_days: int,
    history_start: dt.date | None,
) -> ir.Table:
    """Dated events per account: `lost` the day its silence passed the criterion, `regained`
    the day it bought again after that, `new` its first purchase — when the history covers
    more than the lost criterion before it. A first purchase closer to the start of the
    imported history may continue purchases made before it: the start of the history is not
    the day every account was won."""
    lost, regained = loss.loss_events(tables["long_gaps"])
    stats = tables["rhythm"]
    new = stats.select(
        "account_id",
        kind=ibis.literal("new"),
        epoch=stats.first_purchase.epoch_days(),
        revenue=ibis.null("int64"),
    )
    if history_start is not None:
        new = new.filter(new.epoch > (history_start - EPOCH).days + lost_after_days)
    events = lost.union(regained).union(new)
    events = events.filter(events.epoch <= (as_of - EPOCH).days)
    day = ibis.literal(EPOCH) + events.epoch.as_interval("D")
    events = events.mutate(index=period_index(day.cast("date"), as_of, period))
    return events.filter(events.index < window).select("account_id", "kind", "index", "revenue")


EPOCH = dt.date(1970, 1, 1)
KEY_GROUP = "key"


def _shrinking(
    local: ibis.BaseBackend,
    tables: dict[str, ir.Table],
    as_of: dt.date,
    config: AnalyticsConfig,
    history_start: dt.date | None,
) -> ir.Table:
    """The accounts shrinking at the end of every period of every window (account_id and
    the end's month index `offset`), where the history covers the 24 months before the end."""
    offsets = {
        index * PERIOD_MONTHS[period]
        for period in PERIODS
        for index in range(config.window(period))
    }
    ends = [
        (offset, shift_months(as_of, -offset))
        for offset in sorted(offsets)
        if offset + 24 <= months_needed(config)
        and coverage(period_bounds(as_of, "month", offset + 23), history_start) == FULL
    ]
    shrinking = loss.shrinking_at(
        tables["months"], tables["long_gaps"], ends, config.shrinking_decline
    )
    return local.create_table("shrinking", shrinking)


def _shrinking_in(shrinking: ir.Table, period: str, window: int) -> ir.Table:
    """The period's shrinking accounts as events (kind `shrinking`, by period index)."""
    length = PERIOD_MONTHS[period]
    rows = shrinking.filter(shrinking.offset % length == 0, shrinking.offset < window * length)
    return rows.select(
        "account_id",
        kind=ibis.literal("shrinking"),
        index=(rows.offset / length).cast("int64") if length > 1 else rows.offset,
        revenue=ibis.null("int64"),
    )


def _headline(accounts: pa.Table, dimension: pa.Table, series: pa.Table) -> dict[str, Any]:
    """The portfolio's figures for period 0: revenue and growth, retention, the key accounts'
    share, the top 20 % share and the Pareto curve (with the key accounts marked)."""
    ids = accounts["account_id"].to_numpy()
    revenue = _cents_array(accounts["revenue"])
    key_ids = dimension.filter(dimension["is_key"].fill_null(False))["account_id"]
    is_key = pc.is_in(accounts["account_id"], value_set=key_ids.combine_chunks()).to_numpy()
    total = int(revenue.sum())
    positive = revenue > 0
    order = np.lexsort((ids[positive], -revenue[positive]))
    ranked = revenue[positive][order]
    ranked_key = is_key[positive][order]
    cumulative = np.cumsum(ranked)
    n = len(ranked)
    top = math.ceil(0.2 * n)
    positive_total = int(cumulative[-1]) if n else 0
    portfolio = series.filter(
        pc.and_(pc.equal(series["group"], "portfolio"), pc.equal(series["index"], 0))
    ).to_pylist()
    row = portfolio[0] if portfolio else {}
    before = series.filter(
        pc.and_(pc.equal(series["group"], "portfolio"), pc.equal(series["index"], 1))
    ).to_pylist()
    return {
        "revenue": _money(total),
        "revenue_prev": _money(_cents_sum(accounts["revenue_prev"])),
        "revenue_year_ago": _money(_cents_sum(accounts["revenue_year_ago"])),
        "accounts_active": int(row.get("active", 0)),
        "accounts_with_revenue": n,
        "retention_rate": row.get("retention_rate"),
        "revenue_retention_net": row.get("revenue_retention_net"),
        "revenue_retention_gross": row.get("revenue_retention_gross"),
        "key_accounts": int(is_key.sum()),
        "key_account_share": _ratio(int(revenue[is_key].sum()), total),
        "top20_accounts": top,
        "top20_share": _ratio(int(cumulative[top - 1]) if n else 0, positive_total),
        "lost": int(row.get("lost", 0)),
        "regained": int(row.get("regained", 0)),
        "new": int(row.get("new", 0)),
        "shrinking": int(row.get("shrinking", 0)),
        "revenue_lost": _money(int(row.get("revenue_lost") or 0)),
        "lost_prev": int(before[0]["lost"]) if before else 0,
        "pareto": _pareto_curve(cumulative, ranked_key, ids[positive][order]),
    }


def _pareto_curve(cumulative: np.ndarray, is_key: np.ndarray, ids: np.ndarray) -> dict:
    """The cumulative revenue share at every percent of accounts, and each key account's
    position on the curve."""
    n = len(cumulative)
    if not n:
        return {"points": [], "key_accounts": []}
    total = float(cumulative[-1])
    points = [[0.0, 0.0]]
    for percent in range(1, 101):
        count = math.ceil(percent * n / 100)
        points.append([percent / 100, round(float(cumulative[count - 1]) / total, 6)])
    marks = [
        [round((i + 1) / n, 6), round(float(cumulative[i]) / total, 6), int(ids[i])]
        for i in np.flatnonzero(is_key)
    ]
    return {"points": points, "key_accounts": marks}


def _account_table(
    local: ibis.BaseBackend,
    stats: ir.Table,
    predictions: pa.Table,
    tables: dict[str, ir.Table],
    as_of: dt.date,
    config: AnalyticsConfig,
) -> pa.Table:
    """One row per account: rhythm, lapse, days silent, the loss states and the model's
    predictions."""
    stats = stats.mutate(
        expected_next_purchase=(
            ibis.literal(EPOCH) + stats.expected_next_epoch.as_interval("D")
        ).cast("date"),
        days_since_purchase=stats.silence,
    ).drop("expected_next_epoch", "silence")
    stats = _with_loss_states(stats, tables)
    model_table = local.create_table("predictions", predictions)
    joined = stats.left_join(model_table, "account_id").drop("account_id_right")
    return _as_money(joined.order_by("account_id").to_pyarrow(), {"revenue_before_loss"})


def _with_loss_states(stats: ir.Table, tables: dict[str, ir.Table]) -> ir.Table:
    """Add `lost_since`, `shrinking` (now) and `revenue_before_loss`: the 12 months before
    the loss for a lost account, the 12 months to the as-of date for every other."""
    shrinking = tables["shrinking"]
    now = shrinking.filter(shrinking.offset == 0).select("account_id", shrinking_now=True)
    joined = stats
    for part in (
        loss.current_losses(tables["long_gaps"]),
        loss.revenue_last_12_months(tables["months"]),
        now,
    ):
        joined = joined.left_join(part, "account_id").drop("account_id_right")
    return joined.mutate(
        # PySpark returns the silence criterion's constant as a 32-bit integer
        lost_after_days=joined.lost_after_days.cast("int64"),
        shrinking=joined.shrinking_now.fill_null(False),
        revenue_before_loss=joined.revenue_before_loss.coalesce(joined.revenue_12, 0),
    ).drop("shrinking_now", "revenue_12")


def _add_lapse_headline(periods: dict[str, PeriodResults], accounts: pa.Table) -> None:
    """The current state (not per period): how many accounts are overdue, lost and shrinking
    now."""
    overdue = int(pc.sum(accounts["overdue"].cast(pa.int64())).as_py() or 0)
    lost = int(pc.sum(accounts["lost"].cast(pa.int64())).as_py() or 0)
    shrinking = int(pc.sum(accounts["shrinking"].cast(pa.int64())).as_py() or 0)
    for result in periods.values():
        result.headline["accounts_overdue"] = overdue
        result.headline["accounts_lost"] = lost
        result.headline["accounts_shrinking"] = shrinking


MONEY_COLUMNS = {
    "revenue", "margin", "revenue_prev", "revenue_year_ago", "window_revenue", "window_margin",
    "base_revenue", "retained_revenue_net", "retained_revenue_gross", "revenue_lost",
    "revenue_before_loss",
}  # fmt: skip
QUANTITY_COLUMNS = {"volume"}
_CENT = pa.scalar(Decimal("0.01"), pa.decimal128(3, 2))
_QUANTITY_UNIT = pa.scalar(Decimal("0.0001"), pa.decimal128(5, 4))


def _as_money(table: pa.Table, money: set[str], quantities: set[str] = frozenset()) -> pa.Table:
    """Whole cents (and ten-thousandths of a unit) back to exact decimals."""
    for index, name in enumerate(table.column_names):
        if name in money or name in quantities:
            unit, kind = (
                (_CENT, pa.decimal128(18, 2))
                if name in money
                else (_QUANTITY_UNIT, pa.decimal128(18, 4))
            )
            column = pc.multiply(table[name].cast(pa.decimal128(19, 0)), unit).cast(kind)
            table = table.set_column(index, name, column)
    return table


def _cents_array(column: pa.ChunkedArray) -> np.ndarray:
    """Whole cents (int64, missing as 0) as a numpy array."""
    return column.fill_null(0).cast(pa.int64()).to_numpy()


def _cents_sum(column: pa.ChunkedArray) -> int:
    return int(pc.sum(column).as_py() or 0)


def _money(cents: int) -> str:
    """Money as a decimal string, exact (JSON has no decimals)."""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator > 0 else None

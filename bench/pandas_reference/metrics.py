"""The KAM metrics written the way a data analyst writes them in pandas (the comparison for
bench/analytics.py). Runs in bench/.venv-lifetimes (pandas 1.5, numpy 1.26) and also under
pandas 2+; reads the fact store's Parquet and writes its results as Parquet for the bench to
compare with OpenKAM's.

    python metrics.py FACTS_GLOB AS_OF OUT_DIR

Definitions follow openkam/analytics (see its docstrings): periods end on the as-of date,
ABC on the window's revenue with the crossing account still A, XYZ on the coefficient of
variation of revenue per period with zeros, rhythm between purchase episodes (days at most 3
apart), lost after 365 silent days, overdue after twice the median interval; shrinking when
the last 12 months are down more than 30 % on the 12 before (not lost, both years covered).
"""

from __future__ import annotations

import calendar
import datetime as dt
import glob
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

WINDOW = {"month": 12, "quarter": 8, "year": 3}
LENGTH = {"month": 1, "quarter": 3, "year": 12}
COLUMNS = [
    "account_id", "invoice_date", "document_number", "net_amount_rc", "cost_rc", "quantity",
    "is_credit", "discount", "net_amount", "fx_rate", "category_id",
]  # fmt: skip


def months_back(dates: pd.Series, as_of: dt.date) -> pd.Series:
    months = (as_of.year * 12 + as_of.month) - (dates.dt.year * 12 + dates.dt.month)
    if as_of.day == calendar.monthrange(as_of.year, as_of.month)[1]:
        return months
    return months - (dates.dt.day > as_of.day).astype(int)


def load(pattern: str, as_of: dt.date) -> pd.DataFrame:
    frames = [pd.read_parquet(path, columns=COLUMNS) for path in sorted(glob.glob(pattern))]
    lines = pd.concat(frames, ignore_index=True)
    lines["invoice_date"] = pd.to_datetime(lines["invoice_date"])
    lines = lines[lines["account_id"].notna() & (lines["invoice_date"] <= pd.Timestamp(as_of))]
    for column in ("net_amount_rc", "cost_rc", "quantity", "discount", "net_amount", "fx_rate"):
        lines[column] = lines[column].astype(float)
    return lines


def account_days(lines: pd.DataFrame) -> pd.DataFrame:
    lines = lines.assign(
        purchase=~lines["is_credit"],
        margin=lines["net_amount_rc"] - lines["cost_rc"],
        disc_rc=np.where(
            ~lines["is_credit"] & lines["discount"].notna(), lines["discount"] * lines["fx_rate"], 0
        ),
        gross_rc=np.where(
            ~lines["is_credit"] & lines["discount"].notna(),
            (lines["net_amount"] + lines["discount"]) * lines["fx_rate"],
            0,
        ),
    )
    days = lines.groupby(["account_id", "invoice_date"]).agg(
        revenue=("net_amount_rc", "sum"),
        margin=("margin", "sum"),
        purchase_lines=("purchase", "sum"),
        discount=("disc_rc", "sum"),
        gross=("gross_rc", "sum"),
    )
    return days.reset_index()


def period_metrics(days: pd.DataFrame, as_of: dt.date, period: str) -> pd.DataFrame:
    window = WINDOW[period]
    days = days.assign(
        index=months_back(days["invoice_date"], as_of) // LENGTH[period],
        purchased=days["purchase_lines"] > 0,
    )
    periods = (
        days.groupby(["account_id", "index"])
        .agg(revenue=("revenue", "sum"), purchase_days=("purchased", "sum"),
             discount=("discount", "sum"), gross=("gross", "sum"))
        .reset_index()
    )  # fmt: skip
    year_ago = 12 // LENGTH[period]
    # accounts with lines in the window or in the same period a year before
    periods = periods[periods["index"] <= max(window - 1, year_ago)]
    wide = periods.pivot(index="account_id", columns="index", values="revenue")
    active = periods.pivot(index="account_id", columns="index", values="purchase_days").fillna(0)
    result = pd.DataFrame(index=wide.index)
    result["revenue"] = wide.get(0)
    result["revenue_prev"] = wide.get(1)
    result["revenue_year_ago"] = wide.get(year_ago)
    result["retained"] = (active.get(0, 0) > 0) & (active.get(1, 0) > 0)
    in_window = wide.reindex(columns=range(window)).fillna(0.0)
    mean = in_window.mean(axis=1)
    result["window_revenue"] = in_window.sum(axis=1)
    result["revenue_cv"] = (in_window.std(axis=1, ddof=0) / mean).where(mean > 0)
    result["xyz"] = pd.cut(result["revenue_cv"], [-np.inf, 0.5, 1.0, np.inf], labels=list("XYZ"))
    ranked = result.loc[result["window_revenue"] > 0].reset_index()
    ranked = ranked.sort_values(["window_revenue", "account_id"], ascending=[False, True])
    share_before = (ranked["window_revenue"].cumsum() - ranked["window_revenue"]) / ranked[
        "window_revenue"
    ].sum()
    ranked["abc"] = np.select([share_before < 0.8, share_before < 0.95], ["A", "B"], "C")
    result["abc"] = ranked.set_index("account_id")["abc"].reindex(result.index).fillna("C")
    current = periods[periods["index"] < window]
    current = current[current["gross"] > 0].groupby("account_id")[["discount", "gross"]].sum()
    result["discount_depth"] = current["discount"] / current["gross"]
    return result.reset_index()


def rhythm(days: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    bought = days.loc[days["purchase_lines"] > 0, ["account_id", "invoice_date"]]
    bought = bought.sort_values(["account_id", "invoice_date"])
    gap_before = bought.groupby("account_id")["invoice_date"].diff().dt.days
    starts = bought[gap_before.isna() | (gap_before > 3)].copy()
    starts["interval"] = starts.groupby("account_id")["invoice_date"].diff(-1).dt.days.abs()
    stats = starts.groupby("account_id").agg(
        episodes=("invoice_date", "size"),
        median_interval=("interval", "median"),
        mean=("interval", "mean"),
        std=("interval", "std"),
        intervals=("interval", "count"),
    )
    # population standard deviation, as the engine (pandas' std is the sample one)
    stats["std"] = stats["std"] * np.sqrt((stats["intervals"] - 1) / stats["intervals"])
    stats.loc[stats["intervals"] == 1, "std"] = 0.0
    last = bought.groupby("account_id")["invoice_date"].max()
    stats["days_since_purchase"] = (pd.Timestamp(as_of) - last).dt.days
    cv = stats["std"] / stats["mean"]
    enough = stats["episodes"] >= 3
    stats["rhythm"] = np.select(
        [~enough | (cv > 1.0), stats["median_interval"] <= 45, stats["median_interval"] <= 120,
         stats["median_interval"] <= 400],
        ["irregular", "monthly", "quarterly", "yearly"],
        "irregular",
    )  # fmt: skip
    stats["lost"] = stats["days_since_purchase"] > 365
    stats["overdue"] = (
        stats["median_interval"].notna()
        & ~stats["lost"]
        & (stats["days_since_purchase"] > 2 * stats["median_interval"])
    )
    return stats[["median_interval", "rhythm", "overdue", "lost", "days_since_purchase"]]


def cross_sell(lines: pd.DataFrame, as_of: dt.date, top: int = 5) -> pd.DataFrame:
    start = pd.Timestamp(as_of) - pd.DateOffset(months=12)
    recent = lines[(lines["invoice_date"] > start) & lines["category_id"].notna()]
    bought = recent.groupby(["account_id", "category_id"])["net_amount_rc"].sum()
    bought = bought[bought > 0].rename("revenue").reset_index()
    bought["share"] = bought["revenue"] / bought.groupby("account_id")["revenue"].transform("sum")
    category = bought.groupby("category_id").agg(
        buyers=("account_id", "size"), typical_share=("share", "median")
    )
    matrix = pd.crosstab(bought["account_id"], bought["category_id"]).clip(upper=1)
    together = matrix.T @ matrix  # co-buyers per pair of categories
    confidence = together.div(category["buyers"], axis=0)  # P(target | source)
    confidence = confidence.mask(np.eye(len(confidence), dtype=bool), 0.0)
    owned = matrix.astype(float)
    affinity = (owned @ confidence).div(owned.sum(axis=1), axis=0)
    totals = bought.groupby("account_id")["revenue"].sum()
    expected = affinity.mul(category["typical_share"], axis=1).mul(totals, axis=0)
    expected = expected.where((owned == 0) & (owned @ (confidence > 0)).gt(0))
    long = expected.stack().dropna().rename("expected_revenue").reset_index()
    long = long.sort_values(["account_id", "expected_revenue", "category_id"],
                            ascending=[True, False, True])  # fmt: skip
    long["rank"] = long.groupby("account_id").cumcount() + 1
    return long[long["rank"] <= top]


def up_sell(
    lines: pd.DataFrame,
    as_of: dt.date,
    bands: int = 10,
    threshold: float = 0.5,
    min_buyers: int = 3,
) -> pd.DataFrame:
    start = pd.Timestamp(as_of) - pd.DateOffset(months=12)
    recent = lines[(lines["invoice_date"] > start) & lines["category_id"].notna()]
    bought = recent.groupby(["account_id", "category_id"])["net_amount_rc"].sum()
    bought = (bought * 100).round().astype("int64")  # whole cents
    bought = bought[bought > 0].rename("revenue").reset_index()
    sizes = bought.groupby("account_id")["revenue"].sum().rename("size").reset_index()
    sizes = sizes.sort_values(["size", "account_id"]).reset_index(drop=True)
    sizes["size_band"] = np.arange(len(sizes)) * bands // max(len(sizes), 1) + 1
    rows = bought.merge(sizes[["account_id", "size_band"]], on="account_id")
    yardstick = (
        rows.groupby(["size_band", "category_id"])["revenue"]
        .agg(band_buyers="size", band_median="median")
        .reset_index()
    )
    yardstick["band_median"] = np.floor(yardstick["band_median"]).astype("int64")
    rows = rows.merge(yardstick, on=["size_band", "category_id"])
    below = (rows["band_buyers"] >= min_buyers) & (
        rows["revenue"].astype(float) < rows["band_median"].astype(float) * threshold
    )
    rows["gap"] = (rows["band_median"] - rows["revenue"]).where(below) / 100
    rows["revenue"] = rows["revenue"] / 100
    rows["band_median"] = rows["band_median"] / 100
    return rows.sort_values(["account_id", "category_id"])


def what_if(days: pd.DataFrame, as_of: dt.date, years: int = 4) -> pd.DataFrame:
    """The retention what-if's cohort basis per cohort age (the portfolio): year-on-year
    transitions over the last `years` years and the accounts active in the latest one."""
    bought = days[days["purchase_lines"] > 0]
    cohort = months_back(bought.groupby("account_id")["invoice_date"].min(), as_of) // 12
    yearly = days.assign(index=months_back(days["invoice_date"], as_of) // 12,
                         purchased=days["purchase_lines"] > 0)  # fmt: skip
    yearly = yearly[yearly["index"] < years]
    yearly = yearly.groupby(["account_id", "index"]).agg(
        revenue=("revenue", "sum"), purchase_days=("purchased", "sum")
    )
    active = yearly[yearly["purchase_days"] > 0].reset_index()
    active["age"] = active["account_id"].map(cohort) - active["index"]
    before = active.loc[active["index"] >= 1, ["account_id", "index", "age"]]
    before = before.assign(index=before["index"] - 1, age=before["age"] + 1)
    pairs = before.merge(active[["account_id", "index", "revenue"]], how="left",
                         on=["account_id", "index"])  # fmt: skip
    transitions = pairs.groupby("age").agg(
        previously_active=("account_id", "size"),
        retained=("revenue", "count"),
        retained_revenue=("revenue", "sum"),
    )
    now = (
        active[active["index"] == 0]
        .groupby("age")
        .agg(active_now=("account_id", "size"), revenue_now=("revenue", "sum"))
    )
    basis = transitions.join(now, how="outer").fillna(0).reset_index()
    return basis.assign(group="portfolio", key="")


def shift_months(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    last = calendar.monthrange(year, month + 1)[1]
    month_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return dt.date(year, month + 1, last if month_end else min(day.day, last))


def months_before(dates: pd.Series, anchors: pd.Series) -> pd.Series:
    """Whole months from each date back to its anchor date (months_back with a column)."""
    months = (anchors.dt.year * 12 + anchors.dt.month) - (dates.dt.year * 12 + dates.dt.month)
    return months - ((~anchors.dt.is_month_end) & (dates.dt.day > anchors.dt.day)).astype(int)


def losses(days: pd.DataFrame, as_of: dt.date, lost_after: int = 365, decline: float = 0.3):
    """The loss states (silence criterion): per account lost_since, shrinking and the revenue
    before the loss; per period and index the accounts lost, regained and shrinking and the
    revenue lost (the portfolio)."""
    end = pd.Timestamp(as_of)
    bought = days.loc[days["purchase_lines"] > 0, ["account_id", "invoice_date"]]
    bought = bought.sort_values(["account_id", "invoice_date"])
    following = bought.groupby("account_id")["invoice_date"].shift(-1)
    bought["gap"] = (following - bought["invoice_date"]).dt.days
    length = bought["gap"].fillna((end - bought["invoice_date"]).dt.days)
    gaps = bought[length > lost_after].copy()
    gaps["lost_on"] = gaps["invoice_date"] + pd.Timedelta(days=lost_after + 1)
    gaps["back_on"] = gaps["invoice_date"] + pd.to_timedelta(gaps["gap"], unit="D")
    # the revenue of the 12 months ending on the last purchase before each loss
    window = gaps[["account_id", "invoice_date"]].rename(columns={"invoice_date": "last"})
    window = window.merge(days[["account_id", "invoice_date", "revenue"]], on="account_id")
    window = window[
        (window["invoice_date"] <= window["last"])
        & (months_before(window["invoice_date"], window["last"]) < 12)
    ]
    before = window.groupby(["account_id", "last"])["revenue"].sum().rename("revenue_before")
    gaps = gaps.merge(before, left_on=["account_id", "invoice_date"], right_index=True)
    open_gaps = gaps[gaps["gap"].isna()].set_index("account_id")

    monthly = days.assign(index=months_back(days["invoice_date"], as_of))
    monthly = monthly[monthly["index"] < 48].pivot_table(
        index="account_id", columns="index", values="revenue", aggfunc="sum"
    )
    monthly = monthly.reindex(columns=range(48)).fillna(0.0)
    history_start = days["invoice_date"].min().date()

    def shrinking_at(offset: int) -> pd.Index:
        """Accounts shrinking at the end of the month `offset` months back (covered only)."""
        if history_start > shift_months(as_of, -(offset + 24)) + dt.timedelta(days=1):
            return pd.Index([])
        last = monthly.loc[:, offset : offset + 11].sum(axis=1)
        before = monthly.loc[:, offset + 12 : offset + 23].sum(axis=1)
        growth = ((last - before) / before).where(before > 0)
        period_end = pd.Timestamp(shift_months(as_of, -offset))
        lost_then = gaps[
            (gaps["lost_on"] <= period_end)
            & (gaps["back_on"].isna() | (gaps["back_on"] > period_end))
        ]["account_id"]
        down = growth[growth < -decline].index
        return down.difference(pd.Index(lost_then.unique()))

    accounts = pd.DataFrame(index=monthly.index.union(open_gaps.index))
    accounts["lost_since"] = open_gaps["lost_on"].dt.date
    accounts["shrinking"] = accounts.index.isin(shrinking_at(0))
    accounts["revenue_before_loss"] = open_gaps["revenue_before"].combine_first(
        monthly.loc[:, 0:11].sum(axis=1)
    )

    events = pd.concat(
        [
            gaps.assign(kind="lost", day=gaps["lost_on"], revenue=gaps["revenue_before"]),
            gaps[gaps["gap"].notna()].assign(kind="regained", day=gaps["back_on"], revenue=0.0),
        ]
    )
    events = events[events["day"] <= end]
    series = []
    for period, length_months in LENGTH.items():
        index = months_back(events["day"], as_of) // length_months
        counts = (
            events.assign(index=index)
            .groupby(["index", "kind"])
            .agg(accounts=("account_id", "size"), revenue=("revenue", "sum"))
        )
        for k in range(WINDOW[period]):
            lost = counts.loc[(k, "lost")] if (k, "lost") in counts.index else None
            series.append({
                "period": period,
                "index": k,
                "lost": int(lost["accounts"]) if lost is not None else 0,
                "regained": int(counts.loc[(k, "regained"), "accounts"])
                if (k, "regained") in counts.index else 0,
                "shrinking": len(shrinking_at(k * length_months)),
                "revenue_lost": float(lost["revenue"]) if lost is not None else 0.0,
            })  # fmt: skip
    return accounts, pd.DataFrame(series)


def main() -> None:
    pattern, as_of_text, out = sys.argv[1:4]
    as_of = dt.date.fromisoformat(as_of_text)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    lines = load(pattern, as_of)
    days = account_days(lines)
    results = {period: period_metrics(days, as_of, period) for period in LENGTH}
    state = rhythm(days, as_of)
    loss_states, loss_series = losses(days, as_of)
    state = state.join(loss_states, how="left")
    whitespace = cross_sell(lines, as_of)
    gaps = up_sell(lines, as_of)
    basis = what_if(days, as_of)
    seconds = time.perf_counter() - started
    for period, frame in results.items():
        frame.assign(xyz=frame["xyz"].astype(str)).to_parquet(out / f"{period}.parquet")
    state.reset_index().to_parquet(out / "state.parquet")
    loss_series.to_parquet(out / "loss_series.parquet")
    whitespace.to_parquet(out / "cross_sell.parquet")
    gaps.to_parquet(out / "up_sell.parquet")
    basis.to_parquet(out / "what_if.parquet")
    print(json.dumps({"seconds": round(seconds, 2), "pandas": pd.__version__}))


if __name__ == "__main__":
    main()

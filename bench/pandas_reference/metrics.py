"""The KAM metrics written the way a data analyst writes them in pandas (the comparison for
bench/analytics.py). Runs in bench/.venv-lifetimes (pandas 1.5, numpy 1.26) and also under
pandas 2+; reads the fact store's Parquet and writes its results as Parquet for the bench to
compare with OpenKAM's.

    python metrics.py FACTS_GLOB AS_OF OUT_DIR

Definitions follow openkam/analytics (see its docstrings): periods end on the as-of date,
ABC on the window's revenue with the crossing account still A, XYZ on the coefficient of
variation of revenue per period with zeros, rhythm between purchase episodes (days at most 3
apart), lost after 365 silent days, overdue after twice the median interval.
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
    whitespace = cross_sell(lines, as_of)
    seconds = time.perf_counter() - started
    for period, frame in results.items():
        frame.assign(xyz=frame["xyz"].astype(str)).to_parquet(out / f"{period}.parquet")
    state.reset_index().to_parquet(out / "state.parquet")
    whitespace.to_parquet(out / "cross_sell.parquet")
    print(json.dumps({"seconds": round(seconds, 2), "pandas": pd.__version__}))


if __name__ == "__main__":
    main()

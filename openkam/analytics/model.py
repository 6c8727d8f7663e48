"""The repeat-purchase model in the suite: fit, check, predict.

The BG/NBD is fitted twice on purchase days counted in weeks: once on everything up to the
as-of date (the predictions), once up to `model_holdout_days` before it, to compare what it
would have predicted for the last weeks with what the accounts then bought (the calibration
check). When the check fails — on wholesale data the fit often collapses into "nobody ever
leaves" — the summary says so in words, P(alive) is left empty rather than shown as a
meaningless 1.0, and the rhythm-based overdue and lost flags carry the alerts. Expected
purchases, order value and CLV stay: they do not depend on the dropout part of the model.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from .clv import (
    check_bgnbd,
    check_gamma_gamma,
    compare_holdout,
    customer_lifetime_value,
    expected_order_value,
    expected_purchases,
    fit_bgnbd,
    fit_gamma_gamma,
    probability_alive,
)
from .config import AnalyticsConfig

DAYS_PER_WEEK = 7.0
WEEKS_PER_MONTH = 365.25 / 12 / 7
HORIZONS_DAYS = (30, 90, 365)
# Below these counts a fit says more about noise than about the accounts.
MIN_ACCOUNTS = 30
MIN_REPEAT_BUYERS = 10

PREDICTIONS = pa.schema(
    [
        ("account_id", pa.int64()),
        ("prob_alive", pa.float64()),
        *((f"expected_purchases_{days}", pa.float64()) for days in HORIZONS_DAYS),
        ("expected_order_value", pa.float64()),
        ("clv", pa.float64()),
    ]
)


@dataclass
class Fitted:
    accounts: pa.Table  # PREDICTIONS, one row per account with a purchase
    summary: dict[str, Any]  # parameters, checks and the verdict, for people and JSON


def fit_and_predict(inputs: pa.Table, *, as_of: dt.date, config: AnalyticsConfig) -> Fitted:
    """`inputs`: `metrics.repeat_purchase.model_inputs`, one row per account (days)."""
    data = {name: inputs[name].to_numpy(zero_copy_only=False) for name in inputs.column_names}
    ids = data["account_id"].astype(np.int64)
    x = data["frequency"].astype(float)
    recency = data["recency"].astype(float) / DAYS_PER_WEEK
    age = data["age"].astype(float) / DAYS_PER_WEEK
    monetary = np.nan_to_num(data["monetary"].astype(float), nan=0.0)
    if len(ids) < MIN_ACCOUNTS or np.count_nonzero(x > 0) < MIN_REPEAT_BUYERS:
        reason = (
            f"Too little history for the repeat-purchase model ({len(ids)} accounts, "
            f"{np.count_nonzero(x > 0)} with repeat purchases; it needs {MIN_ACCOUNTS} and "
            f"{MIN_REPEAT_BUYERS}): overdue and lost come from the purchase rhythm alone."
        )
        return Fitted(_empty(ids), {"usable": False, "verdict": reason})

    bgnbd = fit_bgnbd(x, recency, age)
    holdout = _holdout(data, config)
    check = check_bgnbd(bgnbd, frequency=x, recency=recency, T=age, holdout=holdout)
    gamma_gamma = fit_gamma_gamma(x, monetary)
    spend_check = check_gamma_gamma(gamma_gamma, frequency=x, monetary_value=monetary)

    columns: dict[str, Any] = {"account_id": ids}
    alive = probability_alive(bgnbd, x, recency, age)
    columns["prob_alive"] = alive if check.ok else np.full(len(ids), np.nan)
    for days in HORIZONS_DAYS:
        columns[f"expected_purchases_{days}"] = expected_purchases(
            bgnbd, days / DAYS_PER_WEEK, x, recency, age
        )
    order_value = expected_order_value(gamma_gamma, x, monetary)
    monthly_rate = (1 + config.clv_annual_discount_rate) ** (1 / 12) - 1
    clv = customer_lifetime_value(
        bgnbd, gamma_gamma, x, recency, age, monetary,
        horizon=config.clv_horizon_months * WEEKS_PER_MONTH,
        discount_rate_per_period=monthly_rate,
        step=WEEKS_PER_MONTH,
    )  # fmt: skip
    usable_spend = spend_check.ok and math.isfinite(gamma_gamma.population_mean)
    columns["expected_order_value"] = order_value if usable_spend else np.full(len(ids), np.nan)
    columns["clv"] = clv if usable_spend else np.full(len(ids), np.nan)
    table = pa.table(
        {name: pa.array(values, PREDICTIONS.field(name).type, from_pandas=True)
         for name, values in columns.items()}
    )  # fmt: skip
    return Fitted(table, _summary(bgnbd, check, gamma_gamma, spend_check))


def _holdout(data: dict[str, np.ndarray], config: AnalyticsConfig):
    """What a fit on the calibration period predicted for the holdout weeks, against what the
    accounts then bought; None when too few accounts had bought by the calibration date."""
    cal_age = data["cal_age"].astype(float)
    known = np.isfinite(cal_age) & (cal_age > 0)
    if np.count_nonzero(known) < MIN_ACCOUNTS:
        return None
    x = data["cal_frequency"][known].astype(float)
    recency = data["cal_recency"][known].astype(float) / DAYS_PER_WEEK
    age = cal_age[known] / DAYS_PER_WEEK
    if np.count_nonzero(x > 0) < MIN_REPEAT_BUYERS:
        return None
    calibration = fit_bgnbd(x, recency, age)
    return compare_holdout(
        calibration, x, recency, age,
        data["holdout_purchases"][known].astype(float),
        config.model_holdout_days / DAYS_PER_WEEK,
    )  # fmt: skip


def _summary(bgnbd, check, gamma_gamma, spend_check) -> dict[str, Any]:
    if check.ok:
        verdict = "The BG/NBD fits: P(alive) and expected purchases are shown."
    else:
        verdict = (
            "The BG/NBD does not describe these accounts well, so P(alive) is not shown and "
            "overdue and lost come from each account's purchase rhythm: " + " ".join(check.reasons)
        )
    if not spend_check.ok:
        verdict += " The spend model is not used for CLV: " + " ".join(spend_check.reasons)
    holdout = check.holdout
    return {
        "usable": check.ok,
        "verdict": verdict,
        "bgnbd": {
            **{name: _number(value) for name, value in bgnbd.params.items()},
            "time_unit": "week",
            "log_likelihood": _number(bgnbd.log_likelihood),
            "accounts": int(bgnbd.n_accounts),
            "converged": bool(bgnbd.converged),
        },
        "bgnbd_check": {
            "ok": check.ok,
            "reasons": list(check.reasons),
            "notes": list(check.notes),
            "measures": {k: _number(v) for k, v in check.measures.items()},
            "holdout": None
            if holdout is None
            else {
                "weeks": _number(holdout.length),
                "predicted": _number(holdout.predicted_total),
                "actual": _number(holdout.actual_total),
            },
        },
        "gamma_gamma": {
            **{name: _number(value) for name, value in gamma_gamma.params.items()},
            "accounts": int(gamma_gamma.n_accounts),
            "converged": bool(gamma_gamma.converged),
        },
        "gamma_gamma_check": {"ok": spend_check.ok, "reasons": list(spend_check.reasons)},
    }


def _number(value: float) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def _empty(ids: np.ndarray) -> pa.Table:
    nulls = {name: pa.nulls(len(ids), PREDICTIONS.field(name).type) for name in PREDICTIONS.names}
    nulls["account_id"] = pa.array(ids, pa.int64())
    return pa.table(nulls, schema=PREDICTIONS)

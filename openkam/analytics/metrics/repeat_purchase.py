"""What the repeat-purchase model (BG/NBD, Gamma-Gamma) needs per account, from purchase days.

In the model's terms a purchase is a purchase day: `frequency` counts repeat purchase days,
`recency` is the age of the account at its last purchase, `T` its age at the as-of date (all
in days here; the suite converts to weeks). `monetary` is the average revenue of the repeat
purchase days. The same figures as of a calibration date (`cal_*`) and the purchases made
after it (`holdout_purchases`) let the fit be checked on data it has not seen.
"""

from __future__ import annotations

import datetime as dt

import ibis
import ibis.expr.types as ir


def model_inputs(days: ir.Table, stats: ir.Table, as_of: dt.date, holdout_days: int) -> ir.Table:
    """`days`: account days; `stats`: `rhythm_stats` (first and last purchase per account)."""
    calibration_end = as_of - dt.timedelta(days=holdout_days)
    bought = days.filter(days.purchase_lines > 0)
    bought = bought.join(stats.select("account_id", "first_purchase"), "account_id")
    in_calibration = bought.day <= ibis.literal(calibration_end)
    repeat = bought.day > bought.first_purchase
    per_account = bought.group_by("account_id").aggregate(
        first=bought.day.min(),
        last=bought.day.max(),
        purchases=bought.count(),
        repeat_revenue=bought.revenue.sum(where=repeat),
        cal_last=bought.day.max(where=in_calibration),
        cal_purchases=in_calibration.sum(),
        holdout_purchases=(~in_calibration).sum(),
    )
    first = per_account.first.epoch_days()
    as_of_epoch = ibis.literal(as_of).epoch_days()
    calibration_epoch = ibis.literal(calibration_end).epoch_days()
    return per_account.select(
        "account_id",
        frequency=per_account.purchases - 1,
        recency=per_account.last.epoch_days() - first,
        age=as_of_epoch - first,
        monetary=ibis.ifelse(
            per_account.purchases > 1,
            per_account.repeat_revenue.cast("float64") / 100 / (per_account.purchases - 1),
            ibis.null("float64"),
        ),
        # calibration figures only for accounts that had bought by the calibration date
        cal_frequency=ibis.ifelse(
            per_account.cal_purchases > 0, per_account.cal_purchases - 1, ibis.null("int64")
        ),
        cal_recency=per_account.cal_last.epoch_days() - first,
        cal_age=ibis.ifelse(
            per_account.cal_purchases > 0, calibration_epoch - first, ibis.null("int64")
        ),
        holdout_purchases=per_account.holdout_purchases,
    )

"""Discounted customer lifetime value from the BG/NBD and Gamma-Gamma models.

As in lifetimes' `customer_lifetime_value` (and Fader, Hardie & Lee 2005, "RFM and CLV"), the
horizon is cut into periods of length `step`; each period contributes the purchases the BG/NBD
expects in it, times the Gamma-Gamma expected order value, discounted to today:

    CLV = Σ_{k=1..K} (E[Y(k·step)] − E[Y((k−1)·step)]) · E[M] / (1 + d)^k,   K = horizon/step,

with E[Y(t)] the conditional expectation of eq. (10) and d the discount rate per period.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from openkam.analytics.clv.bgnbd import (
    BgNbdFit,
    expected_purchases_if_alive,
    probability_alive,
)
from openkam.analytics.clv.gamma_gamma import GammaGammaFit, expected_order_value


def customer_lifetime_value(
    bgnbd: BgNbdFit,
    gamma_gamma: GammaGammaFit,
    frequency: npt.ArrayLike,
    recency: npt.ArrayLike,
    T: npt.ArrayLike,
    monetary_value: npt.ArrayLike,
    *,
    horizon: float,
    discount_rate_per_period: float,
    step: float,
) -> np.ndarray:
    """Per account, the discounted value of its purchases over the next `horizon` time units
    (the BG/NBD's unit), in the unit of `monetary_value` (its mean order value; ignored for
    accounts without a repeat purchase, which get the population mean).

    `step` is the length of a discounting period in the same time unit (e.g. 4.345 weeks for
    months) and `horizon` must be a whole number of steps. Accounts whose expected order value
    is infinite (Gamma-Gamma q ≤ 1 and no repeat purchase) get an infinite CLV.
    """
    if step <= 0 or horizon <= 0:
        raise ValueError("horizon and step must be positive")
    periods = round(horizon / step)
    if periods < 1 or abs(periods * step - horizon) > 1e-9 * horizon:
        raise ValueError("horizon must be a whole number of steps")
    if discount_rate_per_period <= -1:
        raise ValueError("discount_rate_per_period must be above -1")

    x, t_x, age = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (frequency, recency, T))
    )
    ends = step * np.arange(1, periods + 1).reshape((-1,) + (1,) * x.ndim)
    # P(alive) is common to all periods: eq. (10) is P(alive) × the alive-at-T expectation.
    cumulative = expected_purchases_if_alive(bgnbd, ends, x, age)
    per_period = np.diff(cumulative, axis=0, prepend=0.0)
    discount = (1.0 + discount_rate_per_period) ** -np.arange(1, periods + 1)
    purchases = np.tensordot(discount, per_period, axes=1) * probability_alive(bgnbd, x, t_x, age)
    value = expected_order_value(gamma_gamma, x, monetary_value)
    with np.errstate(invalid="ignore"):
        return np.where(purchases > 0, purchases * value, 0.0)

"""Discounted CLV: the lifetimes-style sum over periods, vectorised."""

from __future__ import annotations

import numpy as np
import pytest

from openkam.analytics.clv.bgnbd import BgNbdFit, expected_purchases
from openkam.analytics.clv.gamma_gamma import GammaGammaFit, expected_order_value
from openkam.analytics.clv.lifetime_value import customer_lifetime_value

BGNBD = BgNbdFit(0.2426, 4.4136, 0.7929, 2.4259, log_likelihood=0, n_accounts=1, converged=True,
                 iterations=1)  # fmt: skip
GAMMA_GAMMA = GammaGammaFit(6.25, 3.74, 15.44, log_likelihood=0, n_accounts=1, converged=True,
                            iterations=1)  # fmt: skip
X = np.array([0.0, 1.0, 2.0, 7.0, 29.0])
T_X = np.array([0.0, 1.71, 30.43, 35.0, 38.0])
AGE = np.array([38.86, 38.86, 38.86, 38.86, 38.86])
SPEND = np.array([0.0, 11.77, 22.35, 40.0, 25.0])


def test_sum_of_discounted_periods_as_lifetimes_computes_it():
    month = 4.345  # weeks
    clv = customer_lifetime_value(
        BGNBD, GAMMA_GAMMA, X, T_X, AGE, SPEND,
        horizon=12 * month, discount_rate_per_period=0.01, step=month,
    )  # fmt: skip
    # lifetimes' _customer_lifetime_value, loop for loop.
    value = expected_order_value(GAMMA_GAMMA, X, SPEND)
    by_hand = np.zeros(X.size)
    for k in range(1, 13):
        purchases = expected_purchases(BGNBD, k * month, X, T_X, AGE) - expected_purchases(
            BGNBD, (k - 1) * month, X, T_X, AGE
        )
        by_hand += value * purchases / 1.01**k
    np.testing.assert_allclose(clv, by_hand, rtol=1e-10)


def test_without_discounting_it_is_purchases_times_order_value():
    clv = customer_lifetime_value(
        BGNBD, GAMMA_GAMMA, X, T_X, AGE, SPEND, horizon=52.0, discount_rate_per_period=0, step=13.0
    )
    expected = expected_purchases(BGNBD, 52.0, X, T_X, AGE) * expected_order_value(
        GAMMA_GAMMA, X, SPEND
    )
    np.testing.assert_allclose(clv, expected, rtol=1e-10)
    assert np.all(clv > 0)


def test_discounting_lowers_value():
    common = {"horizon": 52.0, "step": 4.0}
    low = customer_lifetime_value(
        BGNBD, GAMMA_GAMMA, X, T_X, AGE, SPEND, discount_rate_per_period=0.0, **common
    )
    high = customer_lifetime_value(
        BGNBD, GAMMA_GAMMA, X, T_X, AGE, SPEND, discount_rate_per_period=0.05, **common
    )
    assert np.all(high < low)


def test_scalar_account():
    clv = customer_lifetime_value(
        BGNBD, GAMMA_GAMMA, 2, 30.43, 38.86, 22.35,
        horizon=39.0, discount_rate_per_period=0.0, step=39.0,
    )  # fmt: skip
    assert clv == pytest.approx(1.2259 * expected_order_value(GAMMA_GAMMA, 2, 22.35), rel=1e-3)


@pytest.mark.parametrize(
    ("horizon", "step", "rate"), [(50.0, 4.345, 0.01), (0.0, 1.0, 0.01), (12.0, -1.0, 0.0),
                                  (12.0, 1.0, -1.0)]
)  # fmt: skip
def test_rejects_a_bad_horizon_step_or_rate(horizon, step, rate):
    with pytest.raises(ValueError):
        customer_lifetime_value(
            BGNBD, GAMMA_GAMMA, X, T_X, AGE, SPEND,
            horizon=horizon, discount_rate_per_period=rate, step=step,
        )  # fmt: skip

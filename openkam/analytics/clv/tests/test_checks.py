"""The degenerate-fit and calibration checks fire when they should, and only then."""

from __future__ import annotations

import numpy as np
import pytest

from openkam.analytics.clv.bgnbd import BgNbdFit, fit_bgnbd
from openkam.analytics.clv.checks import check_bgnbd, check_gamma_gamma, compare_holdout
from openkam.analytics.clv.gamma_gamma import GammaGammaFit, fit_gamma_gamma
from openkam.analytics.clv.simulate import simulate_bgnbd, simulate_order_values

HOLDOUT = 39.0


def simulate(seed: int, **params: float):
    rng = np.random.default_rng(seed)
    return simulate_bgnbd(20_000, **params, T=rng.uniform(13, 78, 20_000), holdout=HOLDOUT, rng=rng)


def checked(accounts, holdout_purchases=None):
    x, t_x, age = accounts.frequency, accounts.recency, accounts.T
    fit = fit_bgnbd(x, t_x, age)
    actual = accounts.holdout_purchases if holdout_purchases is None else holdout_purchases
    holdout = compare_holdout(fit, x, t_x, age, actual, HOLDOUT)
    return check_bgnbd(fit, frequency=x, recency=t_x, T=age, holdout=holdout)


@pytest.fixture(scope="module")
def well_specified():
    return simulate(11, r=0.25, alpha=4.0, a=0.8, b=2.5)


def test_quiet_on_data_from_the_model(well_specified):
    check = checked(well_specified)
    assert check.ok, check.reasons
    assert check.notes == []
    assert abs(check.measures["holdout_total_error"]) < 0.05
    assert check.measures["overdue_alive"] < 0.5


def test_fires_when_accounts_almost_never_drop_out():
    # Mean dropout probability a/(a+b) = 0.0004 per purchase.
    check = checked(simulate(12, r=0.25, alpha=4.0, a=0.02, b=50.0))
    assert not check.ok
    assert "overdue_alive" in check.codes
    assert check.measures["overdue_alive"] > 0.9
    assert any("silent" in reason for reason in check.reasons)


def test_fires_on_collapsed_parameters():
    collapsed = BgNbdFit(0.3, 5.0, 1e-5, 2.0, log_likelihood=0, n_accounts=1, converged=True,
                         iterations=5)  # fmt: skip
    assert check_bgnbd(collapsed).codes == ["no_dropout"]
    at_bound = BgNbdFit(0.3, 5.0, 0.5, 1e6, log_likelihood=0, n_accounts=1, converged=False,
                        iterations=100, at_bound=("b",))  # fmt: skip
    assert check_bgnbd(at_bound).codes == ["not_converged", "at_bound", "no_dropout"]


def test_fires_when_the_holdout_is_far_off(well_specified):
    doubled = checked(well_specified, 2 * well_specified.holdout_purchases)
    assert not doubled.ok
    assert doubled.codes == ["holdout_total", "holdout_by_frequency"]
    assert doubled.measures["holdout_total_error"] == pytest.approx(-0.5, abs=0.05)
    stopped = checked(well_specified, np.zeros(20_000))
    assert "holdout_total" in stopped.codes


def test_a_holdout_too_small_is_noted_not_failed(well_specified):
    few = slice(0, 30)
    fit = fit_bgnbd(well_specified.frequency, well_specified.recency, well_specified.T)
    args = (well_specified.frequency[few], well_specified.recency[few], well_specified.T[few])
    holdout = compare_holdout(fit, *args, 3 * well_specified.holdout_purchases[few], HOLDOUT)
    assert max(holdout.predicted_total, holdout.actual_total) < 100
    assert abs(holdout.total_error) > 0.3  # far off, but on a handful of purchases
    check = check_bgnbd(fit, holdout=holdout)
    assert check.ok
    assert any("too few" in note for note in check.notes)


def test_holdout_comparison_by_frequency():
    fit = BgNbdFit(0.25, 4.0, 0.8, 2.5, log_likelihood=0, n_accounts=1, converged=True,
                   iterations=1)  # fmt: skip
    x = np.array([0, 1, 1, 9, 12])
    holdout = compare_holdout(fit, x, [0, 5, 6, 30, 31], [40] * 5, [1, 0, 2, 4, 6], 10.0,
                              last_bucket=3)  # fmt: skip
    assert holdout.bucket_frequency == (0, 1, 2, 3)
    assert holdout.bucket_accounts == (1, 2, 0, 2)
    assert holdout.bucket_actual == (1.0, 2.0, 0.0, 10.0)
    assert sum(holdout.bucket_predicted) == pytest.approx(holdout.predicted_total)
    assert holdout.actual_total == 13.0


def test_gamma_gamma_check():
    rng = np.random.default_rng(5)
    x = 1 + rng.poisson(3, 5_000).astype(float)
    m = simulate_order_values(x, p=6.0, q=4.0, v=15.0, rng=rng)
    fit = fit_gamma_gamma(x, m)
    assert check_gamma_gamma(fit, frequency=x, monetary_value=m).ok
    # Big buyers buy big: the independence the model assumes does not hold.
    assert check_gamma_gamma(fit, frequency=x, monetary_value=m * x**2).codes == [
        "spend_depends_on_frequency"
    ]
    heavy_tail = GammaGammaFit(p=2.0, q=0.9, v=10.0, log_likelihood=0, n_accounts=1,
                               converged=True, iterations=3)  # fmt: skip
    assert check_gamma_gamma(heavy_tail).codes == ["infinite_mean_spend"]

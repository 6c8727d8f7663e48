"""Degenerate fits end fast: Poisson buyers who never drop out, as on wholesale data.

Every account buys at the same rate and nobody leaves, so the BG/NBD likelihood has its
supremum at infinity (r, α → ∞ with r/α the rate, a/(a+b) → 0). The fit must stop soon after
the parameters run to the optimiser's box, say so (not converged, parameters on the box), and
leave finite predictions — the checks then mark the model unusable. Speed is asserted as
likelihood evaluations, not wall time.
"""

from __future__ import annotations

import numpy as np
import pytest

from openkam.analytics.clv import (
    BgNbdFit,
    _expectation,
    check_bgnbd,
    compare_holdout,
    customer_lifetime_value,
    expected_purchases,
    expected_purchases_if_alive,
    fit_bgnbd,
    fit_gamma_gamma,
    probability_alive,
)
from openkam.analytics.clv._optimize import minimize_newton
from openkam.analytics.clv.simulate import simulate_order_values

RATE = 0.8  # purchase days per week: ~40 a year, up to ~150 over three years
HOLDOUT = 13.0
WEEKS_PER_MONTH = 365.25 / 12 / 7


def poisson_buyers(n: int, rate: float, seed: int):
    """Accounts first seen 30 days to 3 years ago (whole days, in weeks) buying at `rate` for
    ever: x ~ Poisson(rate·T), the last purchase the maximum of x uniform times."""
    rng = np.random.default_rng(seed)
    age = rng.integers(30, 3 * 365, n) / 7
    x = rng.poisson(rate * age).astype(float)
    recency = np.zeros(n)
    repeat = x > 0
    recency[repeat] = np.floor(age[repeat] * rng.beta(x[repeat], 1.0) * 7) / 7
    holdout = rng.poisson(rate * HOLDOUT, n).astype(float)
    return x, recency, age, holdout


@pytest.fixture(scope="module")
def buyers():
    return poisson_buyers(20_000, RATE, seed=2)


@pytest.fixture(scope="module")
def fit(buyers):
    x, recency, age, _ = buyers
    return fit_bgnbd(x, recency, age)


def test_fit_stops_fast_and_says_it_did_not_converge(buyers, fit):
    x = buyers[0]
    assert x.mean() > 30 and x.max() > 100
    assert not fit.converged
    # Twenty-odd Newton steps take r and α from 1 to ~1e6; before, line searches in the
    # rounding noise of the flat likelihood made that hundreds of evaluations (up to 100
    # iterations of up to 40 each).
    assert fit.iterations <= 40
    assert fit.evaluations <= 50
    assert fit.r > 1e4 and fit.r / fit.alpha == pytest.approx(RATE, rel=0.02)
    assert fit.a / (fit.a + fit.b) < 1e-6
    assert np.isfinite(fit.log_likelihood)


@pytest.mark.parametrize(
    ("n", "rate", "seed"), [(5_000, 0.8, 1), (20_000, 2.0, 3), (3_000, 3.0, 5)]
)
def test_other_no_dropout_portfolios_stop_fast_too(n, rate, seed):
    x, recency, age, _ = poisson_buyers(n, rate, seed)
    fit = fit_bgnbd(x, recency, age)
    assert not fit.converged
    assert fit.evaluations <= 50
    assert fit.a / (fit.a + fit.b) < 1e-3


def test_checks_mark_the_fit_unusable(buyers, fit):
    x, recency, age, holdout_purchases = buyers
    holdout = compare_holdout(fit, x, recency, age, holdout_purchases, HOLDOUT)
    check = check_bgnbd(fit, frequency=x, recency=recency, T=age, holdout=holdout)
    assert not check.ok
    assert {"not_converged", "no_dropout"} <= set(check.codes)
    # In its Poisson limit the model still predicts the holdout purchases well.
    assert abs(holdout.total_error) < 0.02


def test_at_bound_names_the_parameters_on_the_box():
    # 60,000 accounts: the subsample fitted first degenerates too, and the fit of all rows,
    # started afresh rather than from the box, ends with r on it.
    x, recency, age, _ = poisson_buyers(60_000, RATE, seed=4)
    fit = fit_bgnbd(x, recency, age)
    assert not fit.converged
    assert "r" in fit.at_bound and fit.r == pytest.approx(1e6)
    assert fit.evaluations <= 50
    assert "at_bound" in check_bgnbd(fit).codes


def test_predictions_are_finite_and_those_of_poisson_buyers(buyers, fit):
    x, recency, age, _ = buyers
    alive = probability_alive(fit, x, recency, age)
    assert np.all(np.isfinite(alive)) and np.all((alive > 0.99) & (alive <= 1))
    for days in (30, 90, 365):
        t = days / 7
        expected = expected_purchases(fit, t, x, recency, age)
        assert np.all(np.isfinite(expected)) and np.all(expected >= 0)
        # Nobody leaves and everybody buys at the same rate.
        assert expected.mean() == pytest.approx(RATE * t, rel=0.02)
    monetary = simulate_order_values(x, p=6.0, q=4.0, v=15.0, rng=np.random.default_rng(0))
    spend = fit_gamma_gamma(x, monetary)
    clv = customer_lifetime_value(
        fit, spend, x, recency, age, monetary,
        horizon=12 * WEEKS_PER_MONTH, discount_rate_per_period=0.01, step=WEEKS_PER_MONTH,
    )  # fmt: skip
    assert np.all(np.isfinite(clv)) and np.all(clv > 0)


def test_degenerate_expectation_by_series_agrees_with_quadrature():
    # scipy's ₂F₁ fails on the huge |a+b−1−r| of such fits; the power series, whose terms
    # shrink fast because z = t/(α+T+t) is tiny, takes over from the Gauss rule.
    r, alpha, a, b = 999_274.0, 4_186_919.0, 1.5e-3, 190_667.0
    rng = np.random.default_rng(8)
    age = rng.integers(1, 3 * 365, 500) / 7
    x = rng.poisson(0.6 * age).astype(float)
    t = rng.choice([1 / 7, 30 / 7, 52.0, 520.0], 500)
    series = _expectation._closed_form_any_a(r, alpha, a, b, t, x, age, series=True)
    assert np.all(np.isfinite(series))
    quadrature = _expectation._quadrature(r, alpha, a, b, t, x, age)
    np.testing.assert_allclose(series, quadrature, rtol=1e-9)
    fit = BgNbdFit(r, alpha, a, b, log_likelihood=0.0, n_accounts=0, converged=False,
                   iterations=0)  # fmt: skip
    np.testing.assert_allclose(expected_purchases_if_alive(fit, t, x, age), series, rtol=1e-12)


@pytest.mark.parametrize("params", [(0.2426, 4.4136, 0.7929, 2.4259), (9e5, 4e6, 1e-3, 2e5)])
def test_distinct_accounts_and_horizons_are_evaluated_once_to_the_same_values(params):
    # CLV's monthly steps along one axis, accounts (many sharing x and T) along the other.
    fit = BgNbdFit(*params, log_likelihood=0.0, n_accounts=0, converged=True, iterations=0)
    rng = np.random.default_rng(4)
    age = rng.integers(1, 400, 5_000) / 7
    x = np.floor(rng.uniform(0, 1.5, 5_000) * age)
    steps = WEEKS_PER_MONTH * np.arange(1, 13)[:, None]
    shared = expected_purchases_if_alive(fit, steps, x, age)
    one_by_one = _expectation._evaluate(*params, *np.broadcast_arrays(steps, x, age))
    assert shared.shape == (12, 5_000)
    np.testing.assert_array_equal(shared, one_by_one)


def test_newton_follows_a_ridge_to_the_box():
    # ψ − φ = −1 is well determined, φ itself runs to +∞ (like ln α and ln r without
    # heterogeneity). Clipping φ alone at the box would bend the step off the ridge.
    def objective(v, derivatives):
        phi, psi = v
        gap = psi - phi + 1.0
        value = np.exp(-phi) + 50.0 * gap**2
        if not derivatives:
            return value
        grad = np.array([-np.exp(-phi) - 100.0 * gap, 100.0 * gap])
        hess = np.array([[np.exp(-phi) + 100.0, -100.0], [-100.0, 100.0]])
        return value, grad, hess

    bound = np.log(1e6)
    result = minimize_newton(objective, np.zeros(2), np.full(2, -bound), np.full(2, bound))
    assert result.at_bound.tolist() == [True, False]
    assert result.x[0] == bound and result.x[1] == pytest.approx(bound - 1.0, abs=1e-6)
    assert result.evaluations <= 25

"""Gamma-Gamma: parameters recovered from simulated spend, the shrinkage formula, exclusions."""

from __future__ import annotations

import math

import numpy as np
import pytest

from openkam.analytics.clv.gamma_gamma import (
    GammaGammaFit,
    expected_order_value,
    fit_gamma_gamma,
)
from openkam.analytics.clv.simulate import simulate_order_values

TRUE = {"p": 6.0, "q": 4.0, "v": 15.0}


@pytest.fixture(scope="module")
def spend():
    rng = np.random.default_rng(20050915)
    frequency = 1 + rng.poisson(3, 20_000).astype(float)
    return frequency, simulate_order_values(frequency, **TRUE, rng=rng)


def test_recovers_the_parameters_of_simulated_spend(spend):
    fit = fit_gamma_gamma(*spend)
    assert fit.converged and fit.at_bound == () and fit.n_accounts == 20_000
    for name, se in zip(("p", "q", "v"), fit.standard_errors, strict=True):
        assert 0 < se < 0.1 * TRUE[name]
        assert abs(fit.params[name] - TRUE[name]) < 4 * se, name


def test_log_likelihood_is_the_density_of_mean_spend_summed(spend):
    x, m = spend
    fit = fit_gamma_gamma(x, m)
    p, q, v = fit.p, fit.q, fit.v
    lgamma = np.vectorize(math.lgamma)
    by_hand = (
        lgamma(p * x + q)
        - lgamma(p * x)
        - math.lgamma(q)
        + q * math.log(v)
        + (p * x - 1) * np.log(m)
        + p * x * np.log(x)
        - (p * x + q) * np.log(v + m * x)
    ).sum()
    assert fit.log_likelihood == pytest.approx(by_hand, rel=1e-10)


def test_money_unit_only_scales_v(spend):
    x, m = spend
    euros, cents = fit_gamma_gamma(x, m), fit_gamma_gamma(x, 100 * m)
    assert cents.v == pytest.approx(100 * euros.v, rel=1e-8)
    assert (cents.p, cents.q) == pytest.approx((euros.p, euros.q), rel=1e-8)


def test_expected_order_value_by_hand():
    fit = GammaGammaFit(p=6.25, q=3.74, v=15.44, log_likelihood=0, n_accounts=0, converged=True,
                        iterations=0)  # fmt: skip
    # (q−1)/(px+q−1) · pv/(q−1) + px/(px+q−1) · m̄ for x = 2, m̄ = 30.
    weight = 6.25 * 2 / (6.25 * 2 + 3.74 - 1)
    by_hand = (1 - weight) * 6.25 * 15.44 / (3.74 - 1) + weight * 30.0
    assert expected_order_value(fit, 2, 30.0) == pytest.approx(by_hand, rel=1e-12)
    # No repeat purchase, or no usable mean: the population mean p·v/(q−1).
    population = 6.25 * 15.44 / 2.74
    assert fit.population_mean == pytest.approx(population)
    assert expected_order_value(fit, [0, 3, 3], [0.0, -5.0, np.nan]) == pytest.approx(
        [population] * 3
    )
    # Many orders: the account's own mean.
    assert expected_order_value(fit, 10_000, 30.0) == pytest.approx(30.0, rel=1e-3)


def test_infinite_population_mean_when_q_is_at_most_one():
    fit = GammaGammaFit(p=2.0, q=0.8, v=10.0, log_likelihood=0, n_accounts=0, converged=True,
                        iterations=0)  # fmt: skip
    assert fit.population_mean == math.inf
    values = expected_order_value(fit, [0, 1, 5], [0.0, 20.0, 20.0])
    assert values[0] == math.inf
    assert np.all(np.isfinite(values[1:]))


def test_accounts_without_repeat_purchases_or_positive_spend_are_excluded(spend):
    x, m = spend[0][:2000], spend[1][:2000]
    clean = fit_gamma_gamma(x, m)
    dirty = fit_gamma_gamma(
        np.r_[x, 0, 2, 3, 4], np.r_[m, 0.0, -12.5, 0.0, np.nan]
    )  # a credit note larger than the sales, nothing, unknown
    assert dirty.n_excluded == 4 and dirty.n_accounts == 2000
    assert dirty.params == pytest.approx(clean.params, rel=1e-9)


def test_weights_count_identical_accounts(spend):
    x, m = np.minimum(spend[0][:5000], 4), np.round(spend[1][:5000])
    rows, counts = np.unique(np.column_stack([x, m]), axis=0, return_counts=True)
    weighted = fit_gamma_gamma(rows[:, 0], rows[:, 1], weights=counts)
    repeated = fit_gamma_gamma(x, m)
    assert len(rows) < 1000
    assert weighted.params == pytest.approx(repeated.params, rel=1e-8)
    assert weighted.n_accounts == 5000


def test_identical_spend_does_not_break_the_fit():
    fit = fit_gamma_gamma(np.full(300, 2.0), np.full(300, 50.0))
    assert all(math.isfinite(v) for v in (fit.p, fit.q, fit.v, fit.log_likelihood))
    assert np.isfinite(expected_order_value(fit, 2, 50.0))


def test_rejects_impossible_inputs():
    with pytest.raises(ValueError, match="same length"):
        fit_gamma_gamma([1, 2], [3.0])
    with pytest.raises(ValueError, match="frequency"):
        fit_gamma_gamma([1, -2], [3.0, 4.0])
    with pytest.raises(ValueError, match="positive monetary value"):
        fit_gamma_gamma([0, 0], [3.0, 4.0])

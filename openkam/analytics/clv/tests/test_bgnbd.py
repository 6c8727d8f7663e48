"""BG/NBD: parameters recovered from simulated data, published values, edge cases."""

from __future__ import annotations

import math

import numpy as np
import pytest

from openkam.analytics.clv import _expectation
from openkam.analytics.clv.bgnbd import (
    BgNbdFit,
    expected_purchases,
    expected_purchases_if_alive,
    expected_purchases_new_account,
    fit_bgnbd,
    probability_alive,
)
from openkam.analytics.clv.simulate import simulate_bgnbd

TRUE = {"r": 0.25, "alpha": 4.0, "a": 0.8, "b": 2.5}


def model(r: float, alpha: float, a: float, b: float) -> BgNbdFit:
    return BgNbdFit(r, alpha, a, b, log_likelihood=0.0, n_accounts=0, converged=True, iterations=0)


# The maximum-likelihood estimates on the CDNOW sample (Fader, Hardie & Lee 2005, Table 1).
CDNOW = model(r=0.2426, alpha=4.4136, a=0.7929, b=2.4259)


@pytest.fixture(scope="module")
def simulated():
    rng = np.random.default_rng(20050401)
    return simulate_bgnbd(20_000, **TRUE, T=rng.uniform(13, 78, 20_000), rng=rng)


def test_recovers_the_parameters_of_simulated_accounts(simulated):
    fit = fit_bgnbd(simulated.frequency, simulated.recency, simulated.T)
    assert fit.converged and fit.at_bound == () and fit.n_accounts == 20_000
    # With 20,000 accounts the estimates are within a few standard errors (from the observed
    # information) of the truth; the errors themselves are a few per cent of the values.
    for name, se in zip(("r", "alpha", "a", "b"), fit.standard_errors, strict=True):
        assert 0 < se < 0.1 * TRUE[name]
        assert abs(fit.params[name] - TRUE[name]) < 4 * se, name


def eq6_log_likelihood(r, alpha, a, b, x, t_x, age) -> float:
    """Eq. (6) written out as in the paper (section 7), summed over the accounts."""
    lgamma = np.vectorize(math.lgamma)
    a1 = lgamma(r + x) - math.lgamma(r) + r * np.log(alpha)
    a2 = math.lgamma(a + b) + lgamma(b + x) - math.lgamma(b) - lgamma(a + b + x)
    a3 = -(r + x) * np.log(alpha + age)
    a4 = np.log(a) - np.log(b + np.maximum(x, 1) - 1) - (r + x) * np.log(alpha + t_x)
    return float(np.sum(a1 + a2 + np.log(np.exp(a3) + np.where(x > 0, np.exp(a4), 0))))


def test_log_likelihood_is_eq_6_at_its_maximum(simulated):
    x, t_x, age = simulated.frequency, simulated.recency, simulated.T
    fit = fit_bgnbd(x, t_x, age)
    best = eq6_log_likelihood(fit.r, fit.alpha, fit.a, fit.b, x, t_x, age)
    assert fit.log_likelihood == pytest.approx(best, rel=1e-10)
    rng = np.random.default_rng(1)
    for _ in range(10):
        nudged = np.array([fit.r, fit.alpha, fit.a, fit.b]) * np.exp(rng.normal(0, 1e-3, 4))
        assert eq6_log_likelihood(*nudged, x, t_x, age) < best


def test_paper_value_of_the_conditional_expectation():
    # Fader & Hardie's spreadsheet for the CDNOW data: a customer with 2 repeat purchases, the
    # last at 30.43 weeks, observed for 38.86 weeks, is expected to buy 1.226 times in the next
    # 39 weeks.
    assert expected_purchases(CDNOW, 39, 2, 30.43, 38.86) == pytest.approx(1.226, abs=5e-4)


def test_paper_values_of_the_unconditional_expectation():
    # E[X(t)] from the same spreadsheet (eq. 9).
    times = [0.1429, 1.0, 3.0, 31.8571, 32.0, 78.0]
    expected = [0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576]
    assert expected_purchases_new_account(CDNOW, times) == pytest.approx(expected, abs=5e-4)


def test_probability_alive_by_hand():
    # 1 / (1 + a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)) for x = 2, t_x = 30.43, T = 38.86.
    odds = 0.7929 / (2.4259 + 1) * ((4.4136 + 38.86) / (4.4136 + 30.43)) ** (0.2426 + 2)
    assert probability_alive(CDNOW, 2, 30.43, 38.86) == pytest.approx(1 / (1 + odds), rel=1e-12)
    assert probability_alive(CDNOW, 2, 30.43, 38.86) == pytest.approx(0.7266, abs=1e-4)


def test_probability_alive_is_one_without_repeat_purchases():
    # By the model's construction dropout only follows a repeat purchase.
    assert probability_alive(CDNOW, [0, 0, 0], [0, 0, 0], [1, 39, 1000]).tolist() == [1, 1, 1]


def test_just_bought_is_as_alive_as_the_model_allows():
    # recency = T: the odds of being dead are a/(b+x−1), whatever r and α.
    for x in (1, 5):
        expected = 1 / (1 + 0.7929 / (2.4259 + x - 1))
        assert probability_alive(CDNOW, x, 20.0, 20.0) == pytest.approx(expected, rel=1e-12)


def test_probability_alive_falls_with_silence_and_stays_in_0_1():
    silence = np.linspace(0, 100, 50)
    alive = probability_alive(CDNOW, 5, 100 - silence, 100)
    assert np.all(np.diff(alive) < 0)
    grid = np.meshgrid(np.arange(0, 100, 10), np.arange(0, 100, 10), np.arange(0, 100, 10))
    x, t_x, age = (g.ravel().astype(float) for g in grid)
    keep = t_x <= age
    values = probability_alive(CDNOW, x[keep], t_x[keep], age[keep])
    assert np.all((values >= 0) & (values <= 1))


def test_conditional_expectation_grows_with_the_horizon_and_stays_below_no_dropout():
    t = np.array([1.0, 4.0, 13.0, 52.0, 520.0])
    values = expected_purchases_if_alive(CDNOW, t, 3, 30.0)
    assert np.all(np.diff(values) > 0)
    assert np.all(values < (CDNOW.r + 3) * t / (CDNOW.alpha + 30.0))


def test_closed_form_and_quadrature_agree():
    rng = np.random.default_rng(7)
    for _ in range(30):
        r, alpha = rng.uniform(0.05, 3), rng.uniform(0.5, 30)
        a, b = rng.uniform(0.1, 5), rng.uniform(0.2, 20)
        age = rng.uniform(1, 150, 20)
        x = np.floor(rng.uniform(0, 3 * age))
        t = rng.choice([4.0, 13.0, 52.0], 20)
        closed = _expectation.alive_expectation(r, alpha, a, b, t, x, age)
        quadrature = _expectation._quadrature(r, alpha, a, b, t, x, age)
        np.testing.assert_allclose(closed, quadrature, rtol=1e-6)


def test_no_jump_at_a_equal_one():
    # (a+b+x−1)/(a−1) · […] has a removable singularity at a = 1.
    values = [
        float(expected_purchases_if_alive(model(0.5, 5.0, a, 3.0), 26.0, 2, 40.0))
        for a in (1 - 1e-3, 1 - 1e-6, 1.0, 1 + 1e-6, 1 + 1e-3)
    ]
    assert np.all(np.isfinite(values))
    assert values == pytest.approx([values[2]] * 5, rel=2e-3)
    assert values[1:4] == pytest.approx([values[2]] * 3, rel=1e-5)


def test_huge_frequencies_stay_finite():
    x = np.array([500.0, 5_000.0, 50_000.0])
    age = np.array([100.0, 100.0, 100.0])
    for t_x in (age, age / 2):
        alive = probability_alive(CDNOW, x, t_x, age)
        expected = expected_purchases(CDNOW, 52.0, x, t_x, age)
        assert np.all(np.isfinite(alive)) and np.all((alive >= 0) & (alive <= 1))
        assert np.all(np.isfinite(expected)) and np.all(expected >= 0)
    # Just bought, 500 times in 100 weeks: fewer than the (r+x)·t/(α+T) of an account that
    # cannot drop out, as the expectation over p ~ Beta(a, b+x) computed by quadrature says.
    value = float(expected_purchases_if_alive(CDNOW, 52.0, 500, 100))
    by_quadrature = _expectation._quadrature(
        CDNOW.r,
        CDNOW.alpha,
        CDNOW.a,
        CDNOW.b,
        np.array([52.0]),
        np.array([500.0]),
        np.array([100.0]),
    )
    assert value == pytest.approx(float(by_quadrature[0]), rel=1e-6)
    assert 0.5 * 500.2426 * 52 / 104.4136 < value < 500.2426 * 52 / 104.4136


def test_degenerate_parameters_give_finite_predictions():
    for params in ((0.25, 4.0, 1e-6, 1e6), (0.25, 4.0, 800.0, 9e5), (5.0, 0.01, 50.0, 0.01)):
        fit = model(*params)
        x = np.array([0.0, 1.0, 10.0, 100.0])
        age = np.array([1.0, 40.0, 80.0, 150.0])
        values = expected_purchases(fit, 52.0, x, age / 2, age)
        assert np.all(np.isfinite(values)) and np.all(values >= 0)


def test_accounts_with_one_purchase_only():
    rng = np.random.default_rng(3)
    age = rng.uniform(1, 52, 1_000)
    fit = fit_bgnbd(np.zeros(1_000), np.zeros(1_000), age)
    # Nobody came back: the rate heterogeneity r runs to the bound; no NaN anywhere.
    assert all(math.isfinite(v) for v in (fit.r, fit.alpha, fit.a, fit.b, fit.log_likelihood))
    assert "r" in fit.at_bound
    assert np.all(np.isfinite(expected_purchases(fit, 52, np.zeros(3), np.zeros(3), [1, 10, 50])))


def test_identical_accounts():
    fit = fit_bgnbd(np.full(500, 2.0), np.full(500, 10.0), np.full(500, 20.0))
    assert all(math.isfinite(v) for v in (fit.r, fit.alpha, fit.a, fit.b, fit.log_likelihood))
    assert np.isfinite(expected_purchases(fit, 10.0, 2, 10.0, 20.0))


def test_accounts_with_t_zero_are_left_out(simulated):
    x, t_x, age = simulated.frequency[:3000], simulated.recency[:3000], simulated.T[:3000]
    with_new = fit_bgnbd(np.r_[x, 0, 0], np.r_[t_x, 0, 0], np.r_[age, 0, 0])
    without = fit_bgnbd(x, t_x, age)
    assert with_new.n_excluded == 2 and with_new.n_accounts == 3000
    assert with_new.params == pytest.approx(without.params, rel=1e-9)
    # An account first seen today: alive, and expected to buy like a new account.
    assert probability_alive(without, 0, 0, 0) == 1
    assert expected_purchases(without, 13.0, 0, 0, 0) == pytest.approx(
        expected_purchases_new_account(without, 13.0), rel=1e-12
    )


def test_weights_count_identical_accounts(simulated):
    x = np.floor(simulated.frequency[:5000])
    t_x = np.round(simulated.recency[:5000])
    age = np.round(simulated.T[:5000])
    rows, counts = np.unique(np.column_stack([x, t_x, age]), axis=0, return_counts=True)
    compressed = fit_bgnbd(rows[:, 0], rows[:, 1], rows[:, 2], weights=counts)
    repeated = fit_bgnbd(x, t_x, age)
    assert compressed.params == pytest.approx(repeated.params, rel=1e-8)
    assert compressed.log_likelihood == pytest.approx(repeated.log_likelihood, rel=1e-10)
    assert compressed.n_accounts == 5000


def test_time_unit_only_scales_alpha(simulated):
    x, t_x, age = simulated.frequency[:5000], simulated.recency[:5000], simulated.T[:5000]
    weeks = fit_bgnbd(x, t_x, age)
    days = fit_bgnbd(x, 7 * t_x, 7 * age)
    assert days.alpha == pytest.approx(7 * weeks.alpha, rel=1e-8)
    assert (days.r, days.a, days.b) == pytest.approx((weeks.r, weeks.a, weeks.b), rel=1e-8)
    assert probability_alive(days, 3, 70.0, 140.0) == pytest.approx(
        probability_alive(weeks, 3, 10.0, 20.0), rel=1e-8
    )


def test_rounding_lets_recency_exceed_t_by_a_hair():
    fit = fit_bgnbd([1, 2, 0, 3], [5.0 + 1e-12, 3.0, 0.0, 7.0], [5.0, 10.0, 4.0, 9.0])
    assert fit.n_accounts == 4


@pytest.mark.parametrize(
    ("frequency", "recency", "T", "message"),
    [
        ([1, -1], [1, 1], [2, 2], "frequency"),
        ([1, 1], [1, np.nan], [2, 2], "recency"),
        ([1, 1], [1, 1], [2, np.inf], "T"),
        ([1.5, 1], [1, 1], [2, 2], "whole number"),
        ([1, 1], [3, 1], [2, 2], "exceed"),
        ([1, 1], [1, 1], [2], "same length"),
        ([0, 0], [0, 0], [0, 0], "T > 0"),
    ],
)
def test_rejects_impossible_inputs(frequency, recency, T, message):
    with pytest.raises(ValueError, match=message):
        fit_bgnbd(frequency, recency, T)

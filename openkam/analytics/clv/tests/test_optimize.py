"""The Newton minimiser on objectives built to show one behaviour each."""

from __future__ import annotations

import numpy as np

from openkam.analytics.clv._optimize import STALLED, minimize_newton


def flat_ridge(x: np.ndarray, derivatives: bool):
    """1 + 1e-12·e^(-x): decreasing for ever, by amounts soon below the objective's rounding,
    with a box far away (a degenerate fit whose ridge does not reach the box)."""
    tail = 1e-12 * np.exp(-x[0])
    value = 1.0 + tail
    if not derivatives:
        return value
    return value, np.array([-tail]), np.array([[tail]])


def test_a_walk_in_rounding_noise_stops_after_a_few_iterations_not_converged():
    result = minimize_newton(flat_ridge, np.array([0.0]), np.array([-1e3]), np.array([1e3]))
    assert not result.converged
    assert not result.at_bound.any()
    # a few iterations with visible progress, then STALLED without: not the limit of 100
    assert result.iterations <= 20 + STALLED
    assert result.evaluations <= result.iterations + 1


def bowl(x: np.ndarray, derivatives: bool):
    value = float(np.sum((x - 3.0) ** 2)) * 1e6 + 5.0
    if not derivatives:
        return value
    return value, 2e6 * (x - 3.0), np.eye(len(x)) * 2e6


def test_a_well_posed_minimum_still_converges():
    result = minimize_newton(bowl, np.zeros(2), np.full(2, -10.0), np.full(2, 10.0))
    assert result.converged
    np.testing.assert_allclose(result.x, [3.0, 3.0])

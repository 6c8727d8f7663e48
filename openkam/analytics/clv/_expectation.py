"""Expected BG/NBD purchases in (T, T+t] of an account known to be alive at T.

This is the factor of eq. (10) of Fader, Hardie & Lee (2005) that multiplies P(alive):

    E = (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))].

Given survival to T the posterior is λ ~ Gamma(s, α+T), s = r+x, and p ~ Beta(a, b+x), and
E = E_p[(1 − (1 + p·c)^(−s)) / p] with c = t/(α+T): the purchases of a Poisson process that
stops after a Geometric(p) number of them. Both forms are used:

1. the closed form, after Euler's transformation ₂F₁(A, B; C; z) = (1−z)^(C−A−B)
   ₂F₁(C−A, C−B; C; z), which gives y^(a−1) ₂F₁(a+b−1−r, a−1; a+b+x−1; z) with y = 1−z: the
   arguments no longer grow with x, so large frequencies stay finite. Its factor 1/(a−1) has a
   removable singularity at a = 1, where the value is interpolated linearly between
   a = 1 ± 1e-4 (relative error below 1e-5);
2. where scipy's ₂F₁ overflows or loses itself (very large a or b, z close to 1 — seen on
   degenerate fits), or the result leaves the range it must lie in, [0, s·c] (s·c being the
   purchases of an account that cannot drop out): the same closed form with ₂F₁ summed as its
   power series, where its terms provably shrink fast (ratio ≤ 1/4, so the sum cannot cancel
   away) — the case of degenerate fits with r, α → ∞ (no dropout, Poisson buyers), where
   z = t/(α+T+t) is tiny and scipy fails on the huge |a+b−1−r|;
3. where that does not apply either, the expectation over p by a 64-point Gauss rule for the
   Beta(a, b+x) distribution.

The expectation depends on an account only through (x, T), and accounts share them (the
engine's T are whole days, x whole numbers), while horizons t are shared by all accounts (a
scalar, or the steps of a CLV along an axis of their own): it is evaluated once per distinct
(x, T) and distinct t, and spread back.

Checked against mpmath (30 digits) on 6,000 random parameter sets in realistic ranges
(r 0.05–5, α 0.01–50, a 0.05–10, b 0.1–100, T from a day to 150 weeks, t up to 520 weeks): the
relative error stayed below 1e-9. The one inaccuracy seen is scipy's ₂F₁ off by ~0.2 % within
the valid range for an account with T = 0, α = 0.1 and t = 520, i.e. z within 2e-4 of 1.
The series (2.) was checked against the same series summed with 60-digit decimals on 1,200
accounts of degenerate fits (r 1e2–1e6, a 1e-6–10, b 1e2–1e6): relative error below 1e-12.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import numpy.typing as npt
from scipy.linalg import eigh_tridiagonal
from scipy.special import hyp2f1

_A_NEAR_ONE = 1e-4
_QUADRATURE_NODES = 64
_DISTINCT_FROM = 256  # (x, T) pairs; fewer are evaluated as they come


def alive_expectation(
    r: float,
    alpha: float,
    a: float,
    b: float,
    t: npt.ArrayLike,
    x: npt.ArrayLike,
    age: npt.ArrayLike,
) -> np.ndarray:
    """The expectation for t, x, T broadcast together (the module docstring)."""
    t, x, age = (np.asarray(v, dtype=float) for v in (t, x, age))
    shape = np.broadcast_shapes(t.shape, x.shape, age.shape)
    pair_shape = np.broadcast_shapes(x.shape, age.shape)
    # The axes along which t varies, and those along which x or T do, aligned to the result's.
    t_axes = np.array((1,) * (len(shape) - t.ndim) + t.shape) > 1
    pair_axes = np.array((1,) * (len(shape) - len(pair_shape)) + pair_shape) > 1
    if math.prod(pair_shape) >= _DISTINCT_FROM and not (t_axes & pair_axes).any():
        pair_x, pair_age, pair = _distinct_pairs(*(v.ravel() for v in np.broadcast_arrays(x, age)))
        horizons, horizon = np.unique(t, return_inverse=True)
        if horizons.size * pair_x.size <= 0.5 * math.prod(shape):
            grid = _evaluate(r, alpha, a, b, horizons[:, None], pair_x, pair_age)
            return grid[horizon.reshape(t.shape), pair.reshape(pair_shape)]
    return _evaluate(r, alpha, a, b, t, x, age)


def _distinct_pairs(x: np.ndarray, age: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct (x, T) pairs, and which of them each row is."""
    ages, age_index = np.unique(age, return_inverse=True)
    values, x_index = np.unique(x, return_inverse=True)
    keys, pair = np.unique(x_index * ages.size + age_index, return_inverse=True)
    return values[keys // ages.size], ages[keys % ages.size], pair


def _evaluate(
    r: float, alpha: float, a: float, b: float, t: np.ndarray, x: np.ndarray, age: np.ndarray
) -> np.ndarray:
    t, x, age = np.broadcast_arrays(t, x, age)
    ceiling = (r + x) * t / (alpha + age)
    value = _closed_form_any_a(r, alpha, a, b, t, x, age, series=False)
    lost = ~_in_range(value, ceiling)
    if lost.any():
        value = np.array(value, dtype=float)
        rows = (t[lost], x[lost], age[lost])
        value[lost] = _closed_form_any_a(r, alpha, a, b, *rows, series=True)
        lost = ~_in_range(value, ceiling)
        if lost.any():
            value[lost] = _quadrature(r, alpha, a, b, t[lost], x[lost], age[lost])
    return np.clip(value, 0.0, ceiling)


def _closed_form_any_a(
    r: float,
    alpha: float,
    a: float,
    b: float,
    t: np.ndarray,
    x: np.ndarray,
    age: np.ndarray,
    *,
    series: bool,
) -> np.ndarray:
    """The closed form, interpolated across its removable singularity at a = 1."""
    k = a - 1.0
    with np.errstate(all="ignore"):
        if abs(k) >= _A_NEAR_ONE:
            return _closed_form(r, alpha, a, b, t, x, age, series)
        below = _closed_form(r, alpha, 1.0 - _A_NEAR_ONE, b, t, x, age, series)
        above = _closed_form(r, alpha, 1.0 + _A_NEAR_ONE, b, t, x, age, series)
        return below + (above - below) * (k + _A_NEAR_ONE) / (2 * _A_NEAR_ONE)


def _in_range(value: np.ndarray, ceiling: np.ndarray) -> np.ndarray:
    return np.isfinite(value) & (value >= 0) & (value <= ceiling * (1 + 1e-9) + 1e-300)


def _closed_form(
    r: float,
    alpha: float,
    a: float,
    b: float,
    t: np.ndarray,
    x: np.ndarray,
    age: np.ndarray,
    series: bool = False,
) -> np.ndarray:
    """The closed form, with scipy's ₂F₁ or (`series`) the power series: NaN where the series
    does not apply, or where its two parts cancel to less than 1e-6 of their size."""
    c = a + b + x - 1.0
    # ln y = −ln(1 + t/(α+T)): the difference of ln(α+T) and ln(α+T+t) would lose the digits
    # of a short horizon next to a large α (1e-8 relative for t = 1 week and α = 1e6 weeks).
    log_y = -np.log1p(t / (alpha + age))
    args = (c - r - x, a - 1.0, c, -np.expm1(log_y))
    hyp_minus_one = _hyp2f1_series_minus_one(*args) if series else hyp2f1(*args) - 1.0
    # 1 − y^k·F written as (1 − y^k) − y^k·(F − 1): both parts are small together near k = 0.
    y_k = np.exp((a - 1.0) * log_y)
    first, second = -np.expm1((a - 1.0) * log_y), y_k * hyp_minus_one
    value = c / (a - 1.0) * (first - second)
    if series:
        cancelled = np.abs(first - second) < 1e-6 * (np.abs(first) + np.abs(second))
        value = np.where(cancelled, np.nan, value)
    return value


_SERIES_RATIO = 0.25
_SERIES_TERMS = 40  # 0.25^40 ≈ 1e-24


def _hyp2f1_series_minus_one(A: np.ndarray, B: float, C: np.ndarray, z: np.ndarray) -> np.ndarray:
    """₂F₁(A, B; C; z) − 1 = Σ_{k≥1} (A)_k (B)_k / ((C)_k k!) z^k where C > 0, 0 ≤ z and the
    ratio of consecutive terms, z·|A+k|·|B+k| / ((C+k)(k+1)) ≤ z·max(1, |A|/C)·max(1, |B|),
    is at most 1/4: the terms after the first then add up to at most a third of it, and 40
    terms leave an error below 1e-24 of it. NaN elsewhere."""
    A, B, C, z = np.broadcast_arrays(A, B, C, z)
    out = np.full(A.shape, np.nan)
    with np.errstate(all="ignore"):
        bound = z * np.maximum(1.0, np.abs(A) / C) * np.maximum(1.0, np.abs(B))
        usable = (C > 0) & (z >= 0) & (bound <= _SERIES_RATIO)
    if not usable.any():
        return out
    A, B, C, z = A[usable], B[usable], C[usable], z[usable]
    term = A * B / C * z
    total = term.copy()
    for k in range(1, _SERIES_TERMS):
        term *= (A + k) * (B + k) / ((C + k) * (k + 1)) * z
        total += term
        if np.all(np.abs(term) <= 1e-17 * np.abs(total)):
            break
    out[usable] = total
    return out


def _quadrature(
    r: float, alpha: float, a: float, b: float, t: np.ndarray, x: np.ndarray, age: np.ndarray
) -> np.ndarray:
    """E_p[(1 − (1+p·c)^(−s))/p] for p ~ Beta(a, b+x), one Gauss rule per distinct x."""
    c = t / (alpha + age)
    s = r + x
    out = np.empty(t.shape)
    for value in np.unique(x):
        rows = x == value
        nodes, weights = _beta_gauss_rule(float(a), float(b + value), _QUADRATURE_NODES)
        pc = np.multiply.outer(c[rows], nodes)
        s_rows = s[rows][:, None]
        with np.errstate(all="ignore"):
            h = -np.expm1(-s_rows * np.log1p(pc)) / nodes
        # A node that rounds to p = 0: the limit s·c (no dropout).
        h = np.where(pc > 0, h, s_rows * c[rows][:, None])
        out[rows] = h @ weights
    return out


@functools.lru_cache(maxsize=1024)
def _beta_gauss_rule(a: float, b: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights (summing to 1) of the n-point Gauss rule for Beta(a, b) on (0, 1), by
    Golub–Welsch on the Jacobi recurrence with weight (1−z)^(b−1) (1+z)^(a−1) on (−1, 1).
    scipy's roots_jacobi overflows in its normalising constant for large a + b; the weights
    here come normalised from the eigenvectors. Cached (read-only): the predictions of one fit
    ask for the same rules again, a few horizons at a time."""
    ja, jb = b - 1.0, a - 1.0
    k = np.arange(n, dtype=float)
    s = 2 * k + ja + jb
    diag = np.empty(n)
    diag[0] = (jb - ja) / (ja + jb + 2)
    diag[1:] = (jb * jb - ja * ja) / (s[1:] * (s[1:] + 2))
    k1, s1 = k[1:], s[1:]
    off_sq = 4 * k1 * (k1 + ja) * (k1 + jb) * (k1 + ja + jb) / (s1 * s1 * (s1 + 1) * (s1 - 1))
    # k = 1: the factor (1 + ja + jb) cancels, and may be 0.
    off_sq[0] = 4 * (1 + ja) * (1 + jb) / ((2 + ja + jb) ** 2 * (3 + ja + jb))
    z, vectors = eigh_tridiagonal(diag, np.sqrt(off_sq))
    weights = vectors[0] ** 2
    nodes, weights = (1 + z) / 2, weights / weights.sum()
    nodes.flags.writeable = weights.flags.writeable = False
    return nodes, weights

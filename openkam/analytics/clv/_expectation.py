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
   purchases of an account that cannot drop out), the expectation over p by a 64-point Gauss
   rule for the Beta(a, b+x) distribution.

Checked against mpmath (30 digits) on 6,000 random parameter sets in realistic ranges
(r 0.05–5, α 0.01–50, a 0.05–10, b 0.1–100, T from a day to 150 weeks, t up to 520 weeks): the
relative error stayed below 1e-9. The one inaccuracy seen is scipy's ₂F₁ off by ~0.2 % within
the valid range for an account with T = 0, α = 0.1 and t = 520, i.e. z within 2e-4 of 1.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import eigh_tridiagonal
from scipy.special import hyp2f1

_A_NEAR_ONE = 1e-4
_QUADRATURE_NODES = 64


def alive_expectation(
    r: float, alpha: float, a: float, b: float, t: np.ndarray, x: np.ndarray, age: np.ndarray
) -> np.ndarray:
    ceiling = (r + x) * t / (alpha + age)
    k = a - 1.0
    with np.errstate(all="ignore"):
        if abs(k) >= _A_NEAR_ONE:
            value = _closed_form(r, alpha, a, b, t, x, age)
        else:
            below = _closed_form(r, alpha, 1.0 - _A_NEAR_ONE, b, t, x, age)
            above = _closed_form(r, alpha, 1.0 + _A_NEAR_ONE, b, t, x, age)
            value = below + (above - below) * (k + _A_NEAR_ONE) / (2 * _A_NEAR_ONE)
    lost = ~(np.isfinite(value) & (value >= 0) & (value <= ceiling * (1 + 1e-9) + 1e-300))
    if lost.any():
        value = np.array(value, dtype=float)
        value[lost] = _quadrature(r, alpha, a, b, t[lost], x[lost], age[lost])
    return np.clip(value, 0.0, ceiling)


def _closed_form(
    r: float, alpha: float, a: float, b: float, t: np.ndarray, x: np.ndarray, age: np.ndarray
) -> np.ndarray:
    c = a + b + x - 1.0
    log_y = np.log(alpha + age) - np.log(alpha + age + t)
    hyp = hyp2f1(c - r - x, a - 1.0, c, -np.expm1(log_y))
    # 1 − y^k·F written as (1 − y^k) − y^k·(F − 1): both parts are small together near k = 0.
    y_k = np.exp((a - 1.0) * log_y)
    return c / (a - 1.0) * (-np.expm1((a - 1.0) * log_y) - y_k * (hyp - 1.0))


def _quadrature(
    r: float, alpha: float, a: float, b: float, t: np.ndarray, x: np.ndarray, age: np.ndarray
) -> np.ndarray:
    """E_p[(1 − (1+p·c)^(−s))/p] for p ~ Beta(a, b+x), one Gauss rule per distinct x."""
    c = t / (alpha + age)
    s = r + x
    out = np.empty(t.shape)
    for value in np.unique(x):
        rows = x == value
        nodes, weights = _beta_gauss_rule(a, b + value, _QUADRATURE_NODES)
        pc = np.multiply.outer(c[rows], nodes)
        s_rows = s[rows][:, None]
        with np.errstate(all="ignore"):
            h = -np.expm1(-s_rows * np.log1p(pc)) / nodes
        # A node that rounds to p = 0: the limit s·c (no dropout).
        h = np.where(pc > 0, h, s_rows * c[rows][:, None])
        out[rows] = h @ weights
    return out


def _beta_gauss_rule(a: float, b: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights (summing to 1) of the n-point Gauss rule for Beta(a, b) on (0, 1), by
    Golub–Welsch on the Jacobi recurrence with weight (1−z)^(b−1) (1+z)^(a−1) on (−1, 1).
    scipy's roots_jacobi overflows in its normalising constant for large a + b; the weights
    here come normalised from the eigenvectors."""
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
    return (1 + z) / 2, weights / weights.sum()

"""The Gamma-Gamma spend model: what an account's next orders will be worth.

Fader, Hardie & Lee (2005), "RFM and CLV: using iso-value curves for customer base analysis",
Journal of Marketing Research 42(4), 415–430, and Fader & Hardie (2013), "The Gamma-Gamma model
of monetary value" (Bruce Hardie's note 025). Each order of an account is worth z ~ Gamma(p, ν),
with ν ~ Gamma(q, γ) across accounts (γ is called v here, as in lifetimes); the model sees an
account's mean order value m̄ over its x orders, whose marginal density is

    f(m̄ | p, q, γ; x) = Γ(px+q) / (Γ(px) Γ(q)) · γ^q m̄^(px−1) x^(px) / (γ + x·m̄)^(px+q).

What counts as an order is the caller's choice; the usual convention (lifetimes', and the
engine's) is the mean over the x repeat purchases, so accounts without a repeat purchase have no
m̄. The fit uses only accounts with x > 0 and m̄ > 0 (the Gamma density is not defined for
m̄ ≤ 0, which net credit notes can produce); predictions for the others fall back to the
population mean. The model assumes spend independent of purchase frequency:
`checks.check_gamma_gamma` looks at their correlation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.special import digamma, gammaln, polygamma

from openkam.analytics.clv._optimize import (
    CHUNK,
    distinct_counts,
    dot,
    minimize_newton,
    standard_errors,
    weighted,
    weighted_sum,
)

PARAMETERS = ("p", "q", "v")
BOUNDS = (1e-6, 1e6)  # the optimiser's box (v relative to the mean m̄)
_SUBSAMPLE_ROWS = 20_000


@dataclass(frozen=True)
class GammaGammaFit:
    """Maximum-likelihood Gamma-Gamma parameters. `n_accounts` is the summed weight of the
    accounts used, `n_excluded` the number of rows left out (x = 0 or m̄ ≤ 0);
    `log_likelihood` is the sum of ln f(m̄ | p, q, γ; x) (the module docstring) in the caller's
    money unit; `evaluations` counts the passes of the likelihood over all rows."""

    p: float
    q: float
    v: float
    log_likelihood: float
    n_accounts: float
    converged: bool
    iterations: int
    n_excluded: int = 0
    at_bound: tuple[str, ...] = ()
    standard_errors: tuple[float, float, float] = (np.nan, np.nan, np.nan)
    evaluations: int = 0

    @property
    def params(self) -> dict[str, float]:
        return {"p": self.p, "q": self.q, "v": self.v}

    @property
    def population_mean(self) -> float:
        """E[Z] = p·v/(q−1), the mean order value of an account we know nothing about; infinite
        when q ≤ 1."""
        return self.p * self.v / (self.q - 1.0) if self.q > 1.0 else np.inf


def fit_gamma_gamma(
    frequency: npt.ArrayLike,
    monetary_value: npt.ArrayLike,
    *,
    weights: npt.ArrayLike | None = None,
) -> GammaGammaFit:
    """Fit p, q, v by maximising the likelihood of the accounts' mean order values (the density
    in the module docstring), over accounts with frequency > 0 and a finite monetary value > 0.

    Newton's method on log-parameters with the analytic gradient and Hessian, started from a
    fit on a systematic subsample when there are many accounts.
    """
    x = np.asarray(frequency, dtype=float).ravel()
    m = np.asarray(monetary_value, dtype=float).ravel()
    w = None if weights is None else np.asarray(weights, dtype=float).ravel()
    if not x.size == m.size == (x.size if w is None else w.size):
        raise ValueError("frequency, monetary_value and weights must have the same length")
    for name, values in (("frequency", x), ("weights", w)):
        if values is not None and values.size and not (values.min() >= 0 and values.max() < np.inf):
            raise ValueError(f"{name} must be finite and non-negative")
    with np.errstate(invalid="ignore"):
        used = (x > 0) & (m > 0) & (m < np.inf)
    if w is not None:
        used &= w > 0
    n_used = int(np.count_nonzero(used))
    n_excluded = (x.size if w is None else int(np.count_nonzero(w > 0))) - n_used
    if n_used == 0:
        raise ValueError("no account with frequency > 0 and a positive monetary value")

    rows = np.flatnonzero(used)
    x, m = x[rows], m[rows]
    w = None if w is None else w[rows]
    # Start at p = 1, q = 2 and v = the mean m̄, which puts the population mean p·v/(q−1) at
    # the sample mean; the box is relative to that money unit.
    log_unit = np.log(float(np.average(m, weights=w)))
    start = np.array([0.0, np.log(2.0), log_unit])
    lower = np.log(BOUNDS[0]) + np.array([0.0, 0.0, log_unit])
    upper = np.log(BOUNDS[1]) + np.array([0.0, 0.0, log_unit])
    if n_used > 2.5 * _SUBSAMPLE_ROWS:
        sample = slice(None, None, n_used // _SUBSAMPLE_ROWS)
        subsample = _Likelihood(x[sample], m[sample], None if w is None else w[sample])
        start = minimize_newton(subsample, start, lower, upper).x
    likelihood = _Likelihood(x, m, w)
    result = minimize_newton(likelihood, start, lower, upper)

    p, q, v = np.exp(result.x)
    return GammaGammaFit(
        p=float(p),
        q=float(q),
        v=float(v),
        log_likelihood=float(-result.value * likelihood.total),
        n_accounts=likelihood.total,
        converged=result.converged,
        iterations=result.iterations,
        evaluations=result.evaluations,
        n_excluded=n_excluded,
        at_bound=tuple(name for name, hit in zip(PARAMETERS, result.at_bound, strict=True) if hit),
        standard_errors=tuple(  # type: ignore[arg-type]
            float(value) for value in standard_errors(result.x, result.hessian, likelihood.total)
        ),
    )


def expected_order_value(
    fit: GammaGammaFit, frequency: npt.ArrayLike, monetary_value: npt.ArrayLike
) -> np.ndarray:
    """The posterior mean order value (note 025)
    E[M | p, q, v; m̄, x] = (q−1)/(px+q−1) · pv/(q−1) + px/(px+q−1) · m̄ = p(v + x·m̄)/(px+q−1):
    the account's own mean shrunk towards the population mean, the more so the fewer orders it
    has. Accounts with x = 0 or without a positive m̄ get the population mean (infinite when
    q ≤ 1, which `checks.check_gamma_gamma` flags)."""
    x, m = np.broadcast_arrays(
        np.asarray(frequency, dtype=float), np.asarray(monetary_value, dtype=float)
    )
    known = (x > 0) & np.isfinite(m) & (m > 0)
    x = np.where(known, x, 0.0)
    m = np.where(known, m, 0.0)
    with np.errstate(divide="ignore"):
        value = fit.p * (fit.v + x * m) / (fit.p * x + fit.q - 1.0)
    # q ≤ 1 leaves the prior mean infinite; an account with orders has a finite posterior mean
    # as long as px + q > 1.
    return np.where(fit.p * x + fit.q > 1.0, value, np.inf)


class _Likelihood:
    """Minus the mean log-likelihood of log-parameters (p, q, v), with gradient and Hessian.

    Per account, with y = v + x·m̄ (the log of the density in the module docstring):
    ℓ = lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q ln v + (px−1) ln m̄ + px ln x − (px+q) ln y.
    The Gamma-function terms depend on x alone and are summed over its distinct values; the
    rest needs Σw·x^k·ln y and Σw·x^k/y^j over the rows.
    """

    def __init__(self, x: np.ndarray, m: np.ndarray, w: np.ndarray | None) -> None:
        self.w = w
        self.wx = weighted(w, x)
        self.mx = m * x
        self.distinct_x, self.count_x = distinct_counts(x, w)
        self.total = float(self.count_x.sum())
        log_m = np.log(m)
        self.sum_wx_log_mx = dot(self.wx, log_m + np.log(x))
        self.sum_w_log_m = weighted_sum(w, log_m)

    def __call__(self, log_params: np.ndarray, derivatives: bool):
        p, q, v = theta = np.exp(log_params)
        ux, nx, n = self.distinct_x, self.count_x, self.total
        px = p * ux
        sums = self._row_sums(v, derivatives)
        w_log_y, wx_log_y = sums[:2]
        ll = (
            nx @ (gammaln(px + q) - gammaln(px))
            + n * (q * np.log(v) - gammaln(q))
            + p * self.sum_wx_log_mx
            - self.sum_w_log_m
            - p * wx_log_y
            - q * w_log_y
        )
        value = -ll / n
        if not derivatives:
            return value

        w_inv, wx_inv, w_inv2, wx_inv2 = sums[2:]
        dg_pq = digamma(px + q)
        tg_pq = polygamma(1, px + q)
        grad = np.array(
            [
                (nx * ux) @ (dg_pq - digamma(px)) + self.sum_wx_log_mx - wx_log_y,
                nx @ dg_pq + n * (np.log(v) - digamma(q)) - w_log_y,
                n * q / v - p * wx_inv - q * w_inv,
            ]
        )
        h_pp = (nx * ux * ux) @ (tg_pq - polygamma(1, px))
        h_pq = (nx * ux) @ tg_pq
        h_pv = -wx_inv
        h_qq = nx @ tg_pq - n * polygamma(1, q)
        h_qv = n / v - w_inv
        h_vv = -n * q / v**2 + p * wx_inv2 + q * w_inv2
        hess = np.array([[h_pp, h_pq, h_pv], [h_pq, h_qq, h_qv], [h_pv, h_qv, h_vv]])
        grad_log = theta * grad
        hess_log = np.outer(theta, theta) * hess + np.diag(grad_log)
        return value, -grad_log / n, -hess_log / n

    def _row_sums(self, v: float, derivatives: bool) -> np.ndarray:
        """Σw·ln y, Σw·x·ln y and, for derivatives, Σw/y, Σw·x/y, Σw/y², Σw·x/y²."""
        sums = np.zeros(6 if derivatives else 2)
        for start in range(0, self.mx.size, CHUNK):
            chunk = slice(start, start + CHUNK)
            w = None if self.w is None else self.w[chunk]
            wx = self.wx[chunk]
            y = v + self.mx[chunk]
            log_y = np.log(y)
            sums[0] += weighted_sum(w, log_y)
            sums[1] += dot(wx, log_y)
            if derivatives:
                inv = 1.0 / y
                w_inv = weighted(w, inv)
                wx_inv = wx * inv
                sums[2:] += (w_inv.sum(), wx_inv.sum(), dot(w_inv, inv), dot(wx_inv, inv))
        return sums

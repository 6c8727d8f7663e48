"""The BG/NBD repeat-purchase model: who is still buying, and how much more will they buy.

Fader, Hardie & Lee (2005), "Counting your customers the easy way: an alternative to the
Pareto/NBD model", Marketing Science 24(2), 275–284; equation numbers below are the paper's.
While alive an account buys at Poisson rate λ ~ Gamma(r, α); after every repeat purchase it
drops out for good with probability p ~ Beta(a, b).

Each account is summarised by
- `frequency` x: the number of repeat purchases (purchases after the first),
- `recency` t_x: the time from the first purchase to the last one (0 when x = 0),
- `T`: the time from the first purchase to the end of the observation period,
all in the caller's time unit (the engine passes weeks); α is in that unit too, and nothing else
about units is recorded. Accounts with T = 0 carry no information (with x = 0 their likelihood
is exactly 1) and are left out of the fit.

By the model's construction dropout can only follow a repeat purchase, so an account without
one (x = 0) is alive with probability 1, however long it has been silent — a known weakness of
the BG/NBD that `checks.check_bgnbd` and the rhythm-based lapse rule are there for.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.special import digamma, expit, gammaln, polygamma

from openkam.analytics.clv._expectation import alive_expectation
from openkam.analytics.clv._optimize import (
    CHUNK,
    distinct_counts,
    dot,
    minimize_newton,
    standard_errors,
    weighted,
    weighted_sum,
)

PARAMETERS = ("r", "alpha", "a", "b")
# The optimiser's box (α in units of max T / 10, see _TIME_SCALE_MAX_T); a parameter that ends
# on it means the likelihood has no maximum inside (a degenerate fit).
BOUNDS = (1e-6, 1e6)
_TIME_SCALE_MAX_T = 10.0  # start and box as if times were rescaled to max T = 10 (as lifetimes)
_SUBSAMPLE_ROWS = 20_000  # fit a systematic subsample first when there are many more rows


@dataclass(frozen=True)
class BgNbdFit:
    """Maximum-likelihood BG/NBD parameters. `n_accounts` is the summed weight of the accounts
    used (those with T > 0), `n_excluded` the number of rows left out for T = 0;
    `log_likelihood` is eq. (6) summed over them, in the caller's time unit. `iterations` counts
    the Newton iterations over all rows and `evaluations` the passes of the likelihood over
    them; `at_bound` names parameters that ended on the optimiser's box (a degenerate fit: it is
    stopped once it runs there and stops improving, and then reported as not converged).
    `standard_errors` (r, α, a, b) come from the inverse of the observed information (NaN where
    it is singular)."""

    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float
    n_accounts: float
    converged: bool
    iterations: int
    n_excluded: int = 0
    at_bound: tuple[str, ...] = ()
    standard_errors: tuple[float, float, float, float] = (np.nan, np.nan, np.nan, np.nan)
    evaluations: int = 0

    @property
    def params(self) -> dict[str, float]:
        return {"r": self.r, "alpha": self.alpha, "a": self.a, "b": self.b}


def fit_bgnbd(
    frequency: npt.ArrayLike,
    recency: npt.ArrayLike,
    T: npt.ArrayLike,
    *,
    weights: npt.ArrayLike | None = None,
) -> BgNbdFit:
    """Fit r, α, a, b by maximising the log-likelihood (eq. 6) over the accounts with T > 0.

    `weights` count identical accounts (one row per distinct (x, t_x, T) with its number of
    accounts gives the same fit as the rows repeated). Newton's method on log-parameters with
    the analytic gradient and Hessian; with many rows it first fits a systematic subsample to
    start close to the optimum, so the full data are read only a few times.
    """
    x, t_x, age, w = _validated(frequency, recency, T, weights)
    used = age > 0 if w is None else (age > 0) & (w > 0)
    n_excluded = int(np.count_nonzero((age <= 0) if w is None else (age <= 0) & (w > 0)))
    if not used.any():
        raise ValueError("no account with T > 0 to fit the BG/NBD model on")

    # Start and bounds as if time were rescaled so that max T = 10 (as lifetimes does), which
    # makes them independent of the caller's unit; only ln α moves with the unit.
    log_unit = np.log(float(age[used].max()) / _TIME_SCALE_MAX_T)
    lower = np.log(BOUNDS[0]) + np.array([0.0, log_unit, 0.0, 0.0])
    upper = np.log(BOUNDS[1]) + np.array([0.0, log_unit, 0.0, 0.0])
    start = np.array([0.0, log_unit, 0.0, 0.0])
    n_used = int(np.count_nonzero(used))
    if n_used > 2.5 * _SUBSAMPLE_ROWS:
        stride = slice(None, None, n_used // _SUBSAMPLE_ROWS)
        rows = np.flatnonzero(used)[stride]
        sample = _Likelihood(x[rows], t_x[rows], age[rows], None if w is None else w[rows])
        warm = minimize_newton(sample, start, lower, upper)
        # Not from the box: where a subsample's fit degenerates, the likelihood of all rows may
        # still have its maximum inside, out of reach across the flat ridge the fit stopped on.
        if not warm.at_bound.any():
            start = warm.x
    likelihood = _Likelihood(x, t_x, age, w, used)
    result = minimize_newton(likelihood, start, lower, upper)

    r, alpha, a, b = np.exp(result.x)
    return BgNbdFit(
        r=float(r),
        alpha=float(alpha),
        a=float(a),
        b=float(b),
        log_likelihood=float(-result.value * likelihood.total),
        n_accounts=likelihood.total,
        converged=result.converged,
        iterations=result.iterations,
        evaluations=result.evaluations,
        n_excluded=n_excluded,
        at_bound=tuple(name for name, hit in zip(PARAMETERS, result.at_bound, strict=True) if hit),
        standard_errors=tuple(  # type: ignore[arg-type]
            float(v) for v in standard_errors(result.x, result.hessian, likelihood.total)
        ),
    )


def probability_alive(
    fit: BgNbdFit,
    frequency: npt.ArrayLike,
    recency: npt.ArrayLike,
    T: npt.ArrayLike,
) -> np.ndarray:
    """P(alive | x, t_x, T) = 1 / (1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)), one over
    the denominator of eq. (10) (Fader, Hardie & Lee 2008, "Computing P(alive) using the BG/NBD
    model"); evaluated as a logistic of a log-odds, so it neither overflows nor leaves [0, 1].
    Accounts without a repeat purchase get exactly 1 (see the module docstring)."""
    x, t_x, age = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (frequency, recency, T))
    )
    return expit(-_log_odds_dead(fit, x, t_x, age))


def expected_purchases(
    fit: BgNbdFit,
    t: npt.ArrayLike,
    frequency: npt.ArrayLike,
    recency: npt.ArrayLike,
    T: npt.ArrayLike,
) -> np.ndarray:
    """E[Y(t) | x, t_x, T]: expected purchases in the next t time units given the history,
    eq. (10): P(alive | x, t_x, T) × `expected_purchases_if_alive`."""
    return probability_alive(fit, frequency, recency, T) * expected_purchases_if_alive(
        fit, t, frequency, T
    )


def expected_purchases_if_alive(
    fit: BgNbdFit, t: npt.ArrayLike, frequency: npt.ArrayLike, T: npt.ArrayLike
) -> np.ndarray:
    """Expected purchases in the next t time units of an account known to be alive at T with x
    repeat purchases, the numerator of eq. (10):
    (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))]
    (see `_expectation` for how it is evaluated)."""
    return alive_expectation(fit.r, fit.alpha, fit.a, fit.b, t, frequency, T)


def expected_purchases_new_account(fit: BgNbdFit, t: npt.ArrayLike) -> np.ndarray:
    """E[X(t)]: expected repeat purchases of a new account in its first t time units, eq. (9) —
    the alive-at-T expectation with x = 0 and T = 0."""
    return expected_purchases_if_alive(fit, t, 0.0, 0.0)


def _log_odds_dead(fit: BgNbdFit, x: np.ndarray, t_x: np.ndarray, age: np.ndarray) -> np.ndarray:
    r, alpha, a, b = fit.r, fit.alpha, fit.a, fit.b
    repeat = x > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        log_odds = (
            np.log(a)
            - np.log(b + x - 1)
            + (r + x) * (np.log(alpha + age) - np.log(alpha + np.minimum(t_x, age)))
        )
    return np.where(repeat, log_odds, -np.inf)


def _validated(
    frequency: npt.ArrayLike,
    recency: npt.ArrayLike,
    T: npt.ArrayLike,
    weights: npt.ArrayLike | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    x = np.asarray(frequency, dtype=float).ravel()
    t_x = np.asarray(recency, dtype=float).ravel()
    age = np.asarray(T, dtype=float).ravel()
    w = None if weights is None else np.asarray(weights, dtype=float).ravel()
    if not x.size == t_x.size == age.size == (x.size if w is None else w.size):
        raise ValueError("frequency, recency, T and weights must have the same length")
    for name, values in (("frequency", x), ("recency", t_x), ("T", age), ("weights", w)):
        # min/max propagate NaN, and make no temporary arrays.
        if values is not None and values.size and not (values.min() >= 0 and values.max() < np.inf):
            raise ValueError(f"{name} must be finite and non-negative")
    if np.any(x != np.round(x)):
        raise ValueError("frequency must be a whole number of repeat purchases")
    over = t_x > age
    if over.any():
        if np.any(t_x[over] > age[over] * (1 + 1e-9)):
            raise ValueError("recency cannot exceed T")
        t_x = np.minimum(t_x, age)  # rounding
    return x, t_x, age, w


class _Likelihood:
    """Minus the mean log-likelihood (eq. 6) of log-parameters, with gradient and Hessian.

    Per account, with s = r+x, L(v) = ln(α+v), q = ((α+t_x)/(α+T))^s and d = a/(b+x−1):
    ℓ = lnΓ(r+x) − lnΓ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
        − s·L(t_x) + ln(q + d)          for x > 0,
    ℓ = r ln α − r·L(T)                 for x = 0.
    The Gamma-function terms depend on x alone and are summed over the distinct x values; the
    rest reduces to weighted sums over the rows (`_repeat_sums`, `_first_only_sums`), from
    which the derivatives are assembled.
    """

    def __init__(
        self,
        x: np.ndarray,
        t_x: np.ndarray,
        age: np.ndarray,
        w: np.ndarray | None,
        used: np.ndarray | None = None,
    ) -> None:
        """Rows where `used` (all by default); weights None means 1 each."""
        repeat = x > 0
        first_only = ~repeat
        if used is not None:
            repeat &= used
            first_only &= used
        self.age0 = age[first_only]
        self.x, self.t_x, self.age = x[repeat], t_x[repeat], age[repeat]
        self.w0 = None if w is None else w[first_only]
        self.w = None if w is None else w[repeat]
        self.x_minus_1 = self.x - 1.0
        self.distinct_x, self.count_x = distinct_counts(self.x, self.w)
        self.n_repeat = float(self.count_x.sum())
        self.n_first_only = float(self.age0.size if w is None else self.w0.sum())
        self.total = self.n_repeat + self.n_first_only

    def __call__(self, log_params: np.ndarray, derivatives: bool):
        r, alpha, a, b = theta = np.exp(log_params)
        ux, nx, n1 = self.distinct_x, self.count_x, self.n_repeat
        s0 = self._first_only_sums(alpha, derivatives)
        s1 = self._repeat_sums(r, alpha, a, b, derivatives)
        ll = (
            nx @ (gammaln(r + ux) + gammaln(b + ux) - gammaln(a + b + ux))
            + n1 * (gammaln(a + b) - gammaln(r) - gammaln(b))
            + self.total * r * np.log(alpha)
            - r * s0[0]
            + s1[0]
        )
        value = -ll / self.total
        if not derivatives:
            return value

        (_, l_tx, rho_u, rho_sua, s_itx, dlt, dlt_e, rd_uu, itx, rho_ua, rd_u_sua, s_itx2,
         rd_sua2, rho_s_ua2, rd_u, rd_u_e, rd_sua, rd_sua_e, dlt2, rd_e, bb) = s1  # fmt: skip
        l_age0, i_age0, i_age0_2 = s0
        dg_ab = n1 * digamma(a + b) - nx @ digamma(a + b + ux)
        tg_ab = n1 * polygamma(1, a + b) - nx @ polygamma(1, a + b + ux)
        grad = np.array(
            [
                nx @ digamma(r + ux) - n1 * digamma(r)
                + self.total * np.log(alpha) - l_age0 - l_tx + rho_u,
                self.total * r / alpha - r * i_age0 + rho_sua - s_itx,
                dg_ab + dlt / a,
                dg_ab + nx @ digamma(b + ux) - n1 * digamma(b) - dlt_e,
            ]
        )  # fmt: skip
        h_rr = nx @ polygamma(1, r + ux) - n1 * polygamma(1, r) + rd_uu
        h_ral = self.total / alpha - i_age0 - itx + rho_ua + rd_u_sua
        h_alal = -self.total * r / alpha**2 + r * i_age0_2 + s_itx2 + rd_sua2 + rho_s_ua2
        h_ra, h_rb = -rd_u / a, rd_u_e
        h_ala, h_alb = -rd_sua / a, rd_sua_e
        h_aa = tg_ab - dlt2 / a**2
        h_ab = tg_ab - rd_e / a
        h_bb = tg_ab + nx @ polygamma(1, b + ux) - n1 * polygamma(1, b) + bb
        hess = np.array(
            [
                [h_rr, h_ral, h_ra, h_rb],
                [h_ral, h_alal, h_ala, h_alb],
                [h_ra, h_ala, h_aa, h_ab],
                [h_rb, h_alb, h_ab, h_bb],
            ]
        )
        # To log-parameters φ = ln θ: ∇φ = θ∇θ, ∇²φ = θθᵀ∘∇²θ + diag(θ∇θ); minus the mean.
        grad_log = theta * grad
        hess_log = np.outer(theta, theta) * hess + np.diag(grad_log)
        return value, -grad_log / self.total, -hess_log / self.total

    def _first_only_sums(self, alpha: float, derivatives: bool) -> np.ndarray:
        """Σw·L(T), and for derivatives Σw/(α+T), Σw/(α+T)², over accounts with x = 0."""
        sums = np.zeros(3 if derivatives else 1)
        for start in range(0, self.age0.size, CHUNK):
            shifted = alpha + self.age0[start : start + CHUNK]
            w = None if self.w0 is None else self.w0[start : start + CHUNK]
            sums[0] += weighted_sum(w, np.log(shifted))
            if derivatives:
                inv = 1.0 / shifted
                w_inv = weighted(w, inv)
                sums[1] += w_inv.sum()
                sums[2] += dot(w_inv, inv)
        return sums

    def _repeat_sums(
        self, r: float, alpha: float, a: float, b: float, derivatives: bool
    ) -> np.ndarray:
        """Weighted sums over accounts with x > 0: first the log-likelihood terms
        Σw(ln(q+d) − s·L(t_x)), then, for derivatives, the sums named in __call__. With
        u = L(t_x) − L(T), ρ = q/(q+d) (the weight of "alive at T"), δ = 1 − ρ, e = 1/(b+x−1),
        u_α = ∂u/∂α and u_αα = ∂²u/∂α²."""
        sums = np.zeros(21 if derivatives else 1)
        for start in range(0, self.x.size, CHUNK):
            chunk = slice(start, start + CHUNK)
            w = None if self.w is None else self.w[chunk]
            log_tx = np.log(alpha + self.t_x[chunk])
            u = log_tx - np.log(alpha + self.age[chunk])
            s = r + self.x[chunk]
            # Floored at e^-200 (negligible next to d ≥ 1e-12 within the bounds): exp would
            # otherwise return subnormal numbers, and arithmetic on them is ~100 times slower.
            q = np.exp(np.maximum(s * u, -200.0))
            e = 1.0 / (b + self.x_minus_1[chunk])
            d = a * e
            denom = q + d
            sums[0] += weighted_sum(w, np.log(denom) - s * log_tx)
            if not derivatives:
                continue
            rho = q / denom
            delta = d / denom
            inv_tx = 1.0 / (alpha + self.t_x[chunk])
            inv_age = 1.0 / (alpha + self.age[chunk])
            u_a = inv_tx - inv_age
            u_aa = (inv_age - inv_tx) * (inv_age + inv_tx)
            s_ua = s * u_a
            s_itx = s * inv_tx
            w_rho = weighted(w, rho)
            w_dlt = weighted(w, delta)
            w_rd = w_rho * delta
            rd_u = w_rd * u
            rd_sua = w_rd * s_ua
            sums[1:] += (
                weighted_sum(w, log_tx),
                dot(w_rho, u),
                dot(w_rho, s_ua),
                weighted_sum(w, s_itx),
                w_dlt.sum(),
                dot(w_dlt, e),
                dot(rd_u, u),
                weighted_sum(w, inv_tx),
                dot(w_rho, u_a),
                dot(rd_u, s_ua),
                dot(s_itx, weighted(w, inv_tx)),
                dot(rd_sua, s_ua),
                dot(w_rho, s * u_aa),
                rd_u.sum(),
                dot(rd_u, e),
                rd_sua.sum(),
                dot(rd_sua, e),
                dot(w_dlt, delta),
                dot(w_rd, e),
                dot(w_dlt * (2.0 - delta), e * e),
            )
        return sums


def _in_caller_units(se: np.ndarray, scale: float) -> tuple[float, float, float, float]:
    r, alpha, a, b = (float(v) for v in se)
    return (r, alpha / scale, a, b)

"""Maximum likelihood for models with a few parameters: a bounded Newton minimiser, standard
errors, and the bookkeeping that lets the likelihoods loop over distinct values instead of rows.

The BG/NBD and Gamma-Gamma negative log-likelihoods come with analytic gradients and Hessians,
so Newton's method converges in a handful of iterations from a reasonable start, where
quasi-Newton methods need dozens of passes over all rows. Safeguards, in the spirit of a trust
region: an indefinite Hessian is shifted until it is positive definite (Levenberg–Marquardt),
steps are capped in length and backtracked until the objective decreases (Armijo), and the
parameters stay inside a box; one that sits on the box with the gradient pushing outwards is
held there. Close to the optimum the objective no longer resolves the steps (its changes fall
below rounding) while the gradient still does, so small steps are taken without a line search
until they stop shrinking quadratically.

Degenerate fits (the likelihood has its supremum at infinity, e.g. BG/NBD data without dropout,
where r, α → ∞ and a/(a+b) → 0) are stopped as soon as a parameter has run to the box and an
iteration no longer improves the objective by more than VALUE_TOL: from there on Newton would
only wander along a flat ridge, in the rounding noise of an objective whose terms have grown
large and cancel, with line searches halving their steps dozens of times. A fit whose ridge
does not reach the box within a few iterations is stopped after STALLED iterations in a row
that improve the objective by no more than VALUE_TOL (in rounding noise, Armijo's test passes
by chance, and the walk would otherwise go on to the iteration limit). Such a fit is
reported as not converged, with the parameters on the box named. For the same reason a line
search gives up once the decrease it could still detect (the slope times the step) falls below
VALUE_TOL; the fit then ends, not converged unless the step was already tiny.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

# objective(x, derivatives): the value alone, or (value, gradient, Hessian) when derivatives.
Objective = Callable[[np.ndarray, bool], "float | tuple[float, np.ndarray, np.ndarray]"]

MAX_STEP = 2.0  # in log-parameters: at most a factor e² per iteration
STEP_TOL = 1e-10  # converged when the Newton step changes no log-parameter by more
LOCAL_STEP = 1e-4  # a Newton step this small (on a positive definite Hessian) is taken as is
FINAL_STEP = 1e-6  # and one this small is the last
# Relative to the objective (a mean log-likelihood per account): a smaller change is no
# progress, and on degenerate fits below the objective's rounding noise.
VALUE_TOL = 1e-10
STALLED = 5  # iterations in a row without progress above VALUE_TOL end a fit, not converged


@dataclass(frozen=True)
class NewtonResult:
    x: np.ndarray
    value: float
    gradient: np.ndarray
    hessian: np.ndarray
    converged: bool
    iterations: int
    at_bound: np.ndarray  # per parameter: on the box at the end
    evaluations: int = 0  # of the objective, with or without derivatives


def minimize_newton(
    objective: Objective,
    x0: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    *,
    max_iterations: int = 100,
) -> NewtonResult:
    x = np.clip(np.asarray(x0, dtype=float), lower, upper)
    value, grad, hess = objective(x, True)
    evaluations = 1
    converged = False
    iterations = 0
    previous_local = np.inf
    stalled = 0
    while iterations < max_iterations:
        step, positive_definite = _newton_step(x, grad, hess, lower, upper)
        size = float(np.max(np.abs(step)))
        if size < STEP_TOL:
            converged = True
            break
        if positive_definite and size < LOCAL_STEP:
            if size > 0.5 * previous_local:
                # Steps no longer shrink (they would, fast, in this region): what is left is
                # rounding noise, or a direction the likelihood hardly determines.
                converged = size < 1e-6
                break
            previous_local = size
            x = np.clip(x + step, lower, upper)
            if size < FINAL_STEP:
                # Newton's error after this step is of the order of its square: done, without
                # paying for another evaluation (value and derivatives stay those of the last
                # point evaluated, a rounding error away).
                converged = True
                iterations += 1
                break
            value, grad, hess = objective(x, True)
            evaluations += 1
        else:
            step, end, to_box = _within_box(x, step * min(1.0, MAX_STEP / size), lower, upper)
            accepted, count = _line_search(
                objective, x, value, grad, step, end, lower, upper, to_box
            )
            evaluations += count
            if accepted is None:
                # No decrease along a descent direction: at the optimum to rounding if the
                # step was already small, stuck otherwise.
                converged = size < 1e-6
                break
            previous = value
            x, value, grad, hess = accepted
            iterations += 1
            if previous - value > _tolerance(value):
                stalled = 0
                continue
            stalled += 1
            if to_box or stalled >= STALLED:
                # No longer improving, and running to the box or for a while: degenerate
                # (module docstring).
                break
            continue
        iterations += 1
    at_bound = _on_box(x, lower, upper)
    return NewtonResult(x, value, grad, hess, converged, iterations, at_bound, evaluations)


def _on_box(x: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    return (x <= lower) | (x >= upper)


def _tolerance(value: float) -> float:
    return VALUE_TOL * abs(value)


def _within_box(
    x: np.ndarray, step: np.ndarray, lower: np.ndarray, upper: np.ndarray
) -> tuple[np.ndarray, np.ndarray, bool]:
    """The step shortened, as a whole, to end on the box if it would leave it (clipping each
    parameter instead would bend it off a ridge of correlated parameters, such as r and α
    growing together, into a steep wall), the point it ends at (on the bound exactly), and
    whether the fit is running to the box: on it, or stopped there by this step (the step
    takes no parameter on the box out of it: `_newton_step`)."""
    end = x + step
    outside = (end > upper) | (end < lower)
    if not outside.any():
        return step, end, bool(_on_box(x, lower, upper).any())
    bound = np.where(end > upper, upper, lower)
    room = np.ones_like(x)
    room[outside] = (bound[outside] - x[outside]) / step[outside]
    shortest = float(room.min())
    step = step * shortest
    end = np.clip(x + step, lower, upper)
    limiting = outside & (room == shortest)
    end[limiting] = bound[limiting]
    return step, end, True


def _newton_step(
    x: np.ndarray, grad: np.ndarray, hess: np.ndarray, lower: np.ndarray, upper: np.ndarray
) -> tuple[np.ndarray, bool]:
    """The (shifted) Newton step in the parameters not held on the box, and whether the
    Hessian needed no shift. A parameter on the box is held there when the gradient, or the
    Newton step in the others, would take it out; the step is then recomputed without it, so
    that correlated parameters move as the likelihood wants given the held ones (merely not
    moving it would bend the step off a ridge)."""
    on_lower, on_upper = x <= lower, x >= upper
    held = (on_lower & (grad > 0)) | (on_upper & (grad < 0))
    while True:
        step = np.zeros_like(x)
        if held.all():
            return step, True
        free = ~held
        solved, positive_definite = _solve_shifted(hess[np.ix_(free, free)], grad[free])
        step[free] = -solved
        outwards = (on_lower & (step < 0)) | (on_upper & (step > 0))
        if not outwards.any():
            return step, positive_definite
        held |= outwards


def _line_search(
    objective: Objective,
    x: np.ndarray,
    value: float,
    grad: np.ndarray,
    step: np.ndarray,
    end: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    to_box: bool,
) -> tuple[tuple[np.ndarray, float, np.ndarray, np.ndarray] | None, int]:
    """The first of `end` = x + step, x + step/2, … (clipped to the box) that decreases the
    objective enough (Armijo), with the objective's value and derivatives there; or None, also
    once the decrease the slope promises falls below VALUE_TOL. And the number of evaluations.
    The full step is evaluated with derivatives at once: it is the one usually taken."""
    # Halving stops once the decrease the slope promises is too small to be seen: in rounding
    # noise, Armijo's test passes or fails by chance. The full step is always tried, unless
    # running to the box: close to a flat but well-determined optimum inside, Newton's steps
    # can change the objective that little, and are right.
    visible = _tolerance(value)
    slope = abs(float(grad @ step))
    t = 1.0
    count = 0
    while t > 1e-12 and not ((to_box or t < 1.0) and t * slope < visible):
        candidate = end if t == 1.0 else np.clip(x + t * step, lower, upper)
        evaluated = objective(candidate, t == 1.0)
        count += 1
        new_value = evaluated[0] if t == 1.0 else evaluated
        if np.isfinite(new_value) and new_value <= value + 1e-4 * grad @ (candidate - x):
            if t == 1.0:
                return (candidate, *evaluated), count
            return (candidate, *objective(candidate, True)), count + 1
        t *= 0.5
    return None, count


def _solve_shifted(hess: np.ndarray, grad: np.ndarray) -> tuple[np.ndarray, bool]:
    """Solve (H + λI) s = g with the smallest λ ≥ 0 (0 or growing tenfold) that makes the
    matrix positive definite: the Newton step when H is, a shortened gradient step otherwise."""
    scale = max(float(np.max(np.abs(np.diag(hess)))), 1e-12)
    if not (np.isfinite(scale) and np.all(np.isfinite(hess))):
        return grad / np.max(np.abs(grad)), False
    eye = np.eye(hess.shape[0])
    shift = 0.0
    while shift < 1e12 * scale:
        try:
            chol = np.linalg.cholesky(hess + shift * eye)
        except np.linalg.LinAlgError:
            shift = scale * 1e-8 if shift == 0.0 else shift * 10.0
            continue
        return np.linalg.solve(chol.T, np.linalg.solve(chol, grad)), shift == 0.0
    return grad / scale, False


def standard_errors(
    log_params: np.ndarray, hess_log: np.ndarray, total_weight: float
) -> np.ndarray:
    """Standard errors of the parameters θ = exp(φ) from the Hessian of minus the mean
    log-likelihood in φ, by the delta method: Var(θ) = diag(θ) (n·H_φ)⁻¹ diag(θ). NaN where
    the observed information is singular or not positive definite."""
    theta = np.exp(log_params)
    try:
        cov_log = np.linalg.inv(hess_log * total_weight)
    except np.linalg.LinAlgError:
        return np.full(theta.size, np.nan)
    variance = np.diag(cov_log) * theta**2
    return np.sqrt(np.where(variance > 0, variance, np.nan))


def distinct_counts(x: np.ndarray, w: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of x and their summed weights (1 each if None); bincount for whole
    numbers."""
    if x.size == 0:
        return np.zeros(0), np.zeros(0)
    top = float(x.max())
    if top <= 10 * x.size + 1000 and np.all(x == np.round(x)):
        counts = np.bincount(x.astype(np.int64), weights=w, minlength=int(top) + 1)
        present = np.flatnonzero(counts)
        return present.astype(float), counts[present].astype(float)
    values, inverse = np.unique(x, return_inverse=True)
    return values, np.bincount(inverse, weights=w).astype(float)


# Rows are processed in chunks small enough for their temporaries to stay in cache and be
# reused by the allocator; whole-array temporaries of a million rows cost more in page faults
# and memory traffic than in arithmetic.
CHUNK = 32_768


def dot(u: np.ndarray, v: np.ndarray) -> float:
    # einsum, not BLAS: OpenBLAS threads stall for milliseconds on a loaded machine.
    return float(np.einsum("i,i->", u, v))


def weighted(w: np.ndarray | None, v: np.ndarray) -> np.ndarray:
    return v if w is None else w * v


def weighted_sum(w: np.ndarray | None, v: np.ndarray) -> float:
    return float(v.sum()) if w is None else dot(w, v)

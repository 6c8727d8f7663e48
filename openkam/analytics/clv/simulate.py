"""Accounts drawn from the BG/NBD and Gamma-Gamma generative processes, for tests and benchmarks.

Vectorised, no loop over accounts: while alive an account buys at Poisson rate λ, so the number
of purchases it would make in (0, T] is N ~ Poisson(λT) and, given N, their times are N uniform
draws on (0, T]. It drops out after the J-th repeat purchase, J ~ Geometric(p), so it makes
x = min(N, J) of them and the last, t_x, is the x-th of the N ordered uniforms:
t_x = T · Beta(x, N − x + 1). It is alive at T iff J > N, and then (the process being
memoryless) buys min(Poisson(λL), J − N) times in a holdout period (T, T + L].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SimulatedAccounts:
    frequency: np.ndarray  # repeat purchases in (0, T]
    recency: np.ndarray  # time of the last one (0 without one)
    T: np.ndarray
    holdout_purchases: np.ndarray  # purchases in (T, T + holdout]
    alive: np.ndarray  # still alive at T (the truth P(alive) estimates)


def simulate_bgnbd(
    n: int,
    *,
    r: float,
    alpha: float,
    a: float,
    b: float,
    T: float | np.ndarray,
    holdout: float = 0.0,
    rng: np.random.Generator,
) -> SimulatedAccounts:
    """n accounts from BG/NBD(r, α, a, b) observed for T (a number or one per account)."""
    age = np.broadcast_to(np.asarray(T, dtype=float), (n,)).copy()
    rate = rng.gamma(r, 1.0 / alpha, n)
    # A dropout probability that rounds to 0 would make J infinite.
    p = np.clip(rng.beta(a, b, n), 1e-12, 1.0)
    stop_after = rng.geometric(p)
    would_buy = rng.poisson(rate * age)
    x = np.minimum(would_buy, stop_after)
    recency = np.zeros(n)
    repeat = x > 0
    recency[repeat] = age[repeat] * rng.beta(x[repeat], would_buy[repeat] - x[repeat] + 1)
    alive = stop_after > would_buy
    holdout_purchases = np.zeros(n, dtype=np.int64)
    if holdout > 0:
        more = rng.poisson(rate[alive] * holdout)
        holdout_purchases[alive] = np.minimum(more, stop_after[alive] - would_buy[alive])
    return SimulatedAccounts(x.astype(float), recency, age, holdout_purchases, alive)


def simulate_order_values(
    frequency: np.ndarray, *, p: float, q: float, v: float, rng: np.random.Generator
) -> np.ndarray:
    """The mean value of each account's x orders under Gamma-Gamma(p, q, v): ν ~ Gamma(q, v)
    per account, orders z ~ Gamma(p, ν), so their mean is Gamma(p·x, x·ν); 0 where x = 0."""
    x = np.asarray(frequency, dtype=float)
    nu = rng.gamma(q, 1.0 / v, x.size)
    repeat = x > 0
    mean = np.zeros(x.size)
    mean[repeat] = rng.gamma(p * x[repeat], 1.0 / (x[repeat] * nu[repeat]))
    return mean

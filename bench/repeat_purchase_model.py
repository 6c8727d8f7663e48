"""Fitting the repeat-purchase model on 1,000,000 accounts: OpenKAM against lifetimes.

Run with `.venv/bin/python bench/repeat_purchase_model.py [--accounts N] [--runs R]`.
Accounts are drawn from the BG/NBD (r = 0.25, α = 4 weeks, a = 0.8, b = 2.5) with first purchases
spread over three years, in whole days as the engine sees them (T and recency are day counts
/ 7, in weeks), and mean order values from the Gamma-Gamma (p = 6, q = 4, v = 15). Both
implementations fit the same accounts, best of R runs each; lifetimes (numpy<2, pandas<2) runs
in bench/.venv-lifetimes, made on first use. Target: OpenKAM at least 10× faster, with the
same parameters to 4 significant digits.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE / "lifetimes"))

from lifetimes_env import python as lifetimes_python  # noqa: E402

from openkam.analytics.clv import fit_bgnbd, fit_gamma_gamma  # noqa: E402
from openkam.analytics.clv.simulate import simulate_bgnbd, simulate_order_values  # noqa: E402

TRUE_BGNBD = {"r": 0.25, "alpha": 4.0, "a": 0.8, "b": 2.5}
TRUE_GAMMA_GAMMA = {"p": 6.0, "q": 4.0, "v": 15.0}


def accounts(n: int, seed: int = 2005) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    age_days = rng.integers(1, 3 * 365 + 1, n)
    drawn = simulate_bgnbd(n, **TRUE_BGNBD, T=age_days / 7, rng=rng)
    recency_days = np.floor(drawn.recency * 7)
    monetary = simulate_order_values(drawn.frequency, **TRUE_GAMMA_GAMMA, rng=rng)
    return {
        "frequency": drawn.frequency,
        "recency": recency_days / 7,
        "T": age_days / 7,
        "monetary_value": np.round(monetary, 2),
    }


def best_of(runs: int, fit):
    best, fitted = math.inf, None
    for _ in range(runs):
        started = time.perf_counter()
        fitted = fit()
        best = min(best, time.perf_counter() - started)
    return best, fitted


def same_to_4_digits(ours: float, theirs: float) -> bool:
    """Within half a unit of the 4th significant digit of lifetimes' value."""
    if theirs == 0:
        return ours == 0
    unit = 10.0 ** (math.floor(math.log10(abs(theirs))) - 3)
    return abs(ours - theirs) <= 0.5 * unit


def compare(title: str, ours_seconds: float, ours: dict, theirs_seconds: float, theirs: dict):
    agree = all(same_to_4_digits(ours[name], theirs[name]) for name in ours)
    gap = max(abs(ours[name] / theirs[name] - 1) for name in ours)
    print(f"{title}:")
    print(f"  OpenKAM   {ours_seconds:8.3f} s   " + _params(ours))
    print(f"  lifetimes {theirs_seconds:8.3f} s   " + _params(theirs))
    print(
        f"  → {theirs_seconds / ours_seconds:.1f}× faster; parameters "
        + ("agree to 4 significant digits" if agree else "DIFFER at 4 significant digits")
        + f" (largest relative difference {gap:.1e})"
    )
    return agree


def _params(values: dict) -> str:
    return "  ".join(f"{name}={value:.6g}" for name, value in values.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--accounts", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    data = accounts(args.accounts)
    repeat = int(np.count_nonzero(data["frequency"] > 0))
    print(f"{args.accounts:,} accounts ({repeat:,} with repeat purchases), best of {args.runs}")
    bgnbd_seconds, bgnbd = best_of(
        args.runs, lambda: fit_bgnbd(data["frequency"], data["recency"], data["T"])
    )
    gg_seconds, gamma_gamma = best_of(
        args.runs, lambda: fit_gamma_gamma(data["frequency"], data["monetary_value"])
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "accounts.npz"
        np.savez(path, **data)
        out = subprocess.run(
            [str(lifetimes_python()), str(HERE / "lifetimes" / "fit_lifetimes.py"), str(path),
             str(args.runs)],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    theirs = json.loads(out.strip().splitlines()[-1])

    agree = compare(
        f"BG/NBD (true {_params(TRUE_BGNBD)})",
        bgnbd_seconds,
        bgnbd.params,
        theirs["bgnbd_seconds"],
        theirs["bgnbd"],
    )
    agree &= compare(
        f"Gamma-Gamma (true {_params(TRUE_GAMMA_GAMMA)})",
        gg_seconds,
        gamma_gamma.params,
        theirs["gamma_gamma_seconds"],
        theirs["gamma_gamma"],
    )
    speedup = theirs["bgnbd_seconds"] / bgnbd_seconds
    ok = agree and speedup >= 10
    print("Target (BG/NBD ≥ 10× faster, same parameters):", "met" if ok else "NOT met")


if __name__ == "__main__":
    main()

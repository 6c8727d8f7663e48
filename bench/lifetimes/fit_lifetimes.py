"""lifetimes' BetaGeoFitter and GammaGammaFitter on the accounts in an .npz file, timed.

Runs inside bench/.venv-lifetimes (see lifetimes_env.py), called by
bench/repeat_purchase_model.py:

    python fit_lifetimes.py ACCOUNTS.npz RUNS

The file holds arrays frequency, recency, T (and monetary_value for Gamma-Gamma). Prints one
JSON line: the best of RUNS fit times in seconds and the fitted parameters.
"""

from __future__ import annotations

import json
import sys
import time
import warnings

import numpy as np
from lifetimes import BetaGeoFitter, GammaGammaFitter


def best_of(runs: int, fit) -> tuple[float, object]:
    best, fitted = np.inf, None
    for _ in range(runs):
        started = time.perf_counter()
        fitted = fit()
        best = min(best, time.perf_counter() - started)
    return best, fitted


def main() -> None:
    path, runs = sys.argv[1], int(sys.argv[2])
    data = np.load(path)
    frequency, recency, age = data["frequency"], data["recency"], data["T"]
    warnings.simplefilter("ignore")
    bgnbd_seconds, bgf = best_of(runs, lambda: BetaGeoFitter().fit(frequency, recency, age))
    result = {
        "bgnbd_seconds": bgnbd_seconds,
        "bgnbd": {name: float(bgf.params_[name]) for name in ("r", "alpha", "a", "b")},
    }
    if "monetary_value" in data:
        used = (frequency > 0) & (data["monetary_value"] > 0)
        x, m = frequency[used], data["monetary_value"][used]
        gg_seconds, ggf = best_of(runs, lambda: GammaGammaFitter().fit(x, m))
        result["gamma_gamma_seconds"] = gg_seconds
        result["gamma_gamma"] = {name: float(ggf.params_[name]) for name in ("p", "q", "v")}
    print(json.dumps(result))


if __name__ == "__main__":
    main()

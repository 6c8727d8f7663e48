"""Is a fitted model worth showing? Degenerate and poorly calibrated fits, said in words.

On wholesale data the BG/NBD can collapse: the likelihood is maximised by making dropout
impossible (a → 0 or b → ∞), and every account is then alive with probability ≈ 1 however long
it has been silent. Such a fit is not an error — it may even describe the data — but its
P(alive) cannot warn anyone, and the engine then lets the rhythm-based lapse rule carry the
alerts. `check_bgnbd` says when; `compare_holdout` measures a calibration-period fit against the
purchases actually made afterwards. `check_gamma_gamma` does the same for the spend model.

Thresholds (each a keyword argument):
- dropout: the mean dropout probability per repeat purchase a/(a+b) below 0.001, i.e. a typical
  account would make ~1,000 purchases before leaving;
- overdue accounts: among accounts with at least 2 repeat purchases that have been silent for
  more than 4 times their own mean interval t_x/x (the rhythm rule's "overdue", strongly), a
  mean P(alive) above 0.9 (when there are at least 30 such accounts) — the model does not see
  silence at all;
- holdout total: predicted and actual purchases differing by more than 20 % of the actual and
  by more than 3 Poisson standard deviations √predicted (so that small portfolios are not
  failed on noise);
- holdout by frequency: a weighted absolute percentage error (Σ|predicted − actual| over
  Σ actual, per calibration-frequency bucket 0, 1, …, 6, 7+, the buckets of Fader, Hardie & Lee's
  conditional-expectation plot) above 30 %;
- a holdout with fewer than 100 purchases, predicted and actual, is too small to judge, and is
  only noted;
- Gamma-Gamma: q ≤ 1 (the population mean order value p·v/(q−1) is infinite), and a Pearson
  correlation between frequency and mean order value above 0.3 in absolute value (the model
  assumes them independent).
Non-convergence and parameters on the optimiser's box fail either model.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from openkam.analytics.clv.bgnbd import BgNbdFit, expected_purchases, probability_alive
from openkam.analytics.clv.gamma_gamma import GammaGammaFit


@dataclass(frozen=True)
class HoldoutComparison:
    """Predicted (eq. 10, from the calibration history) against actual purchases in a holdout
    period of the given length, in total and by calibration frequency (the last bucket holds
    that frequency and above). Per-bucket figures are totals, not means."""

    length: float
    predicted_total: float
    actual_total: float
    bucket_frequency: tuple[int, ...]
    bucket_accounts: tuple[int, ...]
    bucket_predicted: tuple[float, ...]
    bucket_actual: tuple[float, ...]

    @property
    def total_error(self) -> float:
        """(predicted − actual) / actual; infinite when nothing was bought."""
        if self.actual_total == 0:
            return 0.0 if self.predicted_total == 0 else np.inf
        return (self.predicted_total - self.actual_total) / self.actual_total

    @property
    def bucket_error(self) -> float:
        """Σ|predicted − actual| / Σ actual over the frequency buckets."""
        gap = float(np.abs(np.subtract(self.bucket_predicted, self.bucket_actual)).sum())
        if self.actual_total == 0:
            return 0.0 if gap == 0 else np.inf
        return gap / self.actual_total


@dataclass(frozen=True)
class ModelCheck:
    """`ok` unless a check failed; `reasons` says why in a sentence each (for the results),
    `codes` the same as stable identifiers, `notes` what could not be checked; `measures` holds
    the figures the checks looked at."""

    ok: bool
    reasons: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    measures: dict[str, float] = field(default_factory=dict)
    holdout: HoldoutComparison | None = None


def compare_holdout(
    fit: BgNbdFit,
    frequency: npt.ArrayLike,
    recency: npt.ArrayLike,
    T: npt.ArrayLike,
    holdout_purchases: npt.ArrayLike,
    holdout_length: float,
    *,
    last_bucket: int = 7,
) -> HoldoutComparison:
    """Compare what a fit on the calibration period predicts for the next `holdout_length`
    time units with the purchases each account actually made then."""
    x = np.asarray(frequency, dtype=float).ravel()
    predicted = expected_purchases(fit, holdout_length, x, recency, T)
    actual = np.asarray(holdout_purchases, dtype=float).ravel()
    bucket = np.minimum(x, last_bucket).astype(np.int64)
    size = last_bucket + 1
    return HoldoutComparison(
        length=float(holdout_length),
        predicted_total=float(predicted.sum()),
        actual_total=float(actual.sum()),
        bucket_frequency=tuple(range(size)),
        bucket_accounts=tuple(int(v) for v in np.bincount(bucket, minlength=size)),
        bucket_predicted=tuple(float(v) for v in np.bincount(bucket, predicted, minlength=size)),
        bucket_actual=tuple(float(v) for v in np.bincount(bucket, actual, minlength=size)),
    )


def check_bgnbd(
    fit: BgNbdFit,
    *,
    frequency: npt.ArrayLike | None = None,
    recency: npt.ArrayLike | None = None,
    T: npt.ArrayLike | None = None,
    holdout: HoldoutComparison | None = None,
    min_dropout: float = 1e-3,
    overdue_multiple: float = 4.0,
    max_overdue_alive: float = 0.9,
    min_overdue_accounts: int = 30,
    max_total_error: float = 0.2,
    max_bucket_error: float = 0.3,
    min_holdout_purchases: float = 100,
) -> ModelCheck:
    """Flag a degenerate or poorly calibrated BG/NBD fit (see the module docstring).

    The history (frequency, recency, T: the data the model was fitted on) enables the
    overdue-accounts check; a `compare_holdout` result enables the calibration checks.
    """
    failures = _Failures()
    _check_optimiser(fit.converged, fit.at_bound, failures)
    dropout = fit.a / (fit.a + fit.b)
    failures.measures["expected_dropout"] = dropout
    if dropout < min_dropout:
        failures.add(
            "no_dropout",
            f"The model sees almost no dropout (mean dropout probability per purchase "
            f"a/(a+b) = {dropout:.2g} < {min_dropout:g}): every account looks alive.",
        )

    if frequency is not None and recency is not None and T is not None:
        _check_overdue(
            fit, frequency, recency, T, overdue_multiple, max_overdue_alive,
            min_overdue_accounts, failures,
        )  # fmt: skip
    else:
        failures.notes.append("No history given: P(alive) of overdue accounts not checked.")

    if holdout is None:
        failures.notes.append("No holdout period given: calibration not checked.")
    elif max(holdout.actual_total, holdout.predicted_total) < min_holdout_purchases:
        failures.notes.append(
            f"Only {holdout.actual_total:g} purchases in the holdout period and "
            f"{holdout.predicted_total:.0f} predicted (fewer than {min_holdout_purchases:g}): "
            "too few to judge the calibration."
        )
    else:
        _check_holdout(holdout, max_total_error, max_bucket_error, failures)
    return failures.result(holdout)


def check_gamma_gamma(
    fit: GammaGammaFit,
    *,
    frequency: npt.ArrayLike | None = None,
    monetary_value: npt.ArrayLike | None = None,
    max_correlation: float = 0.3,
) -> ModelCheck:
    """Flag a Gamma-Gamma fit without a finite mean order value, or data that break its
    assumption that spend does not depend on purchase frequency."""
    failures = _Failures()
    _check_optimiser(fit.converged, fit.at_bound, failures)
    if fit.q <= 1:
        failures.add(
            "infinite_mean_spend",
            f"q = {fit.q:.3g} ≤ 1: the model's mean order value is infinite, so accounts without "
            "a repeat purchase get no finite expected order value.",
        )
    if frequency is not None and monetary_value is not None:
        x = np.asarray(frequency, dtype=float).ravel()
        m = np.asarray(monetary_value, dtype=float).ravel()
        used = (x > 0) & np.isfinite(m) & (m > 0)
        if np.count_nonzero(used) >= 3 and np.ptp(x[used]) > 0 and np.ptp(m[used]) > 0:
            correlation = float(np.corrcoef(x[used], m[used])[0, 1])
            failures.measures["spend_frequency_correlation"] = correlation
            if abs(correlation) > max_correlation:
                failures.add(
                    "spend_depends_on_frequency",
                    f"Mean order value and purchase frequency are correlated "
                    f"(r = {correlation:.2f}), which the Gamma-Gamma model assumes they are not.",
                )
    return failures.result(None)


class _Failures:
    def __init__(self) -> None:
        self.codes: list[str] = []
        self.reasons: list[str] = []
        self.notes: list[str] = []
        self.measures: dict[str, float] = {}

    def add(self, code: str, reason: str) -> None:
        self.codes.append(code)
        self.reasons.append(reason)

    def result(self, holdout: HoldoutComparison | None) -> ModelCheck:
        return ModelCheck(
            ok=not self.codes,
            reasons=self.reasons,
            codes=self.codes,
            notes=self.notes,
            measures=self.measures,
            holdout=holdout,
        )


def _check_optimiser(converged: bool, at_bound: tuple[str, ...], failures: _Failures) -> None:
    if not converged:
        failures.add("not_converged", "The likelihood maximisation did not converge.")
    if at_bound:
        names = ", ".join(at_bound)
        failures.add(
            "at_bound",
            f"Parameter {names} ended on the optimiser's bound: the likelihood has no maximum "
            "inside, the model does not fit these data.",
        )


def _check_overdue(
    fit: BgNbdFit,
    frequency: npt.ArrayLike,
    recency: npt.ArrayLike,
    T: npt.ArrayLike,
    multiple: float,
    max_alive: float,
    min_accounts: int,
    failures: _Failures,
) -> None:
    x = np.asarray(frequency, dtype=float).ravel()
    t_x = np.asarray(recency, dtype=float).ravel()
    age = np.asarray(T, dtype=float).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        overdue = (x >= 2) & (age - t_x > multiple * t_x / x)
    count = int(np.count_nonzero(overdue))
    failures.measures["overdue_accounts"] = count
    if count < min_accounts:
        failures.notes.append(
            f"Only {count} strongly overdue accounts: P(alive) of overdue accounts not checked."
        )
        return
    alive = float(probability_alive(fit, x[overdue], t_x[overdue], age[overdue]).mean())
    failures.measures["overdue_alive"] = alive
    if alive > max_alive:
        failures.add(
            "overdue_alive",
            f"Accounts silent for more than {multiple:g} times their own purchase interval "
            f"are still alive with probability {alive:.2f} on average: the model does not "
            "react to silence.",
        )


def _check_holdout(
    holdout: HoldoutComparison, max_total: float, max_bucket: float, failures: _Failures
) -> None:
    predicted, actual = holdout.predicted_total, holdout.actual_total
    total_error, bucket_error = holdout.total_error, holdout.bucket_error
    failures.measures["holdout_total_error"] = total_error
    failures.measures["holdout_bucket_error"] = bucket_error
    if abs(total_error) > max_total and abs(predicted - actual) > 3 * np.sqrt(max(predicted, 1)):
        failures.add(
            "holdout_total",
            f"In the holdout period the model predicted {predicted:,.0f} purchases and "
            f"{actual:,.0f} were made ({total_error:+.0%}).",
        )
    if bucket_error > max_bucket:
        failures.add(
            "holdout_by_frequency",
            f"By purchase frequency, holdout predictions are off by {bucket_error:.0%} of the "
            "actual purchases.",
        )

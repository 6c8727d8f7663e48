"""How well risk scores predicted what happened: pure functions, no database.

Scores are health 0–100 (higher is healthier), so the risk ranked here is `100 − score`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from scipy.stats import rankdata

# Calibration bands of the health score: [0, 20), [20, 40), … [80, 100].
BAND_EDGES = (0.0, 20.0, 40.0, 60.0, 80.0, 100.0)


def roc_auc(risks: Sequence[float], bad: Sequence[bool]) -> float | None:
    """The probability that an account that went bad had a higher risk than one that did not
    (ties count half): the Mann–Whitney U over the product of the two counts. 0.5 is a coin
    toss, 1 a perfect ranking. None when either group is empty."""
    risks = np.asarray(risks, dtype=float)
    bad = np.asarray(bad, dtype=bool)
    positives = int(bad.sum())
    negatives = len(bad) - positives
    if positives == 0 or negatives == 0:
        return None
    ranks = rankdata(risks)  # average ranks: ties share them
    u = ranks[bad].sum() - positives * (positives + 1) / 2
    return float(u / (positives * negatives))


@dataclass(frozen=True)
class Confusion:
    flagged: int  # accounts predicted bad (red)
    flagged_bad: int  # of which went bad (true positives)
    bad: int  # accounts that went bad
    total: int

    @property
    def precision(self) -> float | None:
        """Of the accounts flagged red, the share that went bad (None: none flagged)."""
        return self.flagged_bad / self.flagged if self.flagged else None

    @property
    def recall(self) -> float | None:
        """Of the accounts that went bad, the share that had been flagged red (None: none bad)."""
        return self.flagged_bad / self.bad if self.bad else None


def confusion(flagged: Sequence[bool], bad: Sequence[bool]) -> Confusion:
    flagged = np.asarray(flagged, dtype=bool)
    bad = np.asarray(bad, dtype=bool)
    return Confusion(
        flagged=int(flagged.sum()),
        flagged_bad=int((flagged & bad).sum()),
        bad=int(bad.sum()),
        total=len(bad),
    )


@dataclass(frozen=True)
class Band:
    low: float  # inclusive
    high: float  # exclusive, except the last band, which includes 100
    count: int
    bad: int

    @property
    def bad_share(self) -> float | None:
        return self.bad / self.count if self.count else None


def calibration(
    scores: Sequence[float], bad: Sequence[bool], edges: Sequence[float] = BAND_EDGES
) -> list[Band]:
    """Per band of the health score, the accounts in it and how many went bad: a score that
    means something shows fewer losses the higher the band."""
    scores = np.asarray(scores, dtype=float)
    bad = np.asarray(bad, dtype=bool)
    bands = []
    for index, (low, high) in enumerate(pairwise(edges)):
        last = index == len(edges) - 2
        inside = (scores >= low) & ((scores <= high) if last else (scores < high))
        bands.append(Band(low, high, int(inside.sum()), int((inside & bad).sum())))
    return bands

"""The backtest's measures against examples worked out by hand."""

import pytest

from openkam.health.evaluation import Band, calibration, confusion, roc_auc


def test_auc_counts_the_pairs_ranked_right():
    # bad: risks 0.35 and 0.8; good: 0.1 and 0.4. Pairs right: 0.35>0.1, 0.8>0.1, 0.8>0.4 → 3/4
    assert roc_auc([0.1, 0.4, 0.35, 0.8], [False, False, True, True]) == pytest.approx(0.75)


def test_auc_is_one_for_a_perfect_ranking_and_zero_for_a_reversed_one():
    assert roc_auc([1, 2, 3, 4], [False, False, True, True]) == 1.0
    assert roc_auc([4, 3, 2, 1], [False, False, True, True]) == 0.0


def test_auc_counts_ties_half():
    # pairs (bad 1, good 1) tie ½, (1, 2) 0, (2, 1) 1, (2, 2) tie ½ → 2/4
    assert roc_auc([1, 1, 2, 2], [False, True, False, True]) == pytest.approx(0.5)
    assert roc_auc([5, 5, 5], [True, False, False]) == pytest.approx(0.5)
    # bad 3 vs good 1, 3, 3: 1 + ½ + ½ → 2/3
    assert roc_auc([1, 3, 3, 3], [False, False, False, True]) == pytest.approx(2 / 3)


def test_auc_needs_both_groups():
    assert roc_auc([1, 2], [True, True]) is None
    assert roc_auc([1, 2], [False, False]) is None
    assert roc_auc([], []) is None


def test_precision_and_recall_of_red():
    # flagged 1, 2, 5; bad 1, 3, 5 → 2 of 3 flagged went bad, 2 of 3 bad were flagged
    result = confusion([True, True, False, False, True], [True, False, True, False, True])
    assert (result.flagged, result.flagged_bad, result.bad, result.total) == (3, 2, 3, 5)
    assert result.precision == pytest.approx(2 / 3)
    assert result.recall == pytest.approx(2 / 3)
    # one flagged, it went bad; two bad in all
    result = confusion([True, False, False], [True, True, False])
    assert (result.precision, result.recall) == (1.0, 0.5)


def test_precision_and_recall_without_flags_or_losses():
    assert confusion([False, False], [True, False]).precision is None
    assert confusion([True, False], [False, False]).recall is None


def test_calibration_bands_include_their_low_edge_and_the_last_one_100():
    bands = calibration([0, 19.99, 20, 55, 80, 100], [True, True, False, True, False, False])
    assert bands == [
        Band(0, 20, 2, 2),
        Band(20, 40, 1, 0),
        Band(40, 60, 1, 1),
        Band(60, 80, 0, 0),
        Band(80, 100, 2, 0),
    ]
    assert bands[0].bad_share == 1.0 and bands[1].bad_share == 0.0
    assert bands[3].bad_share is None
    assert [b.count for b in calibration([10, 90], [True, False], edges=(0, 50, 100))] == [1, 1]

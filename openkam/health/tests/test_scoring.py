import pytest

from openkam.health import scoring
from openkam.health.components import Reading

THRESHOLDS = scoring.Thresholds(green_from=70, amber_from=45)


def reading(score: float) -> Reading:
    return Reading(score, score, "Score %(s)s.", {"s": score})


def test_weights_are_renormalised_over_the_present_components():
    score, parts = scoring.combine(
        {"a": reading(1.0), "b": reading(0.5), "c": None}, {"a": 1, "b": 3, "c": 4}
    )
    # c is left out: a counts 1/4, b 3/4 → 25 + 37.5
    assert score == pytest.approx(62.5)
    assert parts["c"] == {"missing": True, "weight": 4.0}
    assert parts["a"]["share"] == pytest.approx(0.25)
    assert parts["b"]["contribution"] == pytest.approx(37.5)
    assert sum(p.get("contribution", 0) for p in parts.values()) == pytest.approx(score)
    assert scoring.missing(parts) == ["c"]


def test_a_weighted_component_without_reading_is_missing_not_zero():
    with_missing, parts = scoring.combine({"a": reading(0.8)}, {"a": 1, "b": 1})
    assert with_missing == pytest.approx(80)  # not 40: b is not counted as zero
    assert parts["b"]["missing"] is True


def test_a_reading_without_weight_counts_nothing():
    score, parts = scoring.combine({"a": reading(1.0), "x": reading(0.0)}, {"a": 2})
    assert score == pytest.approx(100)
    assert parts["x"]["weight"] == 0 and parts["x"]["contribution"] == 0


def test_no_data_at_all_gives_no_score():
    assert scoring.combine({"a": None}, {"a": 1})[0] is None
    assert scoring.combine({"a": reading(0.5)}, {"a": 0})[0] is None
    assert scoring.level(None, THRESHOLDS) is None


def test_scores_are_clamped():
    score, parts = scoring.combine({"a": reading(1.7)}, {"a": 1})
    assert score == 100 and parts["a"]["score"] == 1


@pytest.mark.parametrize(
    ("score", "level"),
    [(100, "green"), (70, "green"), (69.99, "amber"), (45, "amber"), (44.9, "red"), (0, "red")],
)
def test_levels(score, level):
    assert scoring.level(score, THRESHOLDS) == level


def test_rescoring_stored_components_with_other_weights():
    _, parts = scoring.combine({"a": reading(1.0), "b": reading(0.0), "c": None}, {"a": 1, "b": 1})
    score, level, again = scoring.rescore(parts, {"a": 1, "b": 3, "c": 1}, THRESHOLDS)
    assert score == pytest.approx(25) and level == "red"
    assert again["c"]["missing"] is True
    assert scoring.readings_from_components(parts)["a"] == Reading(
        1.0, 1.0, "Score %(s)s.", {"s": 1.0}
    )

"""Combining component readings into a score 0–100 and a level: pure, no database.

`health_recompute` stores what `combine` answers; the backtest rescores stored readings with
other weights through the same functions (`readings_from_components` → `combine` → `level`),
so the score a page shows and the one the backtest checks are computed the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .components import Reading

GREEN, AMBER, RED = "green", "amber", "red"


@dataclass(frozen=True)
class Thresholds:
    green_from: float  # score ≥ green_from: green
    amber_from: float  # score ≥ amber_from (and below green): amber; lower: red


def level(score: float | None, thresholds: Thresholds) -> str | None:
    """green / amber / red for a score 0–100; None without a score."""
    if score is None:
        return None
    if score >= thresholds.green_from:
        return GREEN
    if score >= thresholds.amber_from:
        return AMBER
    return RED


def combine(
    readings: Mapping[str, Reading | None], weights: Mapping[str, float]
) -> tuple[float | None, dict[str, dict[str, Any]]]:
    """The score 0–100 and, per component, what it contributed.

    Components without a reading (absent or None) are left out and the weights renormalised
    over the present ones: a missing component is never counted as zero. A component listed in
    `weights` only is reported missing; one read but not weighted counts with weight 0.
    Contributions are points of the score: they add up to it. The score is None when no
    component with a weight above zero has data.

    Each entry: {score, value, evidence, params, weight, share, contribution} or
    {missing: True, weight}.
    """
    keys = list(dict.fromkeys([*weights, *readings]))
    present = {key: readings[key] for key in keys if readings.get(key) is not None}
    total = sum(max(float(weights.get(key, 0.0)), 0.0) for key in present)
    parts: dict[str, dict[str, Any]] = {}
    score = 0.0
    for key in keys:
        weight = max(float(weights.get(key, 0.0)), 0.0)
        reading = present.get(key)
        if reading is None:
            parts[key] = {"missing": True, "weight": weight}
            continue
        share = weight / total if total > 0 else 0.0
        component_score = min(max(float(reading.score), 0.0), 1.0)
        contribution = 100.0 * share * component_score
        score += contribution
        parts[key] = {
            "score": round(component_score, 4),
            "value": reading.value,
            "evidence": reading.evidence,
            "params": dict(reading.params),
            "weight": weight,
            "share": round(share, 4),
            "contribution": round(contribution, 2),
        }
    if total <= 0:
        return None, parts
    return round(min(max(score, 0.0), 100.0), 2), parts


def missing(parts: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """The keys of the components that had no data."""
    return [key for key, part in parts.items() if part.get("missing")]


def reading_from_part(part: Mapping[str, Any]) -> Reading | None:
    """The reading a stored component entry was made from (None for a missing one)."""
    if part.get("missing") or "score" not in part:
        return None
    return Reading(
        score=float(part["score"]),
        value=part.get("value"),
        evidence=part.get("evidence", ""),
        params=dict(part.get("params") or {}),
    )


def readings_from_components(
    components: Mapping[str, Mapping[str, Any]],
) -> dict[str, Reading | None]:
    """A stored `HealthScore.components` back to readings, to rescore with other weights."""
    return {key: reading_from_part(part) for key, part in components.items()}


def rescore(
    components: Mapping[str, Mapping[str, Any]],
    weights: Mapping[str, float],
    thresholds: Thresholds,
) -> tuple[float | None, str | None, dict[str, dict[str, Any]]]:
    """Score, level and contributions of stored components under other weights/thresholds."""
    score, parts = combine(readings_from_components(components), weights)
    return score, level(score, thresholds), parts

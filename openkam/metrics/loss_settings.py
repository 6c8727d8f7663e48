"""The lost criterion and the shrinking state from the environment (read by the settings, so
nothing here may import models): every value is checked, and a wrong one stops the start with
the variable, what is wrong and what to write instead."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from openkam.analytics.config import LOST_CRITERIA, AnalyticsConfig

_DEFAULTS = AnalyticsConfig()
HELP = "README.md, Metrics: Lost and shrinking"


def from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """KAM_LOST_CRITERION, KAM_LOST_AFTER_DAYS, KAM_LOST_RHYTHM_MULTIPLE,
    KAM_LOST_RHYTHM_FLOOR_DAYS and KAM_SHRINKING_DECLINE, validated, by setting name."""
    criterion = environ.get("KAM_LOST_CRITERION", "").strip().lower() or _DEFAULTS.lost_criterion
    if criterion not in LOST_CRITERIA:
        raise ImproperlyConfigured(
            f"KAM_LOST_CRITERION={criterion!r} is not a lost criterion: use silence (no "
            "purchase for KAM_LOST_AFTER_DAYS) or rhythm (silent for KAM_LOST_RHYTHM_MULTIPLE "
            f"× the account's own median interval) ({HELP})."
        )
    return {
        "KAM_LOST_CRITERION": criterion,
        "KAM_LOST_AFTER_DAYS": _number(
            environ, "KAM_LOST_AFTER_DAYS", int, _DEFAULTS.lost_after_days, "a whole number of "
            "days of at least 1, e.g. 365", lambda value: value >= 1
        ),
        "KAM_LOST_RHYTHM_MULTIPLE": _number(
            environ, "KAM_LOST_RHYTHM_MULTIPLE", float, _DEFAULTS.lost_rhythm_multiple,
            "a number above 1, e.g. 3 (three times the account's median interval)",
            lambda value: value > 1,
        ),
        "KAM_LOST_RHYTHM_FLOOR_DAYS": _number(
            environ, "KAM_LOST_RHYTHM_FLOOR_DAYS", int, _DEFAULTS.lost_rhythm_floor_days,
            "a whole number of days of at least 1, e.g. 60", lambda value: value >= 1,
        ),
        "KAM_SHRINKING_DECLINE": _number(
            environ, "KAM_SHRINKING_DECLINE", float, _DEFAULTS.shrinking_decline,
            "a share between 0 and 1, e.g. 0.3 for revenue down more than 30 %",
            lambda value: 0 < value < 1,
        ),
    }  # fmt: skip


def _number(environ, name: str, kind: type, default, expected: str, valid) -> Any:
    text = environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = kind(text)
    except ValueError:
        value = None
    if value is None or value != value or not valid(value):  # value != value: NaN
        raise ImproperlyConfigured(f"{name}={text!r} is not valid: use {expected} ({HELP}).")
    return value


def analytics_config(settings, **overrides: Any) -> AnalyticsConfig:
    """The engine's configuration with the loss settings of `settings` (Django's), and any
    `overrides` (AnalyticsConfig fields, e.g. lost_criterion from `kam analyze`)."""
    values = {
        "lost_criterion": settings.KAM_LOST_CRITERION,
        "lost_after_days": settings.KAM_LOST_AFTER_DAYS,
        "lost_rhythm_multiple": settings.KAM_LOST_RHYTHM_MULTIPLE,
        "lost_rhythm_floor_days": settings.KAM_LOST_RHYTHM_FLOOR_DAYS,
        "shrinking_decline": settings.KAM_SHRINKING_DECLINE,
    }
    values.update({name: value for name, value in overrides.items() if value is not None})
    return AnalyticsConfig(**values)

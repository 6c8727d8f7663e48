"""Showing stored readings: evidence translated, with its numbers in the reader's format."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext

from openkam.core import formatting

# parameters that are fractions shown as percentages (signed: a change)
_PERCENT = {"alive"}
_SIGNED_PERCENT = {"growth"}


def _formatted(name: str, value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if name in _SIGNED_PERCENT:
        return formatting.percent(value, 1, signed=True)
    if name in _PERCENT:
        return formatting.percent(value, 0)
    if isinstance(value, float) and not value.is_integer():
        return formatting.number(value, 1)
    return formatting.number(value)


def evidence_text(part: Mapping[str, Any]) -> str:
    """The evidence of a stored component entry in the reader's language."""
    evidence = part.get("evidence") or ""
    if not evidence:
        return ""
    params = {name: _formatted(name, value) for name, value in (part.get("params") or {}).items()}
    try:
        return gettext(evidence) % params
    except (KeyError, TypeError, ValueError):  # a translation that lost a placeholder
        return evidence % params

"""Filters shared by every app's FilterSets."""

from __future__ import annotations

import django_filters

# Ids beyond a 64-bit integer, or below 1, are invalid input (400), not a database overflow.
MAX_ID = 2**63 - 1


def id_filter(field_name: str, label: str) -> django_filters.NumberFilter:
    """A filter on a row's id that refuses what no id can be."""
    return django_filters.NumberFilter(
        field_name=field_name, label=label, min_value=1, max_value=MAX_ID
    )

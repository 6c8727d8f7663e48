"""Signals of the health app."""

from django.dispatch import Signal

# Sent after the health scores of a snapshot are stored: `as_of` (date), `snapshot_id`.
health_recomputed = Signal()

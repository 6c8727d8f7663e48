"""Signals of the metrics app."""

from django.dispatch import Signal

# Sent when a snapshot has finished successfully and is stored: `snapshot` (a Snapshot, status
# done) and `results` (the engine's `Results`, for what the metrics app does not
# store). The health app recomputes its scores after it (in a background task).
snapshot_done = Signal()

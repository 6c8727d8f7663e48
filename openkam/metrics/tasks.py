"""Background work of the metrics app (django-tasks)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from . import services


@task()
def analyze(as_of: str | None = None) -> dict:
    """Recompute the metrics as of a date; without one — after every import and roll-back —
    as of today and as of every date a snapshot exists for, since the facts changed."""
    if as_of:
        snapshots = [services.snapshot_create(as_of=dt.date.fromisoformat(as_of))]
    else:
        snapshots = services.snapshots_refresh()
    return {"snapshots": [{"snapshot": s.pk, "as_of": s.as_of.isoformat()} for s in snapshots]}

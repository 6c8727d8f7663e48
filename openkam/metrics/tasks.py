"""Background work of the metrics app (django-tasks)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from . import services


@task()
def analyze(as_of: str | None = None) -> dict:
    """Recompute the metrics (as of today unless a date is given) — after every import."""
    snapshot = services.snapshot_create(as_of=dt.date.fromisoformat(as_of) if as_of else None)
    return {"snapshot": snapshot.pk, "as_of": snapshot.as_of.isoformat()}

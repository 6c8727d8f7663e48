"""Background work of the alerts app (django-tasks)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task


@task()
def recompute(snapshot_id: int | None = None, as_of: str | None = None) -> dict:
    """Raise the alerts of a snapshot's date (enqueued after the health scores are stored, or
    after a snapshot when the health app is not installed)."""
    from . import services

    result = services.alerts_recompute(
        dt.date.fromisoformat(as_of) if as_of else None, snapshot_id=snapshot_id
    )
    return {
        "snapshot": result.snapshot_id,
        "as_of": result.as_of.isoformat(),
        "raised": result.raised,
        "failed": result.failed,
        "seconds": result.seconds,
    }

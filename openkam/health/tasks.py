"""Background work of the health app (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from openkam.metrics.models import Snapshot, SnapshotStatus


@task()
def recompute(snapshot_id: int) -> dict:
    """Recompute the health of a finished snapshot (enqueued after every analysis). A snapshot
    replaced or deleted in the meantime is skipped."""
    from . import services

    snapshot = Snapshot.objects.filter(pk=snapshot_id, status=SnapshotStatus.DONE).first()
    if snapshot is None:
        return {"snapshot": snapshot_id, "skipped": True}
    result = services.health_recompute(snapshot)
    return {
        "snapshot": snapshot_id,
        "as_of": result.as_of.isoformat(),
        "accounts": result.accounts,
        "levels": result.levels,
        "seconds": result.seconds,
    }

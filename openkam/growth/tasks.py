"""Background work of the growth app (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from openkam.metrics.models import Snapshot, SnapshotStatus


@task()
def suggest(snapshot_id: int) -> dict:
    """Refresh the growth suggestions from a finished snapshot (enqueued after every
    analysis). A snapshot replaced in the meantime, or not the latest, is skipped."""
    from .sync import opportunities_sync

    snapshot = Snapshot.objects.filter(pk=snapshot_id, status=SnapshotStatus.DONE).first()
    if snapshot is None:
        return {"snapshot": snapshot_id, "skipped": True}
    return {"snapshot": snapshot_id, **opportunities_sync(snapshot)}

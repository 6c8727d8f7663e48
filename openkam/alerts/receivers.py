"""After the health scores of a date are stored, raise the alerts of that date (a background
task, once the transaction commits). Without the health app: after every finished snapshot."""

from __future__ import annotations

from django.apps import apps
from django.db import transaction


def enqueue_after_health(sender, as_of=None, snapshot_id=None, **kwargs) -> None:
    from .tasks import recompute

    transaction.on_commit(lambda: recompute.enqueue(snapshot_id))


def enqueue_after_snapshot(sender, snapshot, **kwargs) -> None:
    from .tasks import recompute

    snapshot_id = snapshot.pk
    transaction.on_commit(lambda: recompute.enqueue(snapshot_id))


def connect() -> None:
    if apps.is_installed("openkam.health"):
        from openkam.health.signals import health_recomputed

        health_recomputed.connect(enqueue_after_health, dispatch_uid="alerts_after_health")
    else:
        from openkam.metrics.signals import snapshot_done

        snapshot_done.connect(enqueue_after_snapshot, dispatch_uid="alerts_after_snapshot")

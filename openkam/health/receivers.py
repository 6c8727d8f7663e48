"""Signal receivers: every finished analysis enqueues the recompute of its snapshot's health."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import receiver

from openkam.metrics.signals import snapshot_done


@receiver(snapshot_done, dispatch_uid="health_recompute_after_snapshot")
def enqueue_recompute(sender, snapshot, **kwargs) -> None:
    from .tasks import recompute

    snapshot_id = snapshot.pk
    transaction.on_commit(lambda: recompute.enqueue(snapshot_id))

"""Signal receivers: every finished analysis recomputes the sell-out results too."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import receiver

from openkam.metrics.signals import snapshot_done


@receiver(snapshot_done, dispatch_uid="sellout_recompute_after_snapshot")
def enqueue_recompute(sender, snapshot, **kwargs) -> None:
    from .tasks import recompute

    transaction.on_commit(recompute.enqueue)

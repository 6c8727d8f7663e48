"""Signal receivers: every finished analysis (the facts may have changed) measures the
campaigns again, in the background."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import receiver

from openkam.metrics.signals import snapshot_done


@receiver(snapshot_done, dispatch_uid="winback_measure_after_snapshot")
def enqueue_measure(sender, snapshot, **kwargs) -> None:
    from .models import Campaign
    from .tasks import measure_campaigns

    if Campaign.objects.exists():
        transaction.on_commit(lambda: measure_campaigns.enqueue())

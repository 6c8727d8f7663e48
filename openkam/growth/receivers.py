"""Signal receivers: the end of every analysis stores its account × category table and
enqueues the refresh of the growth suggestions."""

from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import receiver

from openkam.metrics.signals import snapshot_done

log = logging.getLogger(__name__)


@receiver(snapshot_done, dispatch_uid="growth_store_and_suggest_after_snapshot")
def store_and_suggest(sender, snapshot, results=None, **kwargs) -> None:
    from .sync import category_spend_store
    from .tasks import suggest

    if getattr(results, "up_sell", None) is None:
        return  # not from an analysis run (a snapshot made by hand): nothing to store
    try:
        with transaction.atomic():
            category_spend_store(snapshot, results.up_sell)
    except Exception:  # the snapshot is stored; its growth figures are missing
        log.exception("storing the category spend of snapshot %s failed", snapshot.pk)
        return
    snapshot_id = snapshot.pk
    transaction.on_commit(lambda: suggest.enqueue(snapshot_id))

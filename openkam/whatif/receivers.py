"""Every finished analysis stores the what-if's cohort basis from its results (a few hundred
rows: cheap enough to write at once, so the page has it as soon as the snapshot is there)."""

from __future__ import annotations

import logging

from django.dispatch import receiver

from openkam.metrics.signals import snapshot_done

log = logging.getLogger(__name__)


@receiver(snapshot_done, dispatch_uid="whatif_store_basis_after_snapshot")
def store_basis(sender, snapshot, results=None, **kwargs) -> None:
    from .services import basis_store

    if results is None or results.what_if is None:
        return
    try:
        basis_store(snapshot, results.what_if)
    except Exception:  # the snapshot is stored: the what-if shows its empty state instead
        log.exception("storing the retention what-if basis of snapshot %s failed", snapshot.pk)

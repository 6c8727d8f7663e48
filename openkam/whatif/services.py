"""Writes of the what-if app: the cohort basis of a snapshot, from the engine's results."""

from __future__ import annotations

import pyarrow as pa
from django.db import transaction

from openkam.metrics.models import Snapshot

from .models import CohortAge, Group

FIELDS = (
    "age",
    "previously_active",
    "retained",
    "retained_revenue",
    "active_now",
    "revenue_now",
)


def basis_store(snapshot: Snapshot, basis: pa.Table) -> int:
    """Replace the snapshot's cohort basis by `basis` (the suite's `Results.what_if`: one row
    per group, key and cohort age); groups OpenKAM does not know are left out. Returns the
    number of rows stored."""
    known = set(Group.values)
    rows = [
        CohortAge(
            snapshot=snapshot,
            group=row["group"],
            key=row["key"] or "",
            **{name: row[name] for name in FIELDS},
        )
        for row in basis.to_pylist()
        if row["group"] in known
    ]
    with transaction.atomic():
        CohortAge.objects.filter(snapshot=snapshot).delete()
        CohortAge.objects.bulk_create(rows, batch_size=2000)
    return len(rows)

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pyarrow as pa
import pytest

from openkam.metrics.models import Snapshot, SnapshotStatus
from openkam.whatif.services import basis_store

# the hand-worked example of openkam/analytics/tests/test_whatif.py, as the suite returns it
EXAMPLE = [
    (0, 0, 0, "0", 1, "40"),
    (1, 6, 3, "450", 1, "150"),
    (2, 2, 1, "300", 1, "300"),
]


def basis_table(groups: dict[tuple[str, str], list[tuple]]) -> pa.Table:
    rows = [
        {
            "group": group,
            "key": key,
            "age": age,
            "previously_active": previous,
            "retained": retained,
            "retained_revenue": Decimal(kept),
            "active_now": now,
            "revenue_now": Decimal(revenue),
        }
        for (group, key), ages in groups.items()
        for age, previous, retained, kept, now, revenue in ages
    ]
    return pa.Table.from_pylist(rows)


@pytest.fixture
def snapshot_with_basis(users):
    """A finished snapshot whose basis is the example for the portfolio and for kam1, and a
    different one for kam2."""
    snapshot = Snapshot.objects.create(
        as_of=dt.date(2025, 12, 31), status=SnapshotStatus.DONE, reporting_currency="USD"
    )
    kam2 = [(0, 0, 0, "0", 4, "400"), (1, 4, 4, "400", 0, "0")]
    basis_store(
        snapshot,
        basis_table(
            {
                ("portfolio", ""): EXAMPLE,
                ("owner", str(users["kam1"].pk)): EXAMPLE,
                ("owner", str(users["kam2"].pk)): kam2,
                ("segment", ""): EXAMPLE,
            }
        ),
    )
    return snapshot

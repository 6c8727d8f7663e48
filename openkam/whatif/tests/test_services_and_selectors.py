from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from openkam.metrics.models import Snapshot, SnapshotStatus
from openkam.metrics.signals import snapshot_done
from openkam.whatif import selectors
from openkam.whatif.models import CohortAge
from openkam.whatif.selectors import Choice

from .conftest import EXAMPLE, basis_table

pytestmark = pytest.mark.django_db


def test_the_basis_is_stored_from_the_results_of_a_finished_snapshot(users):
    snapshot = Snapshot.objects.create(
        as_of=dt.date(2025, 12, 31), status=SnapshotStatus.DONE, reporting_currency="USD"
    )

    class Results:
        what_if = basis_table({("portfolio", ""): EXAMPLE, ("unknown", "x"): EXAMPLE})

    snapshot_done.send(sender=Snapshot, snapshot=snapshot, results=Results())
    rows = CohortAge.objects.filter(snapshot=snapshot).order_by("age")
    assert [(r.group, r.age, r.retained, r.revenue_now) for r in rows] == [
        ("portfolio", 0, 0, Decimal("40.00")),
        ("portfolio", 1, 3, Decimal("150.00")),
        ("portfolio", 2, 1, Decimal("300.00")),
    ]
    # sent again (a receiver that runs twice): replaced, not doubled
    snapshot_done.send(sender=Snapshot, snapshot=snapshot, results=Results())
    assert CohortAge.objects.filter(snapshot=snapshot).count() == 3
    # a signal without results (older senders) stores nothing and breaks nothing
    snapshot_done.send(sender=Snapshot, snapshot=snapshot)


def test_the_what_if_from_the_stored_basis_is_the_hand_worked_one(users, snapshot_with_basis):
    result = selectors.retention_what_if(
        user=users["director"], snapshot=snapshot_with_basis, choice=Choice(), points=5
    )
    assert [(h.years, h.baseline, h.raised) for h in result.result.horizons] == [
        (1, Decimal("375.00"), Decimal("412.50")),
        (3, Decimal("712.50"), Decimal("834.49")),
        (5, Decimal("796.88"), Decimal("962.14")),
    ]
    assert result.label == "Portfolio"


def test_a_kam_sees_only_their_own_accounts(users, snapshot_with_basis):
    kam1 = users["kam1"]
    assert selectors.default_choice(kam1) == Choice("owner", str(kam1.pk))
    assert selectors.default_choice(users["director"]) == Choice()
    for other in (Choice(), Choice("owner", str(users["kam2"].pk)), Choice("segment", "")):
        with pytest.raises(PermissionDenied):
            selectors.retention_what_if(
                user=kam1, snapshot=snapshot_with_basis, choice=other, points=5
            )
    own = selectors.retention_what_if(
        user=kam1, snapshot=snapshot_with_basis, choice=selectors.default_choice(kam1), points=5
    )
    assert own.result.horizons[0].baseline == Decimal("375.00")


def test_group_keys_name_the_owners(users, snapshot_with_basis):
    keys = selectors.group_keys(snapshot_with_basis, "owner")
    assert sorted(k for k, _ in keys) == sorted([str(users["kam1"].pk), str(users["kam2"].pk)])
    assert selectors.group_keys(snapshot_with_basis, "segment") == []  # only the empty key

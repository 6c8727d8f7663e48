import pytest

from openkam.accounts.models import Account, Segment
from openkam.core.changelog import model_snapshot, snapshot_diff


def test_diff_lists_only_changed_fields_with_labels():
    before = {
        "name": {"label": "name", "value": "A"},
        "industry": {"label": "industry", "value": "Retail"},
    }
    after = {
        "name": {"label": "name", "value": "B"},
        "industry": {"label": "industry", "value": "Retail"},
    }
    assert snapshot_diff(before, after) == {"name": {"label": "name", "old": "A", "new": "B"}}


def test_diff_from_nothing_records_every_filled_field():
    after = {
        "name": {"label": "name", "value": "A"},
        "website": {"label": "website", "value": None},
    }
    assert snapshot_diff({}, after) == {"name": {"label": "name", "old": None, "new": "A"}}


@pytest.mark.django_db
def test_snapshot_shows_what_a_person_reads():
    segment = Segment.objects.create(name="Modern trade")
    account = Account(name="Siam Mart", status="key", country="TH", segment=segment, employees=1200)
    snap = model_snapshot(account)
    assert snap["status"]["value"] == "Key account"
    assert snap["country"]["value"] == "Thailand"
    assert snap["segment"]["value"] == "Modern trade"
    assert snap["employees"]["value"] == 1200
    assert snap["country"]["label"] == "country of origin"
    assert "created_at" not in snap

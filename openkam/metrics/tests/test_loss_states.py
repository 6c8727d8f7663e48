"""The loss states reach the snapshot: per account lost since, shrinking and the revenue before
the loss; per series point shrinking and the revenue lost (also for the key accounts only);
the criterion comes from the settings or `kam analyze --lost-criterion`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from openkam.analytics.tests import facts
from openkam.metrics import services
from openkam.metrics.loss_settings import from_environment
from openkam.metrics.models import AccountMetrics, SeriesPoint, Snapshot

from .conftest import AS_OF, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def losses(world, settings):
    """As of 30 June 2026: `own` bought 1,000 on 1 Aug 2024 and 500 on 1 Aug 2025 (shrinking:
    500 against 1,000); `shared` bought 500 on 3 Mar 2025 and nothing since (lost on
    4 Mar 2026); the history starts on 1 July 2024, so both years are covered."""
    settings.HISTORY_START = dt.date(2024, 7, 1)
    publish(
        [
            facts.line(world["own"].pk, "2024-08-01", 1000),
            facts.line(world["own"].pk, "2025-08-01", 500),
            facts.line(world["shared"].pk, "2025-03-03", 500),
        ]
    )
    return world


def test_the_loss_states_arrive_in_the_snapshot(losses):
    snapshot = services.snapshot_create(as_of=AS_OF)
    own = AccountMetrics.objects.get(snapshot=snapshot, account=losses["own"])
    assert own.shrinking and not own.lost and own.lost_since is None
    assert own.revenue_before_loss == Decimal("500.00")  # its last 12 months
    shared = AccountMetrics.objects.get(snapshot=snapshot, account=losses["shared"])
    assert shared.lost and not shared.shrinking
    assert shared.lost_since == dt.date(2026, 3, 4)  # 3 Mar 2025 + 366 days
    assert shared.revenue_before_loss == Decimal("500.00")
    points = SeriesPoint.objects.filter(snapshot=snapshot, period="year", index=0)
    for group in ("portfolio", "key"):  # every account of the world is a key account
        point = points.get(group=group, key="")
        assert (point.lost, point.shrinking, point.revenue_lost) == (1, 1, Decimal("500.00"))
    assert snapshot.config["lost_criterion"] == "silence"
    assert snapshot.periods["year"]["headline"]["accounts_shrinking"] == 1


def test_the_settings_set_the_criterion(losses, settings):
    settings.KAM_LOST_AFTER_DAYS = 500  # `shared` has been silent for 484 days
    snapshot = services.snapshot_create(as_of=AS_OF)
    assert not AccountMetrics.objects.get(snapshot=snapshot, account=losses["shared"]).lost
    assert snapshot.config["lost_after_days"] == 500


def test_analyze_takes_the_criterion_for_one_run(losses):
    call_command("analyze", "--as-of", AS_OF.isoformat(), "--lost-criterion", "rhythm")
    snapshot = Snapshot.objects.get(as_of=AS_OF)
    assert snapshot.config["lost_criterion"] == "rhythm"
    # one purchase is no rhythm: `shared` falls back to the silence criterion
    assert AccountMetrics.objects.get(snapshot=snapshot, account=losses["shared"]).lost


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("KAM_LOST_CRITERION", "rythm", "use silence .* or rhythm"),
        ("KAM_LOST_AFTER_DAYS", "a year", "a whole number of days"),
        ("KAM_LOST_AFTER_DAYS", "0", "at least 1"),
        ("KAM_LOST_RHYTHM_MULTIPLE", "0.5", "a number above 1"),
        ("KAM_LOST_RHYTHM_FLOOR_DAYS", "-3", "at least 1"),
        ("KAM_SHRINKING_DECLINE", "30", "a share between 0 and 1"),
        ("KAM_SHRINKING_DECLINE", "nan", "a share between 0 and 1"),
    ],
)
def test_a_wrong_setting_names_the_variable_and_the_fix(variable, value, message):
    with pytest.raises(ImproperlyConfigured, match=f"{variable}='{value}' .*{message}"):
        from_environment({variable: value})


def test_settings_default_to_the_engine_defaults():
    assert from_environment({}) == {
        "KAM_LOST_CRITERION": "silence",
        "KAM_LOST_AFTER_DAYS": 365,
        "KAM_LOST_RHYTHM_MULTIPLE": 3.0,
        "KAM_LOST_RHYTHM_FLOOR_DAYS": 60,
        "KAM_SHRINKING_DECLINE": 0.3,
    }
    assert from_environment({"KAM_LOST_CRITERION": " Rhythm "})["KAM_LOST_CRITERION"] == "rhythm"

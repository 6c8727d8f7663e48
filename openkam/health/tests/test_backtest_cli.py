"""`kam health backtest` and `kam health recompute`."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from openkam.analytics.tests import facts
from openkam.health.models import HealthScore
from openkam.metrics.models import Snapshot
from openkam.metrics.tests.conftest import publish

from . import backtest_world


def run(*args: str) -> str:
    out = StringIO()
    call_command("health", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def history(db):
    return backtest_world.build()


def test_backtest_prints_the_measures_and_the_calibration(history):
    text = run("backtest", "--as-of", "2025-06-30")
    assert "Health backtest as of" in text
    assert "Accounts counted" in text and " 8 " in text
    assert "0.73" in text  # 11/15
    assert "Precision of red" in text and "Recall of red" in text
    assert "40–60" in text and "75%" in text  # 3 of the 4 accounts scored 40–60 went bad


def test_backtest_with_candidate_weights_as_json(history):
    body = json.loads(
        run("backtest", "--as-of", "2025-06-30", "--weights", "revenue_growth=0", "--json")
    )
    assert body["auc"] == 1.0 and body["rescored"] is True
    assert body["weights"]["revenue_growth"] == 0
    assert body["red"] == {"flagged": 3, "flagged_went_bad": 3, "precision": 1.0, "recall": 1.0}
    assert [band["accounts"] for band in body["calibration"]] == [
        1,
        2,
        0,
        2,
        3,
    ]  # 10; 20, 30; 60, 70; 80, 90, 95


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("backtest",), "needs --as-of"),
        (("backtest", "--as-of", "30/06/2025"), "use a date like"),
        (("backtest", "--as-of", "2026-01-01"), "on or before 2025-07-12"),
        (("backtest", "--as-of", "2025-06-30", "--weights", "bogus=1"), "not a health component"),
    ],
)
def test_backtest_refuses(history, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_backtest_computes_the_scores_of_a_date_without_them(world):
    lines = []
    for year in (2024, 2025, 2026):
        for month in range(1, 13):
            lines.append(facts.line(world["foreign"].pk, f"{year}-{month:02d}-10", 1000))
            if year == 2024 or month < 6:
                lines.append(facts.line(world["shared"].pk, f"{year}-{month:02d}-12", 800))
    publish(lines)
    text = run("backtest", "--as-of", "2025-06-30")
    assert "Analysing the sales history as of 2025-06-30" in text
    assert "Computing the health scores as of 2025-06-30" in text
    snapshot = Snapshot.objects.get(as_of="2025-06-30")
    assert HealthScore.objects.filter(snapshot=snapshot).count() == 2
    assert "Accounts counted" in text
    again = run("backtest", "--as-of", "2025-06-30")
    assert "Analysing" not in again and Snapshot.objects.filter(as_of="2025-06-30").count() == 1


def test_recompute_runs_the_health_recompute(history):
    text = run("recompute", "--as-of", "2025-06-30")
    assert "health as of 2025-06-30" in text
    with pytest.raises(CommandError, match="no finished metrics snapshot"):
        run("recompute", "--as-of", "2020-01-01")

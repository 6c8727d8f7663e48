import pytest

from openkam.demo.tests.test_demo_data import run_demo
from openkam.health.models import HealthScore
from openkam.metrics.models import Snapshot


@pytest.mark.django_db
def test_the_demo_shows_health_at_once():
    output = run_demo(orders=20_000)
    snapshot = Snapshot.objects.latest("as_of")  # today's (the backtest's is a year back)
    scores = HealthScore.objects.filter(snapshot=snapshot)
    assert scores.count() > 10
    assert scores.filter(rolled_up=True).exists()  # the demo's groups
    assert set(scores.values_list("level", flat=True)) >= {"green", "red"}
    assert "health" in output

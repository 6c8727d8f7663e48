import pytest

from openkam.alerts.models import Alert, AlertStatus
from openkam.demo.tests.test_demo_data import run_demo


@pytest.mark.django_db
def test_the_demo_has_alerts_of_every_kind_some_acted_on():
    output = run_demo(orders=20_000)
    rules = set(Alert.objects.values_list("rule", flat=True))
    expected = {
        "overdue",
        "revenue_down",
        "health_red",
        "coverage_gap",
        "key_person_left",
        "competitor_new",
        "tender_lost",
        "late_commitment",
    }
    assert rules >= expected, expected - rules
    statuses = set(Alert.objects.values_list("status", flat=True))
    assert statuses == set(AlertStatus.values)
    assert Alert.objects.filter(value_at_risk__isnull=False).exists()
    assert "alerts" in output

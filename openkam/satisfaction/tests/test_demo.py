"""The demo's survey answers: plausible, the same for the same seed, falling at accounts the
sales history will lose or shrink, with a few detractor decision makers."""

from __future__ import annotations

import datetime as dt
import statistics

import pytest

from openkam.demo.generator import generate_demo, load_demo
from openkam.demo.risk import accounts_at_risk
from openkam.satisfaction.models import SurveyResponse
from openkam.satisfaction.selectors import detractor_decision_makers

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 1)


def _picture() -> list:
    return sorted(
        SurveyResponse.objects.values_list(
            "account__name", "stakeholder__name", "answered_on", "csat", "nps", "comment"
        )
    )


def test_demo_answers_are_plausible_deterministic_and_fall_before_losses():
    load_demo(plan=generate_demo(seed=7, accounts=40, today=TODAY))
    answers = SurveyResponse.objects.all()
    assert answers.count() > 100
    assert not answers.filter(answered_on__gt=TODAY).exists()
    assert not answers.filter(csat__isnull=True, nps__isnull=True).exists()
    assert answers.filter(csat__isnull=True).exists() and answers.filter(nps__isnull=True).exists()
    assert answers.filter(stakeholder__isnull=False).exists()
    assert answers.dates("answered_on", "year").count() >= 2
    risks = accounts_at_risk(seed=7, today=TODAY)
    assert risks
    for risk in risks.values():
        if risk.lost_on:
            assert not answers.filter(account_id=risk.account_id, answered_on__gt=risk.lost_on)

    def mean_nps(rows) -> float:
        return statistics.mean(n for n in rows.values_list("nps", flat=True) if n is not None)

    troubled = [
        answers.filter(account_id=r.account_id, answered_on__gte=r.trouble_from)
        for r in risks.values()
    ]
    troubled_nps = [
        n for rows in troubled for n in rows.values_list("nps", flat=True) if n is not None
    ]
    healthy = answers.exclude(account_id__in=list(risks))
    assert troubled_nps and statistics.mean(troubled_nps) < mean_nps(healthy) - 0.5
    assert detractor_decision_makers(answers)
    first = _picture()
    load_demo(plan=generate_demo(seed=7, accounts=40, today=TODAY), reset=True)
    assert _picture() == first

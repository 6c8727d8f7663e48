"""NPS arithmetic, quarters, the trend and the detractors among decision makers."""

from __future__ import annotations

import datetime as dt

import pytest

from openkam.satisfaction import selectors
from openkam.satisfaction.selectors import QuarterPoint, nps_of, quarter_points, trend_direction
from openkam.stakeholders.services import stakeholder_create

D = dt.date


def test_nps_is_promoters_minus_detractors_in_percent():
    assert nps_of(0, 0, 0) is None
    assert nps_of(5, 2, 10) == 30.0
    assert nps_of(0, 4, 4) == -100.0
    assert nps_of(4, 0, 4) == 100.0
    # 9 and 10 promote, 7 and 8 are passive, 0–6 detract
    (point,) = quarter_points([(D(2026, 1, 5), None, n) for n in (10, 9, 8, 7, 6, 0)])
    assert (point.promoters, point.detractors, point.nps_answers) == (2, 2, 6)
    assert point.nps == 0.0 and point.csat is None


def test_quarters_average_csat_over_the_answers_with_one():
    points = quarter_points(
        [
            (D(2025, 12, 31), 5, None),
            (D(2026, 1, 1), 4, 9),
            (D(2026, 3, 31), 2, None),
            (D(2026, 2, 10), None, 3),
        ]
    )
    assert [p.key for p in points] == ["2025-Q4", "2026-Q1"]
    q1 = points[1]
    assert (q1.answers, q1.csat_answers, q1.csat) == (3, 2, 3.0)
    assert q1.nps == 0.0  # one promoter, one detractor
    assert (q1.start, q1.end) == (D(2026, 1, 1), D(2026, 3, 31))
    assert q1.index - points[0].index == 1


def _point(csat=None, nps=None) -> QuarterPoint:
    return QuarterPoint(2026, 1, 3, csat, 3 if csat else 0, nps, 3 if nps is not None else 0, 0, 0)


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (_point(4.0, 20), _point(4.0, 10), "down"),  # NPS −10
        (_point(4.0, 20), _point(3.5, 30), "down"),  # a CSAT fall outweighs an NPS rise
        (_point(4.0, 20), _point(4.5, 20), "up"),
        (_point(4.0, 20), _point(4.1, 22), "flat"),
        (_point(4.0, None), _point(None, 20), None),  # nothing comparable
        (None, _point(4.0, 20), None),
    ],
)
def test_trend_direction(before, after, expected):
    assert trend_direction(after, before) == expected


@pytest.mark.django_db
def test_account_trend_reads_only_that_account(world, answer):
    answer(world["own"], D(2025, 11, 2), csat=5, nps=10)
    answer(world["own"], D(2026, 2, 2), csat=3, nps=5)
    answer(world["own"], D(2026, 3, 2), csat=4, nps=9)
    answer(world["foreign"], D(2026, 2, 2), csat=1, nps=0)
    trend = selectors.account_trend(account=world["own"])
    assert [(p.key, p.answers, p.csat, p.nps) for p in trend] == [
        ("2025-Q4", 1, 5.0, 100.0),
        ("2026-Q1", 2, 3.5, 0.0),
    ]


@pytest.mark.django_db
def test_the_database_aggregation_matches_python(world, answer):
    for day, csat, nps in [
        (D(2025, 11, 2), 5, 10),
        (D(2026, 2, 2), 3, 5),
        (D(2026, 3, 2), None, 9),
        (D(2026, 3, 9), 2, None),
    ]:
        answer(world["own"], day, csat=csat, nps=nps)
    from openkam.satisfaction.models import SurveyResponse

    by_account = selectors.quarterly_by_account(SurveyResponse.objects.all())
    assert by_account[world["own"].pk] == selectors.account_trend(account=world["own"])


@pytest.mark.django_db
def test_detractor_decision_makers(users, world, answer):
    """The conftest's buyers are decision makers: their latest answer decides."""
    own, person = world["own"], world["own_person"]
    influencer = stakeholder_create(
        actor=users["director"], account=own, data={"name": "Ian", "buying_role": "influencer"}
    )
    answer(own, D(2026, 1, 10), stakeholder=person, csat=5, nps=10)
    bad = answer(own, D(2026, 4, 10), stakeholder=person, csat=4, nps=6)
    answer(own, D(2026, 4, 10), stakeholder=influencer, csat=1, nps=0)  # no decision maker
    answer(own, D(2026, 4, 10), csat=1, nps=0)  # anonymous
    shared = world["shared_person"]
    answer(world["shared"], D(2026, 1, 10), stakeholder=shared, csat=2, nps=None)
    answer(world["shared"], D(2026, 4, 10), stakeholder=shared, csat=4, nps=9)  # recovered
    from openkam.satisfaction.models import SurveyResponse

    found = selectors.detractor_decision_makers(SurveyResponse.objects.all())
    assert [(d.response_id, d.name, d.nps) for d in found] == [(bad.pk, person.name, 6)]
    # as of an earlier date the shared buyer's CSAT of 2 was their latest answer
    earlier = selectors.detractor_decision_makers(SurveyResponse.objects.all(), as_of=D(2026, 2, 1))
    assert [d.stakeholder_id for d in earlier] == [shared.pk]
    # somebody who left is no longer flagged
    person.active = False
    person.save()
    assert selectors.detractor_decision_makers(SurveyResponse.objects.all()) == []


@pytest.mark.django_db
def test_account_satisfaction_is_scoped_and_summarised(users, world, answer):
    answer(world["own"], D(2026, 1, 10), stakeholder=world["own_person"], csat=5, nps=10)
    answer(world["own"], D(2026, 4, 10), stakeholder=world["own_person"], csat=2, nps=3)
    answer(world["foreign"], D(2026, 4, 10), csat=5, nps=10)
    rows = selectors.account_satisfaction(user=users["kam1"])
    assert [r.name for r in rows] == ["Own Mart"]
    (row,) = rows
    assert row.latest.key == "2026-Q2" and row.previous.key == "2026-Q1"
    assert row.trend == "down" and row.owner == "kam1"
    assert [d.name for d in row.detractors] == ["Buyer of Own Mart"]
    assert {r.name for r in selectors.account_satisfaction(user=users["viewer"])} == {
        "Own Mart",
        "Foreign Foods",
    }

"""The health component `satisfaction` and the rules `satisfaction_drop` and
`detractor_decision_maker`: registered, reading only answers dated on or before the as-of date,
the level, the trend and the detractors moving the score, causes stable within a quarter."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils.translation import gettext

from openkam.alerts.rules import RuleContext, rule
from openkam.health.components import HealthContext, component
from openkam.satisfaction.alerts import DETRACTOR_PLAYBOOK, DROP_PLAYBOOK

pytestmark = pytest.mark.django_db
D = dt.date


def _ids(world) -> frozenset[int]:
    return frozenset(world[k].pk for k in ("own", "own_sub", "foreign", "shared"))


def _health(as_of: dt.date, world) -> dict:
    return component("satisfaction").read(HealthContext(as_of=as_of, account_ids=_ids(world)))


def _find(key: str, as_of: dt.date, world, **thresholds) -> list:
    ctx = RuleContext(as_of=as_of, account_ids=_ids(world), thresholds=thresholds)
    return list(rule(key).find(ctx))


def test_the_component_level_trend_and_detractors(world, answer):
    own, shared, foreign = world["own"], world["shared"], world["foreign"]
    # own: all promoters, CSAT 5 in the last 12 months → 1
    answer(own, D(2026, 3, 1), csat=5, nps=10)
    # shared: the same level now, but better the year before → lowered by half the fall
    answer(shared, D(2025, 2, 1), csat=5, nps=10)
    answer(shared, D(2026, 3, 1), csat=3, nps=8)  # NPS 0 → 0.5, CSAT 3 → 0.5
    # foreign: a detractor decision maker
    answer(foreign, D(2026, 3, 1), stakeholder=world["foreign_person"], csat=3, nps=8)
    answer(foreign, D(2026, 3, 2), stakeholder=world["foreign_person"], csat=3, nps=5)
    # an answer after the as-of date is not known yet
    answer(own, D(2026, 5, 1), csat=1, nps=0)
    readings = _health(D(2026, 4, 1), world)
    assert set(readings) == {own.pk, shared.pk, foreign.pk}  # own_sub: no answers, no data
    assert readings[own.pk].score == 1.0 and readings[own.pk].value == 100.0
    assert readings[shared.pk].score == pytest.approx(0.5 + 0.5 * (0.5 - 1.0))
    assert readings[shared.pk].params["previous_nps"] == 100
    # foreign: NPS −50 → 0.25, CSAT 3 → 0.5: level 0.375, minus 0.15 for the detractor
    assert readings[foreign.pk].score == pytest.approx(0.375 - 0.15)
    assert readings[foreign.pk].params["detractors"] == 1
    assert "Buyer of Foreign Foods" in readings[foreign.pk].params["names"]
    for reading in readings.values():
        assert gettext(reading.evidence) % dict(reading.params)
        json.dumps(dict(reading.params))  # stored with the score
    assert "the 12 months before" in readings[shared.pk].text()


def test_the_component_without_recent_answers_has_no_data(world, answer):
    answer(world["own"], D(2024, 1, 1), csat=5, nps=10)
    assert _health(D(2026, 4, 1), world) == {}
    assert _health(D(2023, 12, 31), world) == {}


def test_a_satisfaction_drop(world, answer):
    own, shared = world["own"], world["shared"]
    for day in (D(2026, 1, 10), D(2026, 2, 10)):
        answer(own, day, csat=5, nps=10)
        answer(shared, day, csat=4, nps=9)
    for day in (D(2026, 4, 10), D(2026, 5, 10)):
        answer(own, day, csat=3, nps=9)  # CSAT −2, NPS unchanged
        answer(shared, day, csat=4, nps=8)  # NPS 100 → 0 with a CSAT that holds
    found = {f.account_id: f for f in _find("satisfaction_drop", D(2026, 5, 20), world)}
    assert set(found) == {own.pk, shared.pk}
    drop = found[own.pk]
    assert drop.cause == f"satisfaction:{own.pk}:2026-Q2"
    assert drop.params["csat_before"] == 5.0 and drop.params["csat_after"] == 3.0
    assert "2026-Q1" in gettext(drop.evidence) % dict(drop.params)
    assert drop.url.endswith("#trend")
    # thresholds: a bigger fall is needed
    strict = _find("satisfaction_drop", D(2026, 5, 20), world, csat_drop=2.5, nps_drop=150)
    assert strict == []
    # one answer a quarter is not enough by default
    assert _find("satisfaction_drop", D(2026, 4, 20), world) == []
    assert {f.account_id for f in _find("satisfaction_drop", D(2026, 4, 20), world, min_answers=1)}
    # the cause stays the same for the whole quarter; long after, the drop is stale
    later = _find("satisfaction_drop", D(2026, 6, 30), world)
    assert {f.cause for f in later} == {f.cause for f in found.values()}
    assert _find("satisfaction_drop", D(2027, 1, 5), world) == []


def test_a_detractor_decision_maker(world, answer):
    person = world["own_person"]
    answer(world["own"], D(2026, 1, 10), stakeholder=person, csat=5, nps=10)
    bad = answer(world["own"], D(2026, 4, 10), stakeholder=person, csat=2, nps=7)
    answer(world["shared"], D(2026, 4, 10), csat=1, nps=0)  # anonymous: no decision maker
    (found,) = _find("detractor_decision_maker", D(2026, 5, 1), world)
    assert found.account_id == world["own"].pk and found.cause == f"detractor:{bad.pk}"
    assert found.url.endswith(f"#answer-{bad.pk}")
    assert "Buyer of Own Mart" in gettext(found.evidence) % dict(found.params)
    assert _find("detractor_decision_maker", D(2026, 3, 1), world) == []  # not answered yet
    assert _find("detractor_decision_maker", D(2026, 12, 1), world) == []  # too old (180 days)
    assert _find("detractor_decision_maker", D(2026, 12, 1), world, days=365)
    answer(world["own"], D(2026, 5, 5), stakeholder=person, csat=4, nps=9)  # better again
    assert _find("detractor_decision_maker", D(2026, 5, 10), world) == []


def test_registered_with_playbooks():
    for key, playbook in (
        ("satisfaction_drop", DROP_PLAYBOOK),
        ("detractor_decision_maker", DETRACTOR_PLAYBOOK),
    ):
        registered = rule(key)
        assert registered.playbook == playbook and 2 <= len(playbook) <= 4
    assert component("satisfaction").label

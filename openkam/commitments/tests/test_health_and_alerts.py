"""The health components and alert rules of promises and responsiveness: registered, reading
only what was known on the as-of date, scores falling with count, age and slowness."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils.translation import gettext

from openkam.alerts.rules import RuleContext, rule
from openkam.commitments.models import CommitmentStatus
from openkam.health.components import HealthContext, component

from .conftest import at

pytestmark = pytest.mark.django_db
D = dt.timedelta
MON = dt.date(2026, 3, 2)


def _health(key: str, as_of: dt.date, world) -> dict:
    ids = frozenset(world[k].pk for k in ("own", "own_sub", "foreign", "shared"))
    return component(key).read(HealthContext(as_of=as_of, account_ids=ids))


def test_late_commitments_component(world, make_commitment, users):
    own, foreign, shared = world["own"], world["foreign"], world["shared"]
    make_commitment(own, due_on=dt.date(2026, 1, 20))
    make_commitment(
        own, due_on=dt.date(2026, 1, 10), status=CommitmentStatus.DONE, done_on=dt.date(2026, 2, 5)
    )
    make_commitment(foreign, owner=users["kam2"], due_on=dt.date(2026, 3, 1))  # due later
    make_commitment(shared, owner=users["kam2"], direction="theirs")  # theirs: not counted
    readings = _health("late_commitments", dt.date(2026, 2, 1), world)
    assert set(readings) == {own.pk, foreign.pk}  # no commitment of ours: no data
    late = readings[own.pk]
    assert late.value == 2  # the one done on 5 February was still late on 1 February
    assert late.score == pytest.approx(1 / (1 + (12 + 22) / 30))
    assert late.params == {"late": 2, "count": 2, "days": 22}
    assert "22" in late.text()
    assert readings[foreign.pk].score == 1 and readings[foreign.pk].value == 0
    older = _health("late_commitments", dt.date(2026, 1, 21), world)[own.pk]
    assert older.score > late.score  # fewer and younger
    assert not _health("late_commitments", dt.date(2026, 1, 4), world)  # nothing known yet


def test_responsiveness_component(world, make_request, users, settings):
    settings.KAM_RESPONSE_HOURS = 9
    own, foreign = world["own"], world["foreign"]
    make_request(own, received_at=at(MON, 9), first_answered_at=at(MON, 11))  # 2 h
    make_request(own, received_at=at(MON, 9), first_answered_at=at(MON + D(days=2), 11))  # 20 h
    make_request(own, received_at=at(MON, 9))  # unanswered
    make_request(foreign, owner=users["kam2"], received_at=at(MON + D(days=4), 17))  # pending
    readings = _health("responsiveness", MON + D(days=4), world)
    assert set(readings) == {own.pk}  # foreign: still within the target, nothing to judge
    reading = readings[own.pk]
    assert reading.score == pytest.approx(1 / 3)
    assert reading.params["slow"] == 2 and reading.params["median"] == 11
    assert "9" in gettext(reading.evidence) % reading.params
    on_monday = _health("responsiveness", MON, world)[own.pk]
    assert on_monday.score == 1  # at the end of Monday one answer in 2 h, the rest pending
    assert not _health("responsiveness", MON - D(days=1), world)
    assert not _health("responsiveness", MON + D(days=400), world)  # older than 12 months


def _context(world, as_of, **thresholds) -> RuleContext:
    ids = frozenset(world[k].pk for k in ("own", "foreign", "shared"))
    return RuleContext(as_of=as_of, account_ids=ids, thresholds=thresholds)


def test_late_commitment_rule(world, make_commitment):
    late = make_commitment(world["own"], due_on=dt.date(2026, 1, 20))
    make_commitment(world["own"], direction="theirs", due_on=dt.date(2026, 1, 6))
    the_rule = rule("late_commitment")
    assert 2 <= len(the_rule.playbook) <= 4
    findings = list(the_rule.find(_context(world, dt.date(2026, 1, 27), days_late=7)))
    assert [f.cause for f in findings] == [f"commitment:{late.pk}:late"]
    assert findings[0].account_id == world["own"].pk
    assert findings[0].params["days"] == 7 and findings[0].url.endswith(f"#commitment-{late.pk}")
    assert not list(the_rule.find(_context(world, dt.date(2026, 1, 26), days_late=7)))
    assert list(the_rule.find(_context(world, dt.date(2026, 1, 21), days_late=1)))
    default = the_rule.thresholds[0]
    assert (default.key, default.default) == ("days_late", 7)


def test_unanswered_request_rule(world, make_request, settings):
    settings.KAM_RESPONSE_HOURS = 9
    waiting = make_request(world["own"], received_at=at(MON, 10))
    make_request(world["own"], received_at=at(MON, 10), first_answered_at=at(MON, 11))
    the_rule = rule("unanswered_request")
    assert 2 <= len(the_rule.playbook) <= 4
    findings = list(the_rule.find(_context(world, MON + D(days=1), hours=9)))
    assert [f.cause for f in findings] == [f"request:{waiting.pk}:unanswered"]
    assert findings[0].params["hours"] == 17
    assert not list(the_rule.find(_context(world, MON + D(days=1), hours=20)))
    assert not list(the_rule.find(_context(world, MON, hours=9)))

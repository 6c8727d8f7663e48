"""Each built-in component on small data, and that it uses only what was known on `as_of`."""

import datetime as dt

import pytest
from django.utils import timezone

from openkam.activities.models import Activity, ActivityKind
from openkam.competitors.models import (
    AccountCompetitor,
    AccountCompetitorObservation,
    Competitor,
)
from openkam.health import builtin
from openkam.health.components import HealthContext, component, components
from openkam.stakeholders.models import Position, Stakeholder, StakeholderAssessment
from openkam.tenders.models import Tender

from .conftest import AS_OF, make_snapshot


def ctx(world, as_of=AS_OF, snapshot=None):
    ids = frozenset(world[k].pk for k in ("own", "own_sub", "foreign", "shared"))
    return HealthContext(
        as_of=as_of, account_ids=ids, snapshot_id=snapshot.pk if snapshot else None
    )


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def test_builtin_components_are_registered():
    keys = {c.key for c in components()}
    assert {c.key for c in builtin.BUILTIN} <= keys
    assert component("purchase_rhythm").default_weight > 0


def test_purchase_rhythm(world, snapshot):
    readings = builtin.read_purchase_rhythm(ctx(world, snapshot=snapshot))
    assert readings[world["own"].pk].score == 1.0
    assert readings[world["own_sub"].pk].score == 0.0  # three intervals of silence
    assert readings[world["foreign"].pk].score == pytest.approx(0.5)
    assert readings[world["foreign"].pk].value == 2.0
    assert world["shared"].pk not in readings  # a single purchase: no rhythm, no data
    assert "90 days" in readings[world["own_sub"].pk].text()


def test_purchase_rhythm_of_a_lost_account_is_the_worst(world):
    snapshot = make_snapshot(
        accounts={world["own"].pk: {"days_since_purchase": 31, "median_interval": 30, "lost": True}}
    )
    assert builtin.read_purchase_rhythm(ctx(world, snapshot=snapshot))[world["own"].pk].score == 0


def test_revenue_growth(world, snapshot):
    readings = builtin.read_revenue_growth(ctx(world, snapshot=snapshot))
    assert readings[world["own"].pk].score == 1.0
    assert readings[world["own_sub"].pk].score == 0.0
    assert readings[world["foreign"].pk].score == pytest.approx(0.5)  # −10 %: mid-way
    assert world["shared"].pk not in readings  # no revenue a year before


def test_probability_alive_only_where_the_model_passed_its_checks(world, snapshot):
    readings = builtin.read_probability_alive(ctx(world, snapshot=snapshot))
    assert readings[world["own_sub"].pk].score == pytest.approx(0.2)
    collapsed = make_snapshot(
        dt.date(2026, 5, 31),
        model={"usable": False, "bgnbd_check": {"ok": False, "reasons": ["dropout"]}},
        accounts={world["own"].pk: {"prob_alive": 0.99}},
    )
    assert builtin.read_probability_alive(ctx(world, snapshot=collapsed)) == {}


def test_coverage_counts_the_gaps_known_on_the_date(world, users):
    today = timezone.localdate()
    own = world["own"].pk
    readings = builtin.read_coverage(ctx(world, as_of=today))
    # buying is known, operations and marketing are not; the buyer (a decision maker) is not met
    assert readings[own].params == {
        "gaps": 4,
        "missing": 2,
        "out_of_touch": 1,
        "single": 0,
        "not_met": 1,
        "days": 90,
    }
    visit = Activity.objects.create(
        account=world["own"],
        kind=ActivityKind.objects.get(code="visit"),
        occurred_at=timezone.now(),
        subject="Visit",
    )
    visit.our_people.add(users["kam1"])
    visit.their_people.add(world["own_person"])
    again = builtin.read_coverage(ctx(world, as_of=today))[own]
    assert again.params["out_of_touch"] == 0 and again.params["not_met"] == 0
    assert again.params["single"] == 1  # only kam1 knows the buying department
    assert again.score > readings[own].score
    # yesterday nobody was known there yet (their positions start today): no reading
    assert own not in builtin.read_coverage(ctx(world, as_of=today - dt.timedelta(days=1)))


def _person(account, role="decision_maker", start=dt.date(2025, 1, 1), end=None, **extra):
    person = Stakeholder.objects.create(account=account, name=f"P{start}{role}", **extra)
    Position.objects.create(
        stakeholder=person, account=account, buying_role=role, started_on=start, ended_on=end
    )
    return person


def test_decision_makers_use_the_attitude_then_and_strength_only_if_unchanged(world):
    own = world["own"]
    person = _person(own, relationship_strength=5)
    StakeholderAssessment.objects.create(
        stakeholder=person, field="attitude", value="critic", since=dt.date(2026, 1, 1)
    )
    StakeholderAssessment.objects.create(
        stakeholder=person, field="attitude", value="champion", since=dt.date(2026, 8, 1)
    )
    then = builtin.read_decision_makers(ctx(world, as_of=AS_OF))[own.pk]
    # June 2026: a critic; the strength was set after (the record changed today): not used
    assert then.score == pytest.approx(0.2)
    assert then.params["critics"] == 1
    now = builtin.read_decision_makers(ctx(world, as_of=timezone.localdate()))[own.pk]
    assert now.score == pytest.approx(1.0)  # a champion with strength 5 (the world's buyer
    # has nothing assessed and is left out)
    assert world["foreign"].pk not in builtin.read_decision_makers(ctx(world, as_of=AS_OF))


def test_competitor_threat_as_observed_then(world):
    own = world["own"]
    presence = AccountCompetitor.objects.create(
        account=own, competitor=Competitor.objects.create(name="Rival"), threat_level=5
    )
    early = AccountCompetitorObservation.objects.create(presence=presence, threat_level=2)
    late = AccountCompetitorObservation.objects.create(presence=presence, threat_level=5)
    AccountCompetitorObservation.objects.filter(pk=early.pk).update(
        recorded_at=at(dt.date(2026, 3, 1))
    )
    AccountCompetitorObservation.objects.filter(pk=late.pk).update(
        recorded_at=at(dt.date(2026, 9, 1))
    )
    assert builtin.read_competitor_threat(ctx(world))[own.pk].score == pytest.approx(0.75)
    now = builtin.read_competitor_threat(ctx(world, as_of=timezone.localdate()))[own.pk]
    assert now.score == 0 and now.params["competitor"] == "Rival"
    assert builtin.read_competitor_threat(ctx(world, as_of=dt.date(2026, 2, 1))) == {}
    # recorded today without any observation: unknown in the past, counted today
    AccountCompetitor.objects.create(
        account=world["foreign"], competitor=Competitor.objects.create(name="Other"), threat_level=1
    )
    assert world["foreign"].pk not in builtin.read_competitor_threat(ctx(world))
    today = builtin.read_competitor_threat(ctx(world, as_of=timezone.localdate()))
    assert today[world["foreign"].pk].score == 1.0


def test_key_people_who_left_in_the_last_12_months(world):
    own = world["own"]
    gone = _person(own, end=dt.date(2026, 5, 1))
    promoted = _person(own, role="champion", end=dt.date(2026, 4, 1))
    Position.objects.create(
        stakeholder=promoted, account=own, buying_role="champion", started_on=dt.date(2026, 4, 1)
    )
    reading = builtin.read_key_people_left(ctx(world))[own.pk]
    assert reading.value == 1 and reading.score == pytest.approx(0.4)
    assert gone.name in reading.params["names"]  # a new title is no departure
    assert builtin.read_key_people_left(ctx(world, as_of=dt.date(2026, 4, 15)))[own.pk].value == 0
    later = builtin.read_key_people_left(ctx(world, as_of=dt.date(2027, 5, 2)))[own.pk]
    assert later.value == 0  # more than 12 months ago
    assert world["foreign"].pk not in builtin.read_key_people_left(ctx(world))  # nobody known


def test_tenders_lost_in_the_last_12_months(world):
    own = world["own"]
    for status, day in (("lost", "2026-03-01"), ("won", "2026-05-01"), ("lost", "2025-01-01")):
        Tender.objects.create(
            account=own,
            title=f"T {day}",
            status=status,
            decided_on=dt.date.fromisoformat(day),
            lost_reason="price" if status == "lost" else "",
        )
    Tender.objects.create(account=own, title="Open one")
    reading = builtin.read_tenders_lost(ctx(world))[own.pk]
    assert reading.score == pytest.approx(0.5) and reading.params == {"lost": 1, "decided": 2}
    assert builtin.read_tenders_lost(ctx(world, as_of=dt.date(2026, 4, 1)))[own.pk].score == 0
    assert world["foreign"].pk not in builtin.read_tenders_lost(ctx(world))

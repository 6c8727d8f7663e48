"""Coverage gaps worked out from hand-made activities."""

import datetime as dt

import pytest
from django.utils import timezone

from openkam.activities.models import Activity, ActivityKind
from openkam.stakeholders.coverage import GapKind, account_coverage, coverage_gaps
from openkam.stakeholders.models import DepartmentKind
from openkam.stakeholders.services import department_create, stakeholder_create

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def _meet(account, ours, theirs, days_ago):
    kind, _ = ActivityKind.objects.get_or_create(code="visit", defaults={"name": "Visit"})
    activity = Activity.objects.create(
        account=account,
        kind=kind,
        occurred_at=NOW - dt.timedelta(days=days_ago),
        subject="Visit",
    )
    activity.our_people.set(ours)
    activity.their_people.set(theirs)
    return activity


def _kinds(gaps, **match):
    return {
        (g.kind, str(g.department) if g.department else None, g.stakeholder and g.stakeholder.name)
        for g in gaps
        if all(getattr(g, k) == v for k, v in match.items())
    }


@pytest.fixture
def marketing_department(users, world):
    kind, _ = DepartmentKind.objects.get_or_create(code="marketing", defaults={"name": "Marketing"})
    return department_create(actor=users["director"], account=world["own"], kind=kind)


def test_a_department_with_nobody_known_is_a_gap(users, world, marketing_department):
    gaps = coverage_gaps([world["own"]], now=NOW)
    assert (GapKind.DEPARTMENT_EMPTY, "Marketing", None) in _kinds(gaps)


def test_missing_essential_department_is_a_gap(users, world):
    DepartmentKind.objects.get_or_create(code="operations", defaults={"name": "Operations"})
    gaps = coverage_gaps([world["own"]], now=NOW)
    assert any(g.kind == GapKind.DEPARTMENT_MISSING for g in gaps)


def test_out_of_touch_single_threaded_and_unmet_decision_maker(users, world, settings):
    settings.KAM_COVERAGE_DAYS = 90
    buyer = world["own_person"]
    _meet(world["own"], [users["kam1"]], [buyer], days_ago=120)
    gaps = _kinds(coverage_gaps([world["own"]], now=NOW), account=world["own"])
    assert (GapKind.OUT_OF_TOUCH, "Merchandising / buying", None) in gaps
    assert (GapKind.SINGLE_THREADED, "Merchandising / buying", None) in gaps
    assert (GapKind.NOT_MET, "Merchandising / buying", buyer.name) in gaps


def test_recent_contact_by_two_of_ours_closes_the_gaps(users, world):
    buyer = world["own_person"]
    _meet(world["own"], [users["kam1"]], [buyer], days_ago=10)
    _meet(world["own"], [users["director"]], [buyer], days_ago=200)
    kinds = {g.kind for g in coverage_gaps([world["own"]], now=NOW)}
    assert not kinds & {GapKind.OUT_OF_TOUCH, GapKind.SINGLE_THREADED, GapKind.NOT_MET}


def test_the_setting_moves_the_line(users, world, settings):
    _meet(world["own"], [users["kam1"]], [world["own_person"]], days_ago=40)
    settings.KAM_COVERAGE_DAYS = 30
    assert GapKind.OUT_OF_TOUCH in {g.kind for g in coverage_gaps([world["own"]], now=NOW)}
    settings.KAM_COVERAGE_DAYS = 60
    assert GapKind.OUT_OF_TOUCH not in {g.kind for g in coverage_gaps([world["own"]], now=NOW)}


def test_weak_decision_maker_and_champion(users, world):
    buyer = world["own_person"]
    buyer.relationship_strength = 2
    buyer.save()
    champion = stakeholder_create(
        actor=users["kam1"],
        account=world["own"],
        data={"name": "Fan", "attitude": "champion", "relationship_strength": 5},
    )
    gaps = _kinds(coverage_gaps([world["own"]], now=NOW))
    assert (GapKind.WEAK_DECISION_MAKER, "Merchandising / buying", buyer.name) in gaps
    assert (GapKind.NOT_MET, None, champion.name) in gaps


def test_matrix_cells_are_the_last_contact_per_person_and_department(users, world):
    buyer = world["own_person"]
    _meet(world["own"], [users["kam1"]], [buyer], days_ago=100)
    latest = _meet(world["own"], [users["kam1"], users["viewer"]], [buyer], days_ago=5)
    cover = account_coverage(account=world["own"], now=NOW)
    names = [u.username for u in cover.users]
    assert names[0] == "kam1" and "viewer" in names  # the team first, then others who met them
    (row,) = cover.rows
    assert row.cells[names.index("kam1")] == latest.occurred_at
    assert row.cells[names.index("viewer")] == latest.occurred_at
    assert not row.stale


def test_gaps_of_many_accounts_take_a_fixed_number_of_queries(
    users, world, django_assert_max_num_queries
):
    for account in ("own", "foreign", "shared"):
        _meet(world[account], [users["kam1"]], [world[f"{account}_person"]], days_ago=3)
    accounts = [world[k] for k in ("own", "own_sub", "foreign", "shared")]
    with django_assert_max_num_queries(5):
        gaps = coverage_gaps(accounts, now=NOW)
    assert {g.account for g in gaps} <= set(accounts)

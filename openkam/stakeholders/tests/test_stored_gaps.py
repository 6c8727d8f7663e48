"""The stored coverage gaps: kept up to date as people and activities change, timed gaps
opening as days pass, and the same gaps as the ones worked out on the fly."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from openkam.accounts.models import Account
from openkam.stakeholders.coverage import (
    GapKind,
    coverage_gaps,
    deferred_refresh,
    refresh_stored_gaps,
    stored_gaps,
)
from openkam.stakeholders.models import BuyingRole, CoverageGap
from openkam.stakeholders.services import stakeholder_create

from .test_coverage import _meet

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def _facts(gaps):
    return sorted(
        (
            g.account.name,
            g.kind,
            g.department.pk if g.department else None,
            g.stakeholder.pk if g.stakeholder else None,
            g.message,
        )
        for g in gaps
    )


def _decision_maker(users, world, name="Dara Chan"):
    return stakeholder_create(
        actor=users["kam1"],
        account=world["own"],
        data={
            "name": name,
            "buying_role": BuyingRole.DECISION_MAKER,
            "department": world["own_person"].department,
        },
    )


def test_stored_gaps_are_the_gaps_worked_out_on_the_fly(users, world):
    _meet(world["own"], [users["kam1"]], [world["own_person"]], days_ago=200)
    _decision_maker(users, world)
    accounts = Account.objects.all()
    refresh_stored_gaps()
    assert _facts(stored_gaps(accounts, now=NOW)) == _facts(coverage_gaps(accounts, now=NOW))


def test_a_new_decision_maker_is_a_gap_until_met(users, world):
    person = _decision_maker(users, world)
    own = Account.objects.filter(pk=world["own"].pk)
    assert (GapKind.NOT_MET, person.pk) in {(g.kind, g.stakeholder_id) for g in stored_gaps(own)}
    _meet(world["own"], [users["kam1"]], [person], days_ago=2)
    assert (GapKind.NOT_MET, person.pk) not in {
        (g.kind, g.stakeholder_id) for g in stored_gaps(own)
    }


def test_a_meeting_becomes_a_gap_when_it_is_older_than_the_coverage_days(users, world, settings):
    settings.KAM_COVERAGE_DAYS = 90
    person = _decision_maker(users, world)
    _meet(world["own"], [users["kam1"]], [person], days_ago=60)
    own = Account.objects.filter(pk=world["own"].pk)
    not_met = {(g.kind, g.stakeholder_id) for g in stored_gaps(own, now=NOW)}
    assert (GapKind.NOT_MET, person.pk) not in not_met
    later = NOW + dt.timedelta(days=40)  # nobody wrote anything, the days passed
    assert (GapKind.NOT_MET, person.pk) in {
        (g.kind, g.stakeholder_id) for g in stored_gaps(own, now=later)
    }


def test_deleting_the_meeting_opens_the_gap_again(users, world):
    person = _decision_maker(users, world)
    activity = _meet(world["own"], [users["kam1"]], [person], days_ago=2)
    activity.delete()
    own = Account.objects.filter(pk=world["own"].pk)
    assert (GapKind.NOT_MET, person.pk) in {(g.kind, g.stakeholder_id) for g in stored_gaps(own)}


def test_bulk_work_refreshes_once_at_the_end(users, world):
    with deferred_refresh():
        person = _decision_maker(users, world)
        assert not CoverageGap.objects.filter(stakeholder=person).exists()
    assert CoverageGap.objects.filter(stakeholder=person, kind=GapKind.NOT_MET).exists()


def test_gaps_page_and_api_read_the_stored_gaps(login, users, world, django_assert_max_num_queries):
    person = _decision_maker(users, world)
    kam = login("kam1")
    with django_assert_max_num_queries(12):
        body = kam.get(reverse("stakeholders:coverage_gaps") + "?kind=not_met").content.decode()
    assert person.name in body
    assert world["foreign"].name not in body
    response = kam.get(reverse("api:coverage-gaps"), {"kind": "not_met"})
    assert response.status_code == 200
    names = [row["message"] for row in response.json()["results"]]
    assert any(person.name in message for message in names)
    assert kam.get(reverse("api:coverage-gaps"), {"kind": "nonsense"}).status_code == 400


def test_deleting_an_account_with_departments_and_people_leaves_no_gaps(users, world):
    from django.db import transaction

    account, person = world["foreign"], world["foreign_person"]  # no subsidiaries
    assert CoverageGap.objects.filter(account=account).exists()
    pk = account.pk
    with transaction.atomic():  # the deferred foreign keys are checked here
        account.delete()
    assert not CoverageGap.objects.filter(account_id=pk).exists()
    assert not CoverageGap.objects.filter(stakeholder_id=person.pk).exists()

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from openkam.activities.models import Activity, ActivityKind
from openkam.marketing import selectors, services
from openkam.stakeholders.services import stakeholder_create

pytestmark = pytest.mark.django_db


def _meeting(account, day: dt.date, *people) -> Activity:
    activity = Activity.objects.create(
        account=account,
        kind=ActivityKind.objects.get(code="call"),
        occurred_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10))),
        subject="Meeting",
    )
    activity.their_people.set(people)
    return activity


def test_engagement_counts_touches_and_meetings_from_activities(users, world, programme):
    marketing, own = users["marketing"], world["own"]
    buyer = world["own_person"]
    planner = stakeholder_create(actor=users["director"], account=own, data={"name": "Planner"})
    show = programme.steps.get(title="Trade show")
    walk = programme.steps.get(title="Store walk")
    services.touch_create(actor=marketing, step=show, stakeholder=buyer, data={"kind": "attended"})
    services.touch_create(actor=marketing, step=walk, stakeholder=buyer, data={"kind": "met"})
    _meeting(own, walk.on, buyer, planner)  # the visit itself: met (once for the buyer)
    _meeting(own, dt.date(2026, 5, 20), planner)  # another day: a meeting outside the steps
    _meeting(own, dt.date(2026, 8, 1), planner)  # after the programme: not counted
    _meeting(world["foreign"], walk.on, world["foreign_person"])  # another account
    result = selectors.engagement(user=marketing, programme=programme)
    rows = {p.name: p for p in result.people}
    assert set(rows) == {"Buyer of Own Mart", "Planner"}
    assert rows["Buyer of Own Mart"].cell(show.pk) == ["attended"]
    assert rows["Buyer of Own Mart"].cell(walk.pk) == ["met"]
    assert rows["Buyer of Own Mart"].score == 6  # attended 3 + met 3 (the meeting, not twice)
    assert rows["Planner"].cell(walk.pk) == ["met"]
    assert rows["Planner"].meetings_outside_steps == 1
    assert rows["Planner"].score == 6
    [account] = result.accounts
    assert (account.name, account.people, account.engaged, account.score) == ("Own Mart", 2, 2, 12)


def test_a_kam_sees_only_their_accounts_people_in_a_lists_programme(users, world, static_list):
    marketing = users["marketing"]
    on_list = services.programme_create(
        actor=marketing,
        data={"name": "Launch", "target_list": static_list, "starts_on": dt.date(2026, 1, 1)},
    )
    step = services.step_create(
        actor=marketing,
        programme=on_list,
        data={"kind": "content", "title": "Brochure", "on": dt.date(2026, 2, 1)},
    )
    for key in ("own", "foreign"):
        services.touch_create(
            actor=marketing, step=step, stakeholder=world[f"{key}_person"], data={"kind": "opened"}
        )
    everyone = selectors.engagement(user=marketing, programme=on_list)
    assert [a.name for a in everyone.accounts] == ["Foreign Foods", "Own Mart"]
    kam = selectors.engagement(user=users["kam1"], programme=on_list)
    assert [p.name for p in kam.people] == ["Buyer of Own Mart"]


def test_members_and_cards_are_what_the_reader_may_see(users, world, static_list):
    kam = users["kam1"]
    assert [a.name for a in selectors.members(user=kam, target_list=static_list)] == ["Own Mart"]
    names = [p.name for p in selectors.contact_cards(user=users["viewer"], target_list=static_list)]
    assert names == ["Buyer of Foreign Foods", "Buyer of Own Mart"]

"""The contract selectors other parts call, and the response-time figures (hand-worked)."""

from __future__ import annotations

import datetime as dt

import pytest

from openkam.commitments import selectors
from openkam.commitments.models import CommitmentStatus

from .conftest import at

pytestmark = pytest.mark.django_db
MON = dt.date(2026, 3, 2)
D = dt.timedelta


def test_late_commitments(users, world, make_commitment):
    kam1, kam2 = users["kam1"], users["kam2"]
    mine = make_commitment(world["own"], due_on=dt.date(2026, 1, 20))
    theirs_on_shared = make_commitment(
        world["shared"], owner=kam2, direction="theirs", due_on=dt.date(2026, 1, 10)
    )
    make_commitment(world["foreign"], owner=kam2)  # kam1 does not see it
    make_commitment(world["own"], due_on=dt.date(2026, 3, 1))  # not due yet on 1 February
    done_late = make_commitment(
        world["own"], status=CommitmentStatus.DONE, done_on=dt.date(2026, 2, 10)
    )
    as_of = dt.date(2026, 2, 1)
    late = selectors.late_commitments(user=kam1, as_of=as_of)
    assert list(late) == [theirs_on_shared, mine, done_late]  # oldest due first
    assert set(selectors.late_commitments(user=kam1, as_of=as_of, mine=True)) == {mine, done_late}
    assert set(selectors.late_commitments(user=kam2, as_of=as_of, mine=True)) == {
        theirs_on_shared,
        *selectors.late_commitments(user=kam2, as_of=as_of).filter(account=world["foreign"]),
    }
    assert not selectors.late_commitments(user=users["viewer"], as_of=dt.date(2026, 1, 10))
    assert selectors.late_commitments(user=users["viewer"], as_of=as_of).count() == 4
    later = selectors.late_commitments(user=kam1, as_of=dt.date(2026, 2, 11))
    assert done_late not in later


def test_open_and_unanswered_requests(users, world, make_request, settings):
    settings.KAM_RESPONSE_HOURS = 9  # one working day
    kam1 = users["kam1"]
    answered = make_request(world["own"], received_at=at(MON, 10), first_answered_at=at(MON, 12))
    closed = make_request(
        world["own"],
        received_at=at(MON, 10),
        first_answered_at=at(MON, 11),
        closed_at=at(MON, 15),
    )
    waiting = make_request(world["own"], received_at=at(MON, 10))  # 9 h at Tue 10:00
    fresh = make_request(world["shared"], owner=users["kam2"], received_at=at(MON + D(days=1), 9))
    make_request(world["foreign"], owner=users["kam2"], received_at=at(MON, 9))
    tuesday = MON + D(days=1)
    assert set(selectors.open_requests(user=kam1, as_of=MON)) == {answered, waiting}
    assert set(selectors.open_requests(user=kam1, as_of=tuesday)) == {answered, waiting, fresh}
    assert set(selectors.open_requests(user=kam1, as_of=tuesday, mine=True)) == {answered, waiting}
    # At the end of Tuesday `waiting` has waited 17 working hours, `fresh` 9 (not more).
    assert list(selectors.unanswered_requests(user=kam1, as_of=tuesday)) == [waiting]
    assert not selectors.unanswered_requests(user=kam1, as_of=MON)
    assert set(selectors.unanswered_requests(user=kam1, as_of=MON + D(days=2))) == {waiting, fresh}
    assert not selectors.unanswered_requests(user=kam1, as_of=MON + D(days=2), mine=True).filter(
        pk=fresh.pk
    )
    assert closed not in selectors.open_requests(user=kam1, as_of=tuesday)


def test_the_response_figures(users, world, make_request, settings):
    settings.KAM_RESPONSE_HOURS = 9
    own, shared, kam2 = world["own"], world["shared"], users["kam2"]
    make_request(own, received_at=at(MON, 9), first_answered_at=at(MON, 11))  # 2 h
    make_request(own, received_at=at(MON, 9), first_answered_at=at(MON + D(days=1), 13))  # 13 h
    make_request(
        own,
        received_at=at(MON, 16),
        first_answered_at=at(MON, 17),
        closed_at=at(MON, 18),
    )  # 1 h, closed
    make_request(shared, owner=kam2, received_at=at(MON, 9))  # unanswered: 18 h at Wed 09:00
    make_request(shared, owner=kam2, received_at=at(MON + D(days=1), 17))  # 1 h: not overdue
    stats = selectors.response_stats(
        selectors.request_list(user=users["kam1"]), at=at(MON + D(days=2), 9)
    )
    total = stats.total
    assert (total.received, total.answered, total.within_target) == (5, 3, 2)
    assert (total.open, total.unanswered, total.overdue) == (4, 2, 1)
    assert total.median_hours == pytest.approx(2)
    assert total.share_within_target == pytest.approx(2 / 4)
    by_owner = {g.key: g for g in stats.by_owner}
    assert by_owner["kam1"].share_within_target == pytest.approx(2 / 3)
    assert by_owner["kam2"].median_hours is None
    assert by_owner["kam2"].share_within_target == 0
    assert [g.label for g in stats.by_account] == ["Own Mart", "Shared Stores"]
    assert stats.target_hours == 9 and stats.working_day == "09:00–18:00"
    early = selectors.response_stats(selectors.request_list(user=users["kam1"]), at=at(MON, 10))
    assert (early.total.received, early.total.answered) == (3, 0)  # all from 09:00

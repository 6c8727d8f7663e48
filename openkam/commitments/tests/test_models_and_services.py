"""Commitments and requests: the rules of each, the change log and who may write."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from openkam.activities.models import Activity, ActivityKind
from openkam.commitments import services
from openkam.commitments.models import Commitment, CommitmentStatus
from openkam.core.models import ChangeLogEntry
from openkam.tenders.models import Tender

from .conftest import at

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
D = dt.timedelta


def _promise(**extra) -> dict:
    return {
        "description": "Samples of the organic line",
        "promised_on": TODAY - D(days=10),
        "due_on": TODAY - D(days=3),
        **extra,
    }


def test_the_rules_of_a_commitment(users, world):
    kam, own = users["kam1"], world["own"]
    activity = Activity.objects.create(
        account=world["foreign"],
        kind=ActivityKind.objects.get(code="call"),
        occurred_at=timezone.now(),
        subject="Call",
    )
    foreign_tender = Tender.objects.create(account=world["foreign"], title="Elsewhere")
    cases = [
        (_promise(status="done"), "done_on"),
        (_promise(status="done", done_on=TODAY + D(days=1)), "done_on"),
        (_promise(done_on=TODAY), "done_on"),  # open, yet a done date
        (_promise(due_on=TODAY - D(days=11)), "due_on"),  # due before it was promised
        (_promise(promised_on=TODAY + D(days=1), due_on=TODAY + D(days=5)), "promised_on"),
        (_promise(description=""), "description"),
        (_promise(their_owner=world["foreign_person"]), "their_owner"),
        (_promise(activity=activity), "activity"),
        (_promise(tender=foreign_tender), "tender"),
        (_promise(owner=users["kam2"]), "owner"),  # kam2 cannot see Own Mart
    ]
    for data, field in cases:
        with pytest.raises(ValidationError) as error:
            services.commitment_create(actor=kam, account=own, data=data)
        assert field in error.value.message_dict, (data, error.value)
    made = services.commitment_create(
        actor=kam, account=own, data=_promise(their_owner=world["own_person"])
    )
    assert made.owner == kam and made.author == kam
    assert made.is_late() and made.days_late() == 3
    assert not made.is_late(as_of=TODAY - D(days=3))
    services.commitment_done(actor=kam, commitment=made)
    made.refresh_from_db()
    assert (made.status, made.done_on, made.is_late()) == ("done", TODAY, False)
    services.commitment_update(
        actor=kam, commitment=made, data={"status": "cancelled", "done_on": None}
    )
    made.refresh_from_db()
    assert made.cancelled_on == TODAY
    services.commitment_update(actor=kam, commitment=made, data={"status": "open"})
    made.refresh_from_db()
    assert made.cancelled_on is None
    entries = ChangeLogEntry.objects.filter(content_type__model="commitment", object_id=made.pk)
    assert [e.action for e in entries.order_by("id")] == ["create", "update", "update", "update"]
    services.commitment_delete(actor=kam, commitment=made)
    assert not Commitment.objects.filter(pk=made.pk).exists()
    assert entries.filter(action="delete").exists()


def test_a_plan_action_of_another_account_is_refused(users, world):
    from openkam.plans.models import AccountPlan, PlanAction, PlanObjective

    plan = AccountPlan.objects.create(account=world["foreign"], year=2030, currency="USD")
    objective = PlanObjective.objects.create(plan=plan, title="Grow")
    action = PlanAction.objects.create(
        objective=objective, title="Call", owner=users["kam2"], due_date=TODAY
    )
    with pytest.raises(ValidationError) as error:
        services.commitment_create(
            actor=users["director"], account=world["own"], data=_promise(plan_action=action)
        )
    assert "plan_action" in error.value.message_dict
    linked = services.commitment_create(
        actor=users["director"], account=world["foreign"], data=_promise(plan_action=action)
    )
    assert linked.plan_action == action


def test_who_may_write(users, world):
    for actor, account in (
        (users["kam1"], world["foreign"]),
        (users["marketing"], world["own"]),
        (users["viewer"], world["own"]),
    ):
        with pytest.raises(PermissionDenied):
            services.commitment_create(actor=actor, account=account, data=_promise())
        with pytest.raises(PermissionDenied):
            services.request_create(actor=actor, account=account, data={"subject": "Quote"})


def test_the_order_of_a_request(users, world):
    kam, own = users["kam1"], world["own"]
    now = timezone.now()
    cases = [
        (
            {"received_at": now - D(hours=2), "first_answered_at": now - D(hours=3)},
            "first_answered_at",
        ),
        ({"received_at": now - D(hours=3), "closed_at": now - D(hours=1)}, "first_answered_at"),
        (
            {
                "received_at": now - D(hours=3),
                "first_answered_at": now - D(hours=1),
                "closed_at": now - D(hours=2),
            },
            "closed_at",
        ),
        ({"received_at": now + D(days=1)}, "received_at"),
        ({"stakeholder": world["foreign_person"]}, "stakeholder"),
        ({"subject": ""}, "subject"),
    ]
    for data, field in cases:
        with pytest.raises(ValidationError) as error:
            services.request_create(actor=kam, account=own, data={"subject": "Quote", **data})
        assert field in error.value.message_dict, (data, error.value)
    received = now - D(hours=1)
    made = services.request_create(
        actor=kam,
        account=own,
        data={"subject": "Samples", "kind": "sample", "received_at": received},
    )
    assert made.owner == kam and made.first_answered_at is None
    services.request_close(actor=kam, customer_request=made)
    made.refresh_from_db()
    assert made.first_answered_at == made.closed_at  # closing answers it too
    first = made.first_answered_at
    services.request_answer(actor=kam, customer_request=made, at=now)
    made.refresh_from_db()
    assert made.first_answered_at == first  # the first answer stays the first
    entries = ChangeLogEntry.objects.filter(
        content_type__model="customerrequest", object_id=made.pk
    )
    assert [e.action for e in entries.order_by("id")] == ["create", "update"]


def test_response_time_in_working_hours(make_request, world):
    friday = dt.date(2026, 3, 6)
    monday = friday + D(days=3)
    row = make_request(world["own"], received_at=at(friday, 16), first_answered_at=at(monday, 11))
    assert row.response_hours() == pytest.approx(4)
    assert not row.is_overdue(at=at(monday, 12))
    waiting = make_request(world["own"], received_at=at(friday, 16))
    assert waiting.response_hours() is None
    assert waiting.hours_waiting(at=at(monday, 12)) == pytest.approx(5)
    assert not waiting.is_overdue(at=at(monday + D(days=2), 13))  # 2 + 9 + 9 + 4 = 24
    assert waiting.is_overdue(at=at(monday + D(days=2), 13, 1))
    assert waiting.is_overdue(at=at(monday, 12), hours=4)


def test_a_commitment_done_later_was_open_before(make_commitment, world):
    row = make_commitment(world["own"], status=CommitmentStatus.DONE, done_on=dt.date(2026, 2, 1))
    cancelled = make_commitment(
        world["own"], status=CommitmentStatus.CANCELLED, cancelled_on=dt.date(2026, 1, 25)
    )
    late_on = Commitment.objects.late_on
    assert set(late_on(dt.date(2026, 1, 24))) == {row, cancelled}
    assert set(late_on(dt.date(2026, 1, 26))) == {row}
    assert not late_on(dt.date(2026, 2, 1)).exists()
    assert not late_on(dt.date(2026, 1, 20)).exists()  # due that day: not late yet
    assert not Commitment.objects.known_on(dt.date(2026, 1, 4)).exists()

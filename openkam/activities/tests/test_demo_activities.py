"""The demo's activity log: deterministic, more for key accounts, people only while there."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count

from openkam.accounts.models import AccountStatus, AccountTeamMember
from openkam.activities.models import Activity
from openkam.demo.generator import generate_demo, load_demo
from openkam.stakeholders.models import Position

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)


def fingerprint() -> list[tuple]:
    return list(
        Activity.objects.order_by("account__external_id", "occurred_at", "subject").values_list(
            "account__external_id", "kind__code", "occurred_at", "subject", "purpose"
        )
    )


def test_the_demo_log_is_deterministic_and_plausible():
    plan = generate_demo(seed=7, accounts=20, today=TODAY)
    load_demo(plan=plan)
    first = fingerprint()
    assert len(first) > 100
    # the whole demo again: later loaders re-date some moves the activities depend on
    load_demo(plan=generate_demo(seed=7, accounts=20, today=TODAY), reset=True)
    assert fingerprint() == first
    accounts = {a.pk: a for a in plan_accounts()}

    per_status = dict(
        Activity.objects.values("account__status")
        .annotate(n=Count("pk"))
        .values_list("account__status", "n")
    )
    key_accounts = max(1, len({a.pk for a in accounts.values() if a.status == "key"}))
    others = max(1, len(accounts) - key_accounts)
    assert per_status[AccountStatus.KEY] / key_accounts > 3 * (
        sum(n for s, n in per_status.items() if s != AccountStatus.KEY) / others
    )
    kinds = set(Activity.objects.values_list("kind__code", flat=True))
    assert {"business_review", "dinner", "golf", "event"} <= kinds
    assert set(Activity.objects.values_list("purpose", flat=True)) >= {
        "key_account",
        "new_business",
    }
    assert (
        not Activity.objects.filter(kind__code="business_review")
        .exclude(account__status=AccountStatus.KEY)
        .exists()
    )
    # our people are the account team; their people worked there on the day
    teams = set(AccountTeamMember.objects.values_list("account_id", "user_id"))
    for activity in Activity.objects.prefetch_related("our_people", "their_people")[:400]:
        assert {(activity.account_id, u.pk) for u in activity.our_people.all()} <= teams
        day = activity.occurred_at.date()
        for person in activity.their_people.all():
            assert (
                person.account_id == activity.account_id
                or Position.objects.filter(
                    stakeholder=person, account_id=activity.account_id
                ).exists()
            )
            spans = Position.objects.filter(stakeholder=person, account_id=activity.account_id)
            if spans.exists():
                assert any(
                    p.started_on <= day and (p.ended_on is None or day <= p.ended_on) for p in spans
                ), (person, day)
    assert Activity.objects.filter(occurred_at__date__gt=TODAY).exists()  # a few ahead


def plan_accounts():
    from openkam.accounts.models import Account

    return Account.objects.order_by("pk")

"""The demo's target lists and programmes: two by rule, one static, programmes with steps and
touches, the same for the same seed, loaded again without duplicates."""

from __future__ import annotations

import datetime as dt

import pytest

from openkam.accounts.models import Account
from openkam.demo.generator import generate_demo, load_demo
from openkam.demo.marketing import load_marketing
from openkam.marketing.models import ListKind, Programme, TargetList, Touch
from openkam.users.models import User

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 1)


def _picture() -> list:
    return sorted(
        Touch.objects.values_list(
            "step__programme__name", "step__title", "stakeholder__name", "kind", "on"
        )
    )


def test_demo_lists_and_programmes():
    plan = generate_demo(seed=7, accounts=40, today=TODAY)
    load_demo(plan=plan)
    kinds = sorted(TargetList.objects.values_list("kind", flat=True))
    assert kinds == [ListKind.RULE, ListKind.RULE, ListKind.STATIC]
    static = TargetList.objects.get(kind=ListKind.STATIC)
    assert static.accounts.count() >= 5
    assert Programme.objects.filter(account__isnull=False).count() == 3
    assert Programme.objects.filter(target_list=static).count() == 1
    assert all(p.steps.count() == 3 for p in Programme.objects.all())
    assert Touch.objects.count() > 5
    first = _picture()
    accounts = {a.pk: a for a in Account.objects.all()}
    users = {u.username: u for u in User.objects.all()}
    load_marketing(seed=7, today=TODAY, accounts=accounts, users=users)  # again: replaced
    assert TargetList.objects.count() == 3 and Programme.objects.count() == 4
    assert _picture() == first

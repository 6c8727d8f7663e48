"""The demo's competition: a register, presences with history at about a third of the
accounts, tenders won and lost with reasons — the same for the same seed."""

from __future__ import annotations

import datetime as dt

import pytest

from openkam.competitors.models import AccountCompetitor, AccountCompetitorObservation, Competitor
from openkam.demo.generator import generate_demo, load_demo
from openkam.tenders.models import Tender

pytestmark = pytest.mark.django_db


def _picture() -> tuple:
    return (
        sorted(
            AccountCompetitor.objects.values_list(
                "account__name", "competitor__name", "threat_level"
            )
        ),
        sorted(
            Tender.objects.values_list("account__name", "title", "status", "lost_reason", "value")
        ),
    )


def test_demo_competition_is_plausible_and_deterministic():
    today = dt.date(2026, 12, 1)
    load_demo(plan=generate_demo(seed=7, accounts=30, today=today))
    assert Competitor.objects.count() == 12
    accounts = AccountCompetitor.objects.values("account").distinct().count()
    assert 5 <= accounts <= 20
    assert AccountCompetitorObservation.objects.count() >= AccountCompetitor.objects.count()
    lost = Tender.objects.filter(status="lost")
    assert lost.exists() and Tender.objects.filter(status="won").exists()
    assert not lost.filter(lost_reason="").exists()
    first = _picture()
    load_demo(plan=generate_demo(seed=7, accounts=30, today=today), reset=True)
    assert _picture() == first

"""Every built-in rule on small data: what it finds, and the cause it gives."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from openkam.accounts.models import Account
from openkam.alerts import builtin
from openkam.alerts.rules import RuleContext, rules
from openkam.competitors.models import AccountCompetitor, AccountCompetitorObservation, Competitor
from openkam.metrics.models import AccountMetrics, AccountPeriodMetrics, Period
from openkam.stakeholders.services import stakeholder_leave, stakeholder_update
from openkam.tenders.models import Tender

from .conftest import TODAY, make_snapshot

pytestmark = pytest.mark.django_db


def ctx(snapshot=None, as_of=TODAY, **thresholds):
    return RuleContext(
        as_of=as_of,
        account_ids=frozenset(Account.objects.values_list("pk", flat=True)),
        thresholds=thresholds,
        snapshot_id=snapshot.pk if snapshot else None,
    )


def test_every_builtin_rule_is_registered_with_a_playbook_of_two_to_five_steps():
    keys = {r.key: r for r in rules()}
    for key in (
        "overdue",
        "revenue_down",
        "health_red",
        "coverage_gap",
        "key_person_left",
        "competitor_new",
        "tender_lost",
        "late_commitment",
        "unanswered_request",
    ):
        assert key in keys, key
    for rule in keys.values():
        assert 2 <= len(rule.playbook) <= 5, rule.key


def test_overdue_cause_is_the_expected_purchase(world):
    snapshot = make_snapshot()
    expected = TODAY - dt.timedelta(days=20)
    AccountMetrics.objects.create(
        snapshot=snapshot,
        account=world["own"],
        last_purchase=TODAY - dt.timedelta(days=80),
        days_since_purchase=80,
        median_interval=30,
        expected_next_purchase=expected,
        overdue=True,
    )
    AccountMetrics.objects.create(snapshot=snapshot, account=world["foreign"], overdue=False)
    found = list(builtin.find_overdue(ctx(snapshot)))
    assert [(f.account_id, f.cause) for f in found] == [
        (world["own"].pk, f"overdue:{expected.isoformat()}")
    ]
    assert found[0].params["interval"] == 30
    assert list(builtin.find_overdue(ctx(snapshot, days=30))) == []  # only 20 days past


def test_revenue_down_more_than_the_threshold(world):
    snapshot = make_snapshot()
    for account, growth in ((world["own"], -0.35), (world["foreign"], -0.10)):
        AccountPeriodMetrics.objects.create(
            snapshot=snapshot,
            account=account,
            period=Period.QUARTER,
            revenue=Decimal(650),
            revenue_year_ago=Decimal(1000),
            growth_year_ago=growth,
        )
    found = list(builtin.find_revenue_down(ctx(snapshot)))
    assert [f.account_id for f in found] == [world["own"].pk]
    assert found[0].cause == f"quarter:{builtin._quarter_end(TODAY).isoformat()}"
    assert {f.account_id for f in builtin.find_revenue_down(ctx(snapshot, percent=5))} == {
        world["own"].pk,
        world["foreign"].pk,
    }


def test_quarter_end():
    assert builtin._quarter_end(dt.date(2025, 5, 15)) == dt.date(2025, 6, 30)
    assert builtin._quarter_end(dt.date(2025, 12, 31)) == dt.date(2025, 12, 31)


def test_health_turned_red_once_per_spell(world):
    from openkam.health.models import HealthScore

    old, middle, new = (make_snapshot(TODAY - dt.timedelta(days=d)) for d in (60, 30, 0))

    def score(snapshot, account, level):
        HealthScore.objects.create(
            account=account,
            snapshot=snapshot,
            as_of=snapshot.as_of,
            score={"red": 20, "amber": 50, "green": 80}[level],
            level=level,
            components={"coverage": {"score": 0.1}, "tenders_lost": {"missing": True}},
        )

    score(old, world["own"], "green")
    score(middle, world["own"], "red")
    score(new, world["own"], "red")  # red since the middle snapshot
    score(new, world["foreign"], "red")  # no score before: turned red now
    score(old, world["shared"], "red")
    score(middle, world["shared"], "amber")
    score(new, world["shared"], "green")
    found = {f.account_id: f for f in builtin.find_health_red(ctx(new))}
    assert set(found) == {world["own"].pk, world["foreign"].pk}
    assert found[world["own"].pk].cause == f"red-since:{middle.as_of.isoformat()}"
    assert found[world["foreign"].pk].cause == f"red-since:{new.as_of.isoformat()}"
    assert found[world["own"].pk].params["weakest"] == "coverage"


def test_coverage_gap_per_key_person_not_met(world):
    found = list(builtin.find_coverage_gaps(ctx()))
    person = world["own_person"]
    causes = {(f.account_id, f.cause) for f in found}
    assert (world["own"].pk, f"not-met:{person.pk}:never") in causes
    assert all(f.cause.startswith(("not-met", "out-of-touch", "weak")) for f in found)


def test_a_decision_maker_who_left(users, world):
    person = world["own_person"]
    person.positions.update(started_on=TODAY - dt.timedelta(days=400))
    stakeholder_leave(actor=users["director"], stakeholder=person, on=TODAY - dt.timedelta(days=5))
    found = list(builtin.find_key_people_left(ctx()))
    assert [(f.account_id, f.params["name"]) for f in found] == [(world["own"].pk, person.name)]
    assert found[0].cause.startswith("position:")
    assert list(builtin.find_key_people_left(ctx(days=3))) == []  # left 5 days ago


def test_a_new_title_is_no_departure(users, world):
    person = world["foreign_person"]
    person.positions.update(started_on=TODAY - dt.timedelta(days=400))
    stakeholder_update(
        actor=users["director"],
        stakeholder=person,
        data={"job_title": "Head of buying"},
        on=TODAY - dt.timedelta(days=2),
    )
    assert list(builtin.find_key_people_left(ctx())) == []


def test_a_competitor_newly_seen_but_not_an_old_one(world):
    rival, old_rival = (
        Competitor.objects.create(name="Rival"),
        Competitor.objects.create(name="Old rival"),
    )
    new = AccountCompetitor.objects.create(
        account=world["own"], competitor=rival, last_seen=TODAY - dt.timedelta(days=3)
    )
    old = AccountCompetitor.objects.create(
        account=world["foreign"], competitor=old_rival, last_seen=TODAY
    )
    AccountCompetitorObservation.objects.create(
        presence=old, threat_level=3, last_seen=TODAY - dt.timedelta(days=400)
    )
    found = list(builtin.find_competitors_new(ctx()))
    assert [(f.account_id, f.cause) for f in found] == [(world["own"].pk, f"presence:{new.pk}")]


def test_a_tender_lost_recently(world):
    recent = Tender.objects.create(
        account=world["own"],
        title="Private label",
        status="lost",
        lost_reason="price",
        decided_on=TODAY - dt.timedelta(days=10),
    )
    Tender.objects.create(
        account=world["foreign"],
        title="Old one",
        status="lost",
        lost_reason="price",
        decided_on=TODAY - dt.timedelta(days=200),
    )
    Tender.objects.create(account=world["foreign"], title="Won", status="won", decided_on=TODAY)
    found = list(builtin.find_tenders_lost(ctx()))
    assert [(f.account_id, f.cause) for f in found] == [(world["own"].pk, f"tender:{recent.pk}")]
    assert found[0].params["reason"] == "Price"


def test_rules_ignore_accounts_outside_the_context(world):
    Tender.objects.create(
        account=world["own"], title="X", status="lost", lost_reason="price", decided_on=TODAY
    )
    context = RuleContext(as_of=TODAY, account_ids=frozenset({world["foreign"].pk}), thresholds={})
    assert list(builtin.find_tenders_lost(context)) == []
    assert timezone.localdate() == TODAY

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from openkam.alerts import selectors, services
from openkam.alerts.models import Alert, AlertSettings, AlertStatus
from openkam.core.models import ChangeLogEntry
from openkam.plans.models import AccountPlan, PlanAction
from openkam.tenders.models import Tender

from .conftest import TODAY, make_alert

pytestmark = pytest.mark.django_db


def lost_tender(account, days_ago=5, title="Private label"):
    return Tender.objects.create(
        account=account,
        title=title,
        status="lost",
        lost_reason="price",
        decided_on=TODAY - dt.timedelta(days=days_ago),
    )


def only_tenders(director):
    """Switch off every rule but `tender_lost` (the others see the world's coverage gaps)."""
    for current in services.current_settings().values():
        if current.rule.key != "tender_lost":
            services.alert_settings_set(actor=director, rule=current.rule.key, enabled=False)


# -- recompute ---------------------------------------------------------------------------------


def test_recompute_raises_once_per_cause_and_again_when_the_cause_changes(users, world, snapshot):
    only_tenders(users["director"])
    first = lost_tender(world["own"])
    result = services.alerts_recompute(TODAY)
    assert result.raised["tender_lost"] == 1
    alert = Alert.objects.get()
    assert (alert.rule, alert.cause, alert.account) == (
        "tender_lost",
        f"tender:{first.pk}",
        world["own"],
    )
    assert alert.value_at_risk == Decimal(500000)  # the 12 months' revenue of the snapshot
    assert alert.status == AlertStatus.OPEN
    # resolved, then recomputed: the same cause is not raised again
    services.alert_resolve(actor=users["kam1"], alert=alert, note="Debriefed with the buyer")
    again = services.alerts_recompute(TODAY)
    assert again.raised["tender_lost"] == 0 and again.found["tender_lost"] == 1
    assert Alert.objects.count() == 1
    # a new cause (another lost tender) raises a new alert
    lost_tender(world["own"], title="Annual listing")
    assert services.alerts_recompute(TODAY).raised["tender_lost"] == 1
    assert Alert.objects.count() == 2


def test_a_disabled_rule_raises_nothing_and_thresholds_apply(users, world, snapshot):
    only_tenders(users["director"])
    lost_tender(world["own"], days_ago=30)
    services.alert_settings_set(
        actor=users["director"], rule="tender_lost", enabled=True, thresholds={"days": 10}
    )
    assert services.alerts_recompute(TODAY).raised["tender_lost"] == 0
    services.alert_settings_set(
        actor=users["director"], rule="tender_lost", enabled=False, thresholds={"days": 60}
    )
    assert "tender_lost" not in services.alerts_recompute(TODAY).raised
    services.alert_settings_set(actor=users["director"], rule="tender_lost", enabled=True)
    assert services.alerts_recompute(TODAY).raised["tender_lost"] == 1


def test_a_broken_rule_does_not_stop_the_others(users, world, snapshot, monkeypatch):
    from openkam.alerts import rules

    only_tenders(users["director"])
    lost_tender(world["own"])
    services.alert_settings_set(actor=users["director"], rule="overdue", enabled=True)

    def broken(ctx):
        raise RuntimeError("boom")

    monkeypatch.setitem(rules._rules, "overdue", rules.Rule("overdue", "Overdue", broken))
    result = services.alerts_recompute(TODAY)
    assert result.failed == ["overdue"] and result.raised["tender_lost"] == 1


def test_recompute_refreshes_the_value_at_risk(world, snapshot):
    alert = make_alert(world["own"], value=None)
    services.alerts_recompute(TODAY)
    alert.refresh_from_db()
    assert alert.value_at_risk == Decimal(500000)


def test_recompute_runs_after_the_health_scores(
    world, snapshot, monkeypatch, django_capture_on_commit_callbacks
):
    from openkam.health.signals import health_recomputed

    seen = []
    monkeypatch.setattr(
        services,
        "alerts_recompute",
        lambda as_of=None, snapshot_id=None: (
            seen.append(snapshot_id) or services.RecomputeResult(TODAY, snapshot_id, 0)
        ),
    )
    with django_capture_on_commit_callbacks(execute=True):
        health_recomputed.send(sender=None, as_of=TODAY, snapshot_id=snapshot.pk)
    assert seen == [snapshot.pk]


# -- settings ----------------------------------------------------------------------------------


def test_settings_history_newest_in_force_and_validated(users):
    director = users["director"]
    services.alert_settings_set(
        actor=director, rule="revenue_down", enabled=True, thresholds={"percent": 30}
    )
    services.alert_settings_set(
        actor=director, rule="revenue_down", enabled=False, thresholds={"percent": 40}
    )
    current = services.current_settings()["revenue_down"]
    assert (current.enabled, current.thresholds) == (False, {"percent": 40.0})
    assert AlertSettings.objects.filter(rule="revenue_down").count() == 2
    assert services.current_settings()["overdue"].thresholds == {"days": 0.0}
    with pytest.raises(ValidationError):
        services.alert_settings_set(
            actor=director, rule="revenue_down", enabled=True, thresholds={"percent": 500}
        )
    with pytest.raises(ValidationError):
        services.alert_settings_set(
            actor=director, rule="revenue_down", enabled=True, thresholds={"nope": 1}
        )
    with pytest.raises(ValidationError):
        services.alert_settings_set(actor=director, rule="no_such_rule", enabled=True)
    with pytest.raises(PermissionDenied):
        services.alert_settings_set(actor=users["kam1"], rule="revenue_down", enabled=True)


# -- actions -----------------------------------------------------------------------------------


def test_acknowledge_snooze_resolve_write_the_change_log(users, alert):
    kam = users["kam1"]
    services.alert_acknowledge(actor=kam, alert=alert)
    assert alert.status == AlertStatus.ACKNOWLEDGED and alert.acted_by == kam
    services.alert_snooze(actor=kam, alert=alert, until=TODAY + dt.timedelta(days=7))
    assert alert.status == AlertStatus.SNOOZED
    services.alert_resolve(actor=kam, alert=alert, note="Called the buyer; order placed")
    alert.refresh_from_db()
    assert (alert.status, alert.resolved_note, alert.snoozed_until) == (
        AlertStatus.RESOLVED,
        "Called the buyer; order placed",
        None,
    )
    from django.contrib.contenttypes.models import ContentType

    entries = ChangeLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Alert), object_id=alert.pk
    )
    assert entries.count() == 3
    assert {e.account_id for e in entries} == {alert.account_id}
    assert entries.order_by("pk").last().changes["status"]["new"] == "Resolved"
    with pytest.raises(ValidationError):
        services.alert_acknowledge(actor=kam, alert=alert)  # resolved already


@pytest.mark.parametrize(
    ("until", "message"),
    [(None, "Give the date"), (TODAY, "future"), (TODAY + dt.timedelta(days=400), "a year")],
)
def test_snooze_needs_a_future_date(users, alert, until, message):
    with pytest.raises(ValidationError, match=message):
        services.alert_snooze(actor=users["kam1"], alert=alert, until=until)
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN


def test_resolve_needs_a_note(users, alert):
    with pytest.raises(ValidationError):
        services.alert_resolve(actor=users["kam1"], alert=alert, note="  ")
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN


@pytest.mark.parametrize("who", ["kam2", "marketing", "viewer"])
def test_only_who_may_change_the_account_acts(users, alert, who):
    with pytest.raises(PermissionDenied):
        services.alert_acknowledge(actor=users[who], alert=alert)


def test_a_snoozed_alert_reopens_in_the_inbox_the_day_after_its_date(
    users, world, alert, monkeypatch
):
    services.alert_snooze(actor=users["kam1"], alert=alert, until=TODAY + dt.timedelta(days=3))
    assert list(selectors.inbox(user=users["kam1"])) == []
    for days, expected in ((3, []), (4, [alert.pk])):
        later = TODAY + dt.timedelta(days=days)
        monkeypatch.setattr(timezone, "localdate", lambda later=later: later)
        assert [a.pk for a in selectors.inbox(user=users["kam1"])] == expected
    alert.refresh_from_db()
    assert alert.awake and alert.woke_up


# -- inbox -------------------------------------------------------------------------------------


def test_inbox_newest_then_most_valuable_first_and_scoped(users, world):
    old = make_alert(
        world["own"], cause="a", value=Decimal(9_000_000), as_of=TODAY - dt.timedelta(days=7)
    )
    small = make_alert(world["own"], cause="b", value=Decimal(10))
    big = make_alert(world["own_sub"], cause="c", value=Decimal(1000))
    unknown = make_alert(world["shared"], cause="d", value=None)
    foreign = make_alert(world["foreign"], cause="e", value=Decimal(10**9))
    make_alert(world["own"], cause="f", status=AlertStatus.RESOLVED, resolved_note="done")
    make_alert(
        world["own"],
        cause="g",
        status=AlertStatus.SNOOZED,
        snoozed_until=TODAY + dt.timedelta(days=1),
    )
    assert [a.pk for a in selectors.inbox(user=users["kam1"])] == [
        big.pk,
        small.pk,
        unknown.pk,
        old.pk,
    ]
    assert [a.pk for a in selectors.inbox(user=users["director"])] == [
        foreign.pk,
        big.pk,
        small.pk,
        unknown.pk,
        old.pk,
    ]
    assert selectors.inbox_count(user=users["kam1"]) == 4
    # marketing and viewers see every account but own none: nothing in their inbox
    assert list(selectors.inbox(user=users["marketing"])) == []
    assert list(selectors.inbox(user=users["viewer"])) == []


# -- playbook → plan actions -------------------------------------------------------------------


def test_playbook_steps_become_actions_of_a_new_draft_plan(users, world, alert):
    kam = users["kam1"]
    due = TODAY + dt.timedelta(days=10)
    outcome = services.alert_to_plan_actions(actor=kam, alert=alert, steps=[0, 2], due_date=due)
    assert outcome.plan_created and outcome.plan.status == "draft"
    assert outcome.plan.year == TODAY.year and outcome.plan.account == world["own"]
    titles = [a.title for a in PlanAction.objects.order_by("pk")]
    from openkam.alerts.builtin import OVERDUE_PLAYBOOK

    assert titles == [OVERDUE_PLAYBOOK[0], OVERDUE_PLAYBOOK[2]]
    assert {a.owner for a in PlanAction.objects.all()} == {kam}
    assert {a.due_date for a in PlanAction.objects.all()} == {due}
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACKNOWLEDGED
    # again: into the same plan and objective
    second = services.alert_to_plan_actions(actor=kam, alert=alert, steps=[1], due_date=due)
    assert not second.plan_created and AccountPlan.objects.count() == 1
    assert PlanAction.objects.count() == 3
    assert len({a.objective_id for a in PlanAction.objects.all()}) == 1


def test_playbook_goes_to_the_existing_plan_and_is_validated(users, world, alert):
    from openkam.plans.services import account_plan_create

    kam = users["kam1"]
    plan = account_plan_create(actor=kam, account=world["own"], year=TODAY.year)
    due = TODAY + dt.timedelta(days=3)
    for steps, due_date in (([], due), ([99], due), ([0], TODAY - dt.timedelta(days=1))):
        with pytest.raises(ValidationError):
            services.alert_to_plan_actions(actor=kam, alert=alert, steps=steps, due_date=due_date)
    outcome = services.alert_to_plan_actions(actor=kam, alert=alert, steps=[0], due_date=due)
    assert outcome.plan == plan and not outcome.plan_created
    with pytest.raises(PermissionDenied):
        services.alert_to_plan_actions(actor=users["viewer"], alert=alert, steps=[0], due_date=due)


def test_no_plan_for_an_account_that_is_not_key(users, world, alert):
    from openkam.accounts.models import Account

    Account.objects.filter(pk=world["own"].pk).update(status="active")
    alert.account.refresh_from_db()
    with pytest.raises(ValidationError, match="key account"):
        services.alert_to_plan_actions(
            actor=users["kam1"], alert=alert, steps=[0], due_date=TODAY + dt.timedelta(days=1)
        )
    assert PlanAction.objects.count() == 0

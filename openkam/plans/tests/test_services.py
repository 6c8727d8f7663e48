import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from openkam.accounts.models import Account, AccountStatus
from openkam.activities.models import Activity, ActivityKind
from openkam.core.models import ChangeLogEntry
from openkam.plans import selectors, services
from openkam.plans.models import AccountPlan, PlanAction, PlanObjective

from .conftest import YEAR

TODAY = timezone.localdate()


def test_create_records_the_change_log(users, world, plan):
    entry = ChangeLogEntry.objects.filter(object_id=plan.pk, action="create").latest("id")
    assert entry.account_id == world["own"].pk
    assert plan.currency  # the reporting currency of the metrics


def test_one_plan_per_account_and_year(users, world, plan):
    with pytest.raises(ValidationError, match="already has a plan for that year"):
        services.account_plan_create(actor=users["kam1"], account=world["own"], year=YEAR)


def test_only_key_accounts_have_a_plan(users, world):
    Account.objects.filter(pk=world["own"].pk).update(status=AccountStatus.ACTIVE)
    world["own"].refresh_from_db()
    with pytest.raises(ValidationError, match="Only key accounts"):
        services.account_plan_create(actor=users["kam1"], account=world["own"], year=YEAR)


def test_a_kam_may_not_plan_a_foreign_account_nor_a_viewer_any(users, world):
    with pytest.raises(PermissionDenied):
        services.account_plan_create(actor=users["kam1"], account=world["foreign"], year=YEAR)
    with pytest.raises(PermissionDenied):
        services.account_plan_create(actor=users["viewer"], account=world["own"], year=YEAR)
    with pytest.raises(PermissionDenied):
        services.account_plan_create(actor=users["marketing"], account=world["own"], year=YEAR)


def test_a_done_action_needs_its_done_date(users, action):
    with pytest.raises(ValidationError) as error:
        services.plan_action_update(actor=users["kam1"], action=action, data={"status": "done"})
    assert "done_on" in error.value.message_dict
    action = PlanAction.objects.get(pk=action.pk)
    with pytest.raises(ValidationError, match="Only a done action"):
        services.plan_action_update(actor=users["kam1"], action=action, data={"done_on": TODAY})
    action = PlanAction.objects.get(pk=action.pk)
    services.plan_action_update(
        actor=users["kam1"], action=action, data={"status": "done", "done_on": TODAY}
    )
    assert PlanAction.objects.get(pk=action.pk).status == "done"


def test_an_action_owner_must_be_on_the_account_team(users, objective):
    with pytest.raises(ValidationError, match="not on the team"):
        services.plan_action_create(
            actor=users["kam1"],
            objective=objective,
            data={"title": "Call", "owner": users["viewer"], "due_date": TODAY},
        )


def test_risk_scores_are_one_to_five(users, plan):
    with pytest.raises(ValidationError) as error:
        services.plan_risk_create(
            actor=users["kam1"], plan=plan, data={"description": "Price war", "likelihood": 6}
        )
    assert "likelihood" in error.value.message_dict


def test_a_review_links_only_a_business_review_of_the_account(users, world, plan):
    kind, _ = ActivityKind.objects.get_or_create(code="call", defaults={"name": "Call"})
    call = Activity.objects.create(
        account=world["own"], kind=kind, occurred_at=timezone.now(), subject="Call"
    )
    with pytest.raises(ValidationError, match="business review"):
        services.plan_review_create(
            actor=users["kam1"], plan=plan, data={"held_on": TODAY, "activity": call}
        )
    with pytest.raises(ValidationError, match="do not work at"):
        services.plan_review_create(
            actor=users["kam1"],
            plan=plan,
            data={"held_on": TODAY},
            their_attendees=[world["foreign_person"]],
        )
    review = services.plan_review_create(
        actor=users["kam1"],
        plan=plan,
        data={"held_on": TODAY, "notes": "Went through Q3"},
        our_attendees=[users["kam1"]],
        their_attendees=[world["own_person"]],
    )
    assert list(review.their_attendees.all()) == [world["own_person"]]


def test_copy_keeps_goals_propositions_risks_and_open_actions(users, plan, objective, action):
    services.value_proposition_create(
        actor=users["kam1"],
        plan=plan,
        data={"kind": "grow_spend", "description": "Bundles", "expected_effect": "+5 % basket"},
    )
    services.plan_risk_create(actor=users["kam1"], plan=plan, data={"description": "Price war"})
    services.plan_action_create(
        actor=users["kam1"],
        objective=objective,
        data={
            "title": "Done already",
            "owner": users["kam1"],
            "due_date": TODAY,
            "status": "done",
            "done_on": TODAY,
        },
    )
    services.plan_review_create(actor=users["kam1"], plan=plan, data={"held_on": TODAY})
    copy = services.account_plan_copy(actor=users["kam1"], plan=plan, year=YEAR + 1)
    assert copy.copied_from == plan and copy.revenue_target == plan.revenue_target
    assert copy.value_propositions.count() == 1 and copy.risks.count() == 1
    assert copy.reviews.count() == 0
    titles = list(PlanAction.objects.filter(objective__plan=copy).values_list("title", flat=True))
    assert titles == ["Propose a planogram"]
    assert PlanObjective.objects.filter(plan=copy).count() == 1
    with pytest.raises(ValidationError):
        services.account_plan_copy(actor=users["kam1"], plan=plan, year=YEAR + 1)


def test_completeness_lists_empty_and_stale_sections(users, plan, objective, action):
    fresh = selectors.plan_list(user=users["kam1"]).get(pk=plan.pk)
    check = selectors.completeness(fresh, today=dt.date(YEAR, 12, 31))
    by_code = {c.code: c for c in check.checks}
    assert by_code["objectives"].done and by_code["actions"].done
    assert not by_code["goals"].done and "margin" in by_code["goals"].detail
    assert not by_code["value_propositions"].done and not by_code["risks"].done
    assert not by_code["reviews"].done  # nothing held by the end of March
    assert check.percent == round(2 / 6 * 100)
    # past its due date the action is overdue
    later = action.due_date + dt.timedelta(days=1)
    late = selectors.with_figures(AccountPlan.objects.filter(pk=plan.pk), today=later).get()
    assert not {c.code: c for c in selectors.completeness(late, today=later).checks}["actions"].done


def test_overdue_actions_are_counted(users, plan, objective, action):
    PlanAction.objects.filter(pk=action.pk).update(due_date=TODAY - dt.timedelta(days=1))
    fresh = selectors.plan_list(user=users["kam1"]).get(pk=plan.pk)
    assert fresh.n_overdue == 1
    assert PlanAction.objects.get(pk=action.pk).overdue


def test_delete_is_logged(users, plan):
    pk = plan.pk
    services.account_plan_delete(actor=users["kam1"], plan=plan)
    assert not AccountPlan.objects.filter(pk=pk).exists()
    assert ChangeLogEntry.objects.filter(object_id=pk, action="delete").exists()

"""Writes on account plans and their parts, each recorded in the account's change log.

Who may: the account team (a KAM) on the accounts they may change, directors and
administrators on all; marketing and viewers only read. Each write needs the model permission
(`plans.add_planaction` …) and the right to change the plan's account.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from openkam.accounts.models import Account, TeamRole
from openkam.accounts.selectors import account_may
from openkam.core.changelog import (
    changelog_record,
    creation_changes,
    deletion_changes,
    model_snapshot,
    snapshot_diff,
)
from openkam.core.models import ChangeAction
from openkam.stakeholders.models import Stakeholder
from openkam.users.models import User

from .models import (
    OPEN_STATUSES,
    AccountPlan,
    PlanAction,
    PlanObjective,
    PlanReview,
    PlanRisk,
    ValueProposition,
)

PLAN_FIELDS = (
    "status",
    "ambition",
    "revenue_target",
    "margin_target",
    "wallet_estimate",
    "share_of_wallet_target",
    "review_cadence",
)
VALUE_PROPOSITION_FIELDS = ("kind", "description", "expected_effect", "expected_amount")
OBJECTIVE_FIELDS = ("title", "description")
ACTION_FIELDS = ("title", "owner", "due_date", "status", "done_on")
RISK_FIELDS = ("description", "likelihood", "impact", "mitigation")
REVIEW_FIELDS = ("held_on", "notes", "activity")


def _holds(actor: User, permission: str) -> bool:
    return actor.is_active and (actor.is_superuser or actor.has_perm(permission))


def _permission(model: type[models.Model], action: str) -> str:
    return f"plans.{action}_{model._meta.model_name}"


def may_write(actor: User, account: Account, model: type[models.Model], action: str) -> bool:
    """May `actor` `action` ("add", "change", "delete") a `model` row of `account`'s plan?"""
    return _holds(actor, _permission(model, action)) and account_may(actor, account, "change")


def may_manage(actor: User, account: Account) -> bool:
    """May `actor` write the plans of `account` (create one, add to one)?"""
    return may_write(actor, account, AccountPlan, "add")


def _require(actor: User, account: Account, model: type[models.Model], action: str) -> None:
    if not may_write(actor, account, model, action):
        raise PermissionDenied(
            _("You may not change the account plans of %(account)s.") % {"account": account}
        )


def _set_fields(instance: models.Model, data: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    for field, value in data.items():
        if field not in allowed:
            raise ValueError(f"{type(instance).__name__} field not editable here: {field}")
        setattr(instance, field, value)


def _account_of(instance: models.Model) -> Account:
    if isinstance(instance, AccountPlan):
        return instance.account
    if isinstance(instance, PlanAction):
        return instance.objective.plan.account
    return instance.plan.account


def _create(actor: User, instance: models.Model, data: Mapping[str, Any], fields) -> Any:
    account = _account_of(instance)
    _require(actor, account, type(instance), "add")
    _set_fields(instance, data, fields)
    instance.full_clean()
    instance.save()
    return instance


def _log_create(actor: User, instance: models.Model, extra: dict | None = None) -> None:
    changelog_record(
        actor=actor,
        action=ChangeAction.CREATE,
        instance=instance,
        account_id=_account_of(instance).pk,
        changes=creation_changes(instance) | (extra or {}),
    )


def _update(actor: User, instance: models.Model, data: Mapping[str, Any], fields) -> Any:
    account = _account_of(instance)
    _require(actor, account, type(instance), "change")
    before = model_snapshot(instance)
    _set_fields(instance, data, fields)
    instance.full_clean()
    instance.save()
    changelog_record(
        actor=actor,
        action=ChangeAction.UPDATE,
        instance=instance,
        account_id=account.pk,
        changes=snapshot_diff(before, model_snapshot(instance)),
    )
    return instance


def _delete(actor: User, instance: models.Model) -> None:
    account = _account_of(instance)
    _require(actor, account, type(instance), "delete")
    changelog_record(
        actor=actor,
        action=ChangeAction.DELETE,
        instance=instance,
        account_id=account.pk,
        changes=deletion_changes(instance),
    )
    instance.delete()


# The plan ------------------------------------------------------------------------------------


@transaction.atomic
def account_plan_create(
    *, actor: User, account: Account, year: int, data: Mapping[str, Any] | None = None
) -> AccountPlan:
    """A plan of `account` (a key account) for `year`."""
    plan = _create(actor, AccountPlan(account=account, year=year), data or {}, PLAN_FIELDS)
    _log_create(actor, plan)
    return plan


@transaction.atomic
def account_plan_update(*, actor: User, plan: AccountPlan, data: Mapping[str, Any]) -> AccountPlan:
    return _update(actor, plan, data, PLAN_FIELDS)


@transaction.atomic
def account_plan_delete(*, actor: User, plan: AccountPlan) -> None:
    _delete(actor, plan)


@transaction.atomic
def account_plan_copy(*, actor: User, plan: AccountPlan, year: int) -> AccountPlan:
    """A new plan for `year` from `plan`: its goals, cadence, value propositions, risks and
    objectives with the actions still open (not the done or dropped ones, nor the reviews)."""
    account = plan.account
    _require(actor, account, AccountPlan, "add")
    if year == plan.year:
        raise ValidationError({"year": _("Copy the plan to another year than its own.")})
    data = {field: getattr(plan, field) for field in PLAN_FIELDS if field != "status"}
    copy = AccountPlan(account=account, year=year, copied_from=plan)
    _set_fields(copy, data, PLAN_FIELDS)
    copy.full_clean()
    copy.save()
    propositions = [
        ValueProposition(plan=copy, **{f: getattr(v, f) for f in VALUE_PROPOSITION_FIELDS})
        for v in plan.value_propositions.all()
    ]
    risks = [
        PlanRisk(plan=copy, **{f: getattr(r, f) for f in RISK_FIELDS}) for r in plan.risks.all()
    ]
    for row in (*propositions, *risks):
        row.full_clean(exclude=["plan"])
    ValueProposition.objects.bulk_create(propositions)
    PlanRisk.objects.bulk_create(risks)
    actions = 0
    team = dict(account.team.values_list("user_id", "role"))
    owner = next((user for user, role in team.items() if role == TeamRole.OWNER), None)
    for objective in plan.objectives.prefetch_related("actions"):
        new = PlanObjective.objects.create(
            plan=copy, title=objective.title, description=objective.description
        )
        open_actions = [
            PlanAction(
                objective=new,
                **{f: getattr(a, f) for f in ACTION_FIELDS if f != "owner"},
                # whoever left the account team hands their open actions to its owner
                owner_id=a.owner_id if a.owner_id in team or owner is None else owner,
            )
            for a in objective.actions.all()
            if a.status in OPEN_STATUSES
        ]
        PlanAction.objects.bulk_create(open_actions)
        actions += len(open_actions)
    extra = {
        "copied_from": {"label": "copied from", "old": "", "new": str(plan)},
        "parts": {
            "label": "copied parts",
            "old": "",
            "new": (
                f"{len(propositions)} value propositions, {copy.objectives.count()} objectives, "
                f"{actions} open actions, {len(risks)} risks"
            ),
        },
    }
    _log_create(actor, copy, extra)
    return copy


# Value propositions, objectives, actions, risks ----------------------------------------------


@transaction.atomic
def value_proposition_create(
    *, actor: User, plan: AccountPlan, data: Mapping[str, Any]
) -> ValueProposition:
    proposition = _create(actor, ValueProposition(plan=plan), data, VALUE_PROPOSITION_FIELDS)
    _log_create(actor, proposition)
    return proposition


@transaction.atomic
def value_proposition_update(
    *, actor: User, proposition: ValueProposition, data: Mapping[str, Any]
) -> ValueProposition:
    return _update(actor, proposition, data, VALUE_PROPOSITION_FIELDS)


@transaction.atomic
def value_proposition_delete(*, actor: User, proposition: ValueProposition) -> None:
    _delete(actor, proposition)


@transaction.atomic
def plan_objective_create(
    *, actor: User, plan: AccountPlan, data: Mapping[str, Any]
) -> PlanObjective:
    objective = _create(actor, PlanObjective(plan=plan), data, OBJECTIVE_FIELDS)
    _log_create(actor, objective)
    return objective


@transaction.atomic
def plan_objective_update(
    *, actor: User, objective: PlanObjective, data: Mapping[str, Any]
) -> PlanObjective:
    return _update(actor, objective, data, OBJECTIVE_FIELDS)


@transaction.atomic
def plan_objective_delete(*, actor: User, objective: PlanObjective) -> None:
    """Delete the objective with its actions."""
    _delete(actor, objective)


@transaction.atomic
def plan_action_create(
    *, actor: User, objective: PlanObjective, data: Mapping[str, Any]
) -> PlanAction:
    action = _create(actor, PlanAction(objective=objective), data, ACTION_FIELDS)
    _log_create(actor, action)
    return action


@transaction.atomic
def plan_action_update(*, actor: User, action: PlanAction, data: Mapping[str, Any]) -> PlanAction:
    return _update(actor, action, data, ACTION_FIELDS)


@transaction.atomic
def plan_action_delete(*, actor: User, action: PlanAction) -> None:
    _delete(actor, action)


@transaction.atomic
def plan_risk_create(*, actor: User, plan: AccountPlan, data: Mapping[str, Any]) -> PlanRisk:
    risk = _create(actor, PlanRisk(plan=plan), data, RISK_FIELDS)
    _log_create(actor, risk)
    return risk


@transaction.atomic
def plan_risk_update(*, actor: User, risk: PlanRisk, data: Mapping[str, Any]) -> PlanRisk:
    return _update(actor, risk, data, RISK_FIELDS)


@transaction.atomic
def plan_risk_delete(*, actor: User, risk: PlanRisk) -> None:
    _delete(actor, risk)


# Reviews -------------------------------------------------------------------------------------


def _attendees(
    plan: AccountPlan, our_people: Iterable[User], their_people: Iterable[Stakeholder]
) -> tuple[list[User], list[Stakeholder]]:
    ours, theirs = list(our_people), list(their_people)
    errors = {}
    if any(not user.is_active for user in ours):
        errors["our_attendees"] = _("Only active users can have been present.")
    foreign = [str(s) for s in theirs if s.account_id != plan.account_id]
    if foreign:
        errors["their_attendees"] = _("%(people)s do not work at %(account)s.") % {
            "people": ", ".join(foreign),
            "account": plan.account,
        }
    if errors:
        raise ValidationError(errors)
    return ours, theirs


def _attendee_names(review: PlanReview) -> tuple[list[str], list[str]]:
    return (
        sorted(u.get_username() for u in review.our_attendees.all()),
        sorted(s.name for s in review.their_attendees.all()),
    )


def _attendee_changes(before, after) -> dict[str, dict[str, Any]]:
    changes = {}
    for name, label, old, new in (
        ("our_attendees", "our people present", before[0], after[0]),
        ("their_attendees", "their people present", before[1], after[1]),
    ):
        if old != new:
            changes[name] = {"label": label, "old": ", ".join(old), "new": ", ".join(new)}
    return changes


@transaction.atomic
def plan_review_create(
    *,
    actor: User,
    plan: AccountPlan,
    data: Mapping[str, Any],
    our_attendees: Iterable[User] = (),
    their_attendees: Iterable[Stakeholder] = (),
) -> PlanReview:
    """Record a business review of the plan, with who was there on both sides."""
    _require(actor, plan.account, PlanReview, "add")
    ours, theirs = _attendees(plan, our_attendees, their_attendees)
    review = _create(actor, PlanReview(plan=plan), data, REVIEW_FIELDS)
    review.our_attendees.set(ours)
    review.their_attendees.set(theirs)
    _log_create(actor, review, _attendee_changes(([], []), _attendee_names(review)))
    return review


@transaction.atomic
def plan_review_update(
    *,
    actor: User,
    review: PlanReview,
    data: Mapping[str, Any],
    our_attendees: Iterable[User] | None = None,
    their_attendees: Iterable[Stakeholder] | None = None,
) -> PlanReview:
    _require(actor, review.plan.account, PlanReview, "change")
    before, people_before = model_snapshot(review), _attendee_names(review)
    _set_fields(review, data, REVIEW_FIELDS)
    review.full_clean()
    ours, theirs = _attendees(
        review.plan,
        review.our_attendees.all() if our_attendees is None else our_attendees,
        review.their_attendees.all() if their_attendees is None else their_attendees,
    )
    review.save()
    review.our_attendees.set(ours)
    review.their_attendees.set(theirs)
    changes = snapshot_diff(before, model_snapshot(review))
    changes |= _attendee_changes(people_before, _attendee_names(review))
    changelog_record(
        actor=actor,
        action=ChangeAction.UPDATE,
        instance=review,
        account_id=review.plan.account_id,
        changes=changes,
    )
    return review


@transaction.atomic
def plan_review_delete(*, actor: User, review: PlanReview) -> None:
    _delete(actor, review)

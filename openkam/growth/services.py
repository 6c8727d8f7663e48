"""Writes of the growth app, each recorded in the account's change log.

Who may: the account team (a KAM) on the accounts they may change, directors and
administrators on all; marketing and viewers read. Deciding on a suggestion takes
`growth.change_growthopportunity`, estimates `growth.add_walletestimate` (change, delete),
and both the right to change the account.

The wallet rule (`wallet_estimates_by_rule`): what a customer spends on a category, from all
suppliers, is estimated as the larger of what it buys from us and what a typical account of
its size band buys from us there (the band's median spend), divided by the share of wallet
we typically hold in the category — the median share of the entered estimates for that
category and year (at least `TYPICAL_SHARE_MIN_ESTIMATES` of them), or `DEFAULT_SHARE`.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
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
from openkam.plans import services as plan_services
from openkam.plans.models import AccountPlan, PlanAction
from openkam.users.models import User

from . import selectors
from .models import (
    GrowthOpportunity,
    OpportunityKind,
    OpportunityStatus,
    WalletEstimate,
    WalletSource,
)

ESTIMATE_FIELDS = ("category", "year", "estimated_spend", "note")
DEFAULT_SHARE = Decimal("0.40")  # our share of a customer's wallet when nothing says better
TYPICAL_SHARE_MIN_ESTIMATES = 3
PLAN_ACTION_DAYS = 90  # an accepted opportunity's plan action is due this many days later
CENT = Decimal("0.01")


def holds(actor: User, permission: str) -> bool:
    return actor.is_active and (actor.is_superuser or actor.has_perm(permission))


def may_decide(actor: User, account: Account) -> bool:
    """May `actor` accept or dismiss the growth suggestions of `account`?"""
    return holds(actor, "growth.change_growthopportunity") and account_may(actor, account, "change")


def may_estimate(actor: User, account: Account, action: str = "add") -> bool:
    """May `actor` add (change, delete) wallet estimates of `account`?"""
    return holds(actor, f"growth.{action}_walletestimate") and account_may(actor, account, "change")


def _log_update(actor: User, instance, before: dict, account_id: int) -> None:
    changelog_record(
        actor=actor,
        action=ChangeAction.UPDATE,
        instance=instance,
        account_id=account_id,
        changes=snapshot_diff(before, model_snapshot(instance)),
    )


def _require_decide(actor: User, opportunity: GrowthOpportunity) -> None:
    if not may_decide(actor, opportunity.account):
        raise PermissionDenied(
            _("You may not decide on the growth opportunities of %(account)s.")
            % {"account": opportunity.account}
        )


def current_plan(account: Account, today: dt.date | None = None) -> AccountPlan | None:
    """The account's plan of this year, if it has one."""
    year = (today or timezone.localdate()).year
    return AccountPlan.objects.filter(account=account, year=year).first()


def plan_action_for(actor: User, opportunity: GrowthOpportunity, plan: AccountPlan) -> PlanAction:
    """A plan action for the accepted opportunity, under the plan's growth objective (made
    when the plan has none), owned by the actor when on the account team, else the owner."""
    title = _("Grow the account: cross-sell and up-sell")
    objective = plan.objectives.filter(title=title).first()
    if objective is None:
        objective = plan_services.plan_objective_create(
            actor=actor, plan=plan, data={"title": title}
        )
    team = opportunity.account.team
    member = team.filter(user=actor).first() or team.filter(role=TeamRole.OWNER).first()
    if member is None:
        raise ValidationError(
            _("%(account)s has nobody on its team to own the plan action: add an owner first.")
            % {"account": opportunity.account}
        )
    verb = (
        _("Sell %(category)s")
        if opportunity.kind == OpportunityKind.CROSS_SELL
        else _("Sell more %(category)s")
    )
    return plan_services.plan_action_create(
        actor=actor,
        objective=objective,
        data={
            "title": (verb % {"category": opportunity.category})[:200],
            "owner": member.user,
            "due_date": timezone.localdate() + dt.timedelta(days=PLAN_ACTION_DAYS),
        },
    )


@transaction.atomic
def opportunity_accept(
    *,
    actor: User,
    opportunity: GrowthOpportunity,
    expected_value: Decimal | None = None,
    add_to_plan: bool = False,
) -> GrowthOpportunity:
    """Accept a suggestion with the value the KAM expects (the engine's figure by default);
    with `add_to_plan`, it also becomes an action of the account's plan of this year."""
    _require_decide(actor, opportunity)
    before = model_snapshot(opportunity)
    opportunity.status = OpportunityStatus.ACCEPTED
    opportunity.expected_value = (
        expected_value if expected_value is not None else opportunity.expected_revenue
    )
    opportunity.dismissed_reason = ""
    opportunity.decided_by, opportunity.decided_at = actor, timezone.now()
    if add_to_plan and opportunity.plan_action_id is None:
        plan = current_plan(opportunity.account)
        if plan is None:
            raise ValidationError(
                {
                    "add_to_plan": _(
                        "%(account)s has no account plan for this year: create it first, "
                        "or accept without adding it to the plan."
                    )
                    % {"account": opportunity.account}
                }
            )
        opportunity.plan_action = plan_action_for(actor, opportunity, plan)
    opportunity.full_clean()
    opportunity.save()
    _log_update(actor, opportunity, before, opportunity.account_id)
    return opportunity


@transaction.atomic
def opportunity_dismiss(
    *, actor: User, opportunity: GrowthOpportunity, reason: str
) -> GrowthOpportunity:
    """Dismiss a suggestion with the reason; it stays dismissed when suggested again."""
    _require_decide(actor, opportunity)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the opportunity is dismissed.")})
    before = model_snapshot(opportunity)
    opportunity.status = OpportunityStatus.DISMISSED
    opportunity.dismissed_reason = reason
    opportunity.decided_by, opportunity.decided_at = actor, timezone.now()
    opportunity.full_clean()
    opportunity.save()
    _log_update(actor, opportunity, before, opportunity.account_id)
    return opportunity


@transaction.atomic
def opportunity_reopen(*, actor: User, opportunity: GrowthOpportunity) -> GrowthOpportunity:
    """Take a decision back: the opportunity is a suggestion again (its plan action stays)."""
    _require_decide(actor, opportunity)
    before = model_snapshot(opportunity)
    opportunity.status = OpportunityStatus.SUGGESTED
    opportunity.dismissed_reason = ""
    opportunity.expected_value = None
    opportunity.decided_by, opportunity.decided_at = actor, timezone.now()
    opportunity.full_clean()
    opportunity.save()
    _log_update(actor, opportunity, before, opportunity.account_id)
    return opportunity


# Wallet estimates ----------------------------------------------------------------------------


def _set_estimate_fields(estimate: WalletEstimate, data: Mapping[str, Any]) -> None:
    for field, value in data.items():
        if field not in ESTIMATE_FIELDS:
            raise ValueError(f"wallet estimate field not editable here: {field}")
        setattr(estimate, field, "" if value is None and field == "note" else value)


@transaction.atomic
def wallet_estimate_create(
    *, actor: User, account: Account, data: Mapping[str, Any]
) -> WalletEstimate:
    """Enter an estimate; one the rule made for the same category and year is replaced."""
    if not may_estimate(actor, account):
        raise PermissionDenied(
            _("You may not enter wallet estimates of %(account)s.") % {"account": account}
        )
    estimate = WalletEstimate(account=account, source=WalletSource.ENTERED)
    _set_estimate_fields(estimate, data)
    if estimate.category_id and estimate.year:
        WalletEstimate.objects.filter(
            account=account,
            category_id=estimate.category_id,
            year=estimate.year,
            source=WalletSource.RULE,
        ).delete()
    estimate.full_clean()
    estimate.save()
    changelog_record(
        actor=actor,
        action=ChangeAction.CREATE,
        instance=estimate,
        account_id=account.pk,
        changes=creation_changes(estimate),
    )
    return estimate


@transaction.atomic
def wallet_estimate_update(
    *, actor: User, estimate: WalletEstimate, data: Mapping[str, Any]
) -> WalletEstimate:
    """Change an estimate; a rule's estimate changed by hand becomes an entered one."""
    if not may_estimate(actor, estimate.account, "change"):
        raise PermissionDenied(
            _("You may not change wallet estimates of %(account)s.") % {"account": estimate.account}
        )
    before = model_snapshot(estimate)
    _set_estimate_fields(estimate, data)
    estimate.source = WalletSource.ENTERED
    estimate.full_clean()
    estimate.save()
    _log_update(actor, estimate, before, estimate.account_id)
    return estimate


@transaction.atomic
def wallet_estimate_delete(*, actor: User, estimate: WalletEstimate) -> None:
    if not may_estimate(actor, estimate.account, "delete"):
        raise PermissionDenied(
            _("You may not delete wallet estimates of %(account)s.") % {"account": estimate.account}
        )
    changelog_record(
        actor=actor,
        action=ChangeAction.DELETE,
        instance=estimate,
        account_id=estimate.account_id,
        changes=deletion_changes(estimate),
    )
    estimate.delete()


def typical_shares(year: int) -> dict[int, Decimal]:
    """Per category, the median share of wallet of the entered estimates of `year` (our
    revenue in the latest snapshot ÷ the estimate), where there are enough of them."""
    shares: dict[int, list[Decimal]] = {}
    entered = list(
        WalletEstimate.objects.filter(
            year=year, source=WalletSource.ENTERED, estimated_spend__gt=0
        ).values_list("account_id", "category_id", "estimated_spend")
    )
    spend = selectors.spend_of({account_id for account_id, _c, _s in entered})
    for account_id, category_id, estimated in entered:
        ours = spend.get((account_id, category_id))
        if ours is not None:
            shares.setdefault(category_id, []).append(min(ours / estimated, Decimal(1)))
    return {
        category: Decimal(str(statistics.median(values)))
        for category, values in shares.items()
        if len(values) >= TYPICAL_SHARE_MIN_ESTIMATES
    }


@transaction.atomic
def wallet_estimates_by_rule(*, actor: User, account: Account, year: int) -> list[WalletEstimate]:
    """Estimate, by the rule (see the module's docstring), the categories of `account` that
    have no entered estimate for `year`; earlier estimates of the rule are replaced."""
    if not may_estimate(actor, account):
        raise PermissionDenied(
            _("You may not enter wallet estimates of %(account)s.") % {"account": account}
        )
    shares = typical_shares(year)
    entered = set(
        WalletEstimate.objects.filter(
            account=account, year=year, source=WalletSource.ENTERED
        ).values_list("category_id", flat=True)
    )
    WalletEstimate.objects.filter(account=account, year=year, source=WalletSource.RULE).delete()
    made = []
    for category_id, ours, typical in selectors.rule_inputs(account):
        if category_id in entered:
            continue
        share = shares.get(category_id, DEFAULT_SHARE)
        spend = (max(ours, typical) / share).quantize(CENT)
        if spend <= 0:
            continue
        note = _(
            "By the rule: the larger of our revenue (%(ours)s) and the size band's median "
            "(%(typical)s), divided by a typical share of wallet of %(share)s %%."
        ) % {"ours": ours, "typical": typical, "share": (share * 100).quantize(Decimal("0.1"))}
        made.append(
            WalletEstimate(
                account=account,
                category_id=category_id,
                year=year,
                estimated_spend=spend,
                source=WalletSource.RULE,
                note=note,
            )
        )
    for estimate in made:
        estimate.full_clean()
    WalletEstimate.objects.bulk_create(made)
    for estimate in made:
        changelog_record(
            actor=actor,
            action=ChangeAction.CREATE,
            instance=estimate,
            account_id=account.pk,
            changes=creation_changes(estimate),
        )
    return made

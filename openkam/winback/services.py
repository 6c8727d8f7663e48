"""Writes on win-back campaigns, each recorded in the change log (campaign accounts and their
contact steps in their account's).

Who may: starting a campaign takes `winback.add_campaign`; putting an account in it takes
`winback.add_campaignaccount` and the right to change that account (a KAM: their own accounts).
The campaign's owner, or a director, changes and deletes it; the account's team works its
campaign accounts (status, contact steps).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from openkam.accounts.models import Account
from openkam.accounts.selectors import account_may
from openkam.activities import services as activity_services
from openkam.core import formatting
from openkam.core.changelog import (
    changelog_record,
    creation_changes,
    deletion_changes,
    model_snapshot,
    snapshot_diff,
)
from openkam.core.models import ChangeAction
from openkam.users.models import User

from .models import Campaign, CampaignAccount, CampaignStep

CAMPAIGN_FIELDS = (
    "name",
    "offer_kind",
    "offer_description",
    "budget",
    "starts_on",
    "ends_on",
    "measure_days",
)
TARGET_FIELDS = ("offer_cost", "status")
CENT = Decimal("0.01")


def holds(actor: User, permission: str) -> bool:
    return actor.is_active and (actor.is_superuser or actor.has_perm(permission))


def may_target(actor: User, account: Account, action: str = "add") -> bool:
    """Whether `actor` may put `account` in a campaign (change, remove it)."""
    return holds(actor, f"winback.{action}_campaignaccount") and account_may(
        actor, account, "change"
    )


def may_start(actor: User) -> bool:
    return holds(actor, "winback.add_campaign") and holds(actor, "winback.add_campaignaccount")


def may_manage(actor: User, campaign: Campaign, action: str = "change") -> bool:
    return Campaign.objects.visible_to(actor, action).filter(pk=campaign.pk).exists()


def even_share(budget: Decimal, count: int) -> Decimal:
    """The budget split evenly over `count` accounts, rounded down to the cent."""
    if count <= 0:
        return Decimal("0")
    return (Decimal(budget) / count).quantize(CENT, rounding=ROUND_DOWN)


def _set_fields(campaign: Campaign, data: Mapping[str, Any]) -> None:
    for field, value in data.items():
        if field not in CAMPAIGN_FIELDS:
            raise ValueError(f"campaign field not editable here: {field}")
        setattr(campaign, field, "" if value is None and field == "offer_description" else value)


def _check_budget(campaign: Campaign, extra_cost: Decimal = Decimal("0")) -> None:
    spent = sum((t.offer_cost for t in campaign.targets.all()), Decimal("0")) + extra_cost
    if campaign.budget is not None and spent > campaign.budget:
        raise ValidationError(
            {
                "budget": _(
                    "The offers cost %(spent)s in total, more than the budget of %(budget)s: "
                    "raise the budget or lower the cost per account."
                )
                % {
                    "spent": formatting.money(spent, settings.REPORTING_CURRENCY),
                    "budget": formatting.money(campaign.budget, settings.REPORTING_CURRENCY),
                }
            }
        )


def _add_target(
    actor: User, campaign: Campaign, account: Account, cost: Decimal
) -> CampaignAccount:
    if not may_target(actor, account):
        raise PermissionDenied(
            _("You may not put %(account)s in a campaign.") % {"account": account}
        )
    target = CampaignAccount(campaign=campaign, account=account, offer_cost=cost)
    target.full_clean()
    target.save()
    changelog_record(
        actor=actor,
        action=ChangeAction.CREATE,
        instance=target,
        account_id=account.pk,
        changes=creation_changes(target),
    )
    return target


@transaction.atomic
def campaign_create(
    *,
    actor: User,
    data: Mapping[str, Any],
    accounts: Sequence[Account] = (),
    offer_cost: Decimal | None = None,
) -> Campaign:
    """Start a campaign for `accounts`, each offered at `offer_cost` (by default the budget
    split evenly). Every account must be one the actor may change and in no other campaign
    at the same time; the offers together must fit the budget."""
    if not may_start(actor):
        raise PermissionDenied(_("You may not start win-back campaigns."))
    campaign = Campaign(owner=actor)
    _set_fields(campaign, data)
    campaign.full_clean()
    campaign.save()
    changelog_record(
        actor=actor,
        action=ChangeAction.CREATE,
        instance=campaign,
        account_id=None,
        changes=creation_changes(campaign),
    )
    campaign_accounts_add(actor=actor, campaign=campaign, accounts=accounts, offer_cost=offer_cost)
    return campaign


@transaction.atomic
def campaign_accounts_add(
    *,
    actor: User,
    campaign: Campaign,
    accounts: Iterable[Account],
    offer_cost: Decimal | None = None,
) -> list[CampaignAccount]:
    accounts = list(accounts)
    if offer_cost is None:
        offer_cost = even_share(campaign.budget, len(accounts) + campaign.targets.count())
    errors = []
    targets = []
    for account in accounts:
        try:
            targets.append(_add_target(actor, campaign, account, offer_cost))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({"accounts": errors})
    _check_budget(campaign)
    return targets


@transaction.atomic
def campaign_update(*, actor: User, campaign: Campaign, data: Mapping[str, Any]) -> Campaign:
    if not may_manage(actor, campaign):
        raise PermissionDenied(_("Only the campaign's owner or a director may change it."))
    before = model_snapshot(campaign)
    _set_fields(campaign, data)
    campaign.full_clean()
    campaign.save()
    clashes = []
    for target in campaign.targets.select_related("account"):
        try:
            target.full_clean()  # new dates may overlap another campaign of the account
        except ValidationError as error:
            clashes.extend(error.messages)
    if clashes:
        raise ValidationError({"starts_on": clashes})
    _check_budget(campaign)
    changelog_record(
        actor=actor,
        action=ChangeAction.UPDATE,
        instance=campaign,
        account_id=None,
        changes=snapshot_diff(before, model_snapshot(campaign)),
    )
    return campaign


@transaction.atomic
def campaign_delete(*, actor: User, campaign: Campaign) -> None:
    if not may_manage(actor, campaign, "delete"):
        raise PermissionDenied(_("Only the campaign's owner or a director may delete it."))
    changelog_record(
        actor=actor,
        action=ChangeAction.DELETE,
        instance=campaign,
        account_id=None,
        changes=deletion_changes(campaign),
    )
    campaign.delete()


@transaction.atomic
def target_update(
    *, actor: User, target: CampaignAccount, data: Mapping[str, Any]
) -> CampaignAccount:
    """The account's status in the campaign, or the cost of its offer."""
    if not may_target(actor, target.account, "change"):
        raise PermissionDenied(
            _("You may not change %(account)s in this campaign.") % {"account": target.account}
        )
    before = model_snapshot(target)
    for field, value in data.items():
        if field not in TARGET_FIELDS:
            raise ValueError(f"campaign account field not editable here: {field}")
        setattr(target, field, value)
    target.full_clean()
    target.save()
    _check_budget(target.campaign)
    changelog_record(
        actor=actor,
        action=ChangeAction.UPDATE,
        instance=target,
        account_id=target.account_id,
        changes=snapshot_diff(before, model_snapshot(target)),
    )
    return target


@transaction.atomic
def target_remove(*, actor: User, target: CampaignAccount) -> None:
    if not may_target(actor, target.account, "delete"):
        raise PermissionDenied(
            _("You may not take %(account)s out of this campaign.") % {"account": target.account}
        )
    changelog_record(
        actor=actor,
        action=ChangeAction.DELETE,
        instance=target,
        account_id=target.account_id,
        changes=deletion_changes(target),
    )
    target.delete()


@transaction.atomic
def step_log(
    *, actor: User, target: CampaignAccount, data: Mapping[str, Any], contacted: bool = True
) -> CampaignStep:
    """Log a contact step: an activity of the account (who may log activities of it may),
    linked to its campaign account; the first step marks an account to contact as contacted."""
    if not holds(actor, "winback.add_campaignstep"):
        raise PermissionDenied(_("You may not log contact steps of campaigns."))
    activity = activity_services.activity_create(actor=actor, account=target.account, data=data)
    step = CampaignStep.objects.create(campaign_account=target, activity=activity)
    if contacted and target.status == "to_contact":
        target_update(actor=actor, target=target, data={"status": "contacted"})
    return step

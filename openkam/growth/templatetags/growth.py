"""`{% plan_wallet plan as wallet %}`: the share of wallet of the plan's account and year,
computed from the category estimates (for the plan's share-of-wallet goal)."""

from __future__ import annotations

from django import template

from openkam.growth import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def plan_wallet(context, plan) -> selectors.Wallet | None:
    request = context.get("request")
    if request is None:
        return None
    return selectors.share_of_wallet(user=request.user, account=plan.account, year=plan.year)

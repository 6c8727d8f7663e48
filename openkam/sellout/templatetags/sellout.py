"""`{% sellout_lever proposition as lever %}`: the measured change of the lever a plan's value
proposition acts on (more shoppers, more frequent visits, more spend per visit), from the stored
sell-out results; None without sell-out or for a kind no lever measures."""

from __future__ import annotations

from django import template

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def sellout_lever(context, proposition):
    request = context.get("request")
    if request is None or proposition.kind not in selectors.LEVER_OF_KIND:
        return None
    cache = context.render_context.setdefault("sellout_levers", {})
    key = (proposition.plan_id, proposition.kind)
    if key not in cache:
        cache[key] = selectors.lever_change(user=request.user, proposition=proposition)
    return cache[key]

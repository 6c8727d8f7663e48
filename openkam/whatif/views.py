"""/what-if/retention/: the revenue effect of raising retention, from the stored cohort basis."""

from __future__ import annotations

from django.shortcuts import render
from django.views import View

from openkam.analytics.whatif import RULE_OF_THUMB_POINTS, RULE_OF_THUMB_UPLIFT
from openkam.core.views import Login
from openkam.metrics import selectors as metrics_selectors
from openkam.portfolio.selectors import sees_everything

from . import charts, selectors
from .forms import WhatIfForm
from .models import Group


def _groups(user, snapshot) -> dict[str, list | None]:
    """What the user may choose: everything for those who see every account; nothing for a key
    account manager (their own accounts, always)."""
    if snapshot is None or not sees_everything(user):
        return {}
    return {
        Group.PORTFOLIO: [],
        **{
            g: selectors.group_keys(snapshot, g)
            for g in (Group.OWNER, Group.SEGMENT, Group.COUNTRY)
        },
    }


class RetentionWhatIfView(Login, View):
    """Choose N points and whose accounts; see the baseline and raised revenue over 1, 3 and 5
    years, the uplift beside the rule of thumb, and the assumptions by cohort age."""

    def get(self, request):
        user = request.user
        dates = metrics_selectors.available_dates()
        wanted = request.GET.get("as_of", "")
        as_of = next((d for d in dates if d.isoformat() == wanted), None)
        snapshot = metrics_selectors.snapshot_for(as_of)
        form = WhatIfForm(request.GET or None, dates=dates, groups=_groups(user, snapshot))
        choice = form.choice(selectors.default_choice(user))
        if not sees_everything(user):
            choice = selectors.default_choice(user)
        context = {
            "form": form,
            "snapshot": snapshot,
            "has_basis": snapshot is not None and selectors.has_basis(snapshot),
            "chooses": sees_everything(user),
            "rule_points": RULE_OF_THUMB_POINTS,
            "rule_uplift": RULE_OF_THUMB_UPLIFT,
        }
        if context["has_basis"]:
            what_if = selectors.retention_what_if(
                user=user, snapshot=snapshot, choice=choice, points=form.chosen_points()
            )
            context["what_if"] = what_if
            context["chart"] = (
                charts.horizons(what_if.result.horizons) if what_if.result.horizons else ""
            )
            context["five_years"] = next((h for h in what_if.result.horizons if h.years == 5), None)
        template = "whatif/_result.html" if request.htmx else "whatif/retention.html"
        return render(request, template, context)

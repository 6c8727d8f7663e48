"""/what-if/retention/: the revenue effect of raising retention, from the stored cohort basis."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from openkam.analytics.whatif import RULE_OF_THUMB_POINTS, RULE_OF_THUMB_UPLIFT, WhatIf
from openkam.core.exports import Column, Kind, export_format, export_response
from openkam.core.views import Login
from openkam.metrics import selectors as metrics_selectors
from openkam.portfolio.selectors import sees_everything

from . import charts, selectors
from .forms import WhatIfForm
from .models import Group

HORIZON_COLUMNS = [
    Column(gettext_lazy("Years"), Kind.INTEGER),
    Column(gettext_lazy("Baseline"), Kind.MONEY),
    Column(gettext_lazy("Raised retention"), Kind.MONEY),
    Column(gettext_lazy("Uplift"), Kind.MONEY),
    Column(gettext_lazy("Uplift in %"), Kind.PERCENT),
]
ASSUMPTION_COLUMNS = [
    Column(gettext_lazy("Cohort age"), Kind.INTEGER),
    Column(gettext_lazy("Active the year before"), Kind.INTEGER),
    Column(gettext_lazy("Retained"), Kind.INTEGER),
    Column(gettext_lazy("Retention"), Kind.PERCENT),
    Column(gettext_lazy("Observed (not from a younger age)"), Kind.BOOLEAN),
    Column(gettext_lazy("Raised retention"), Kind.PERCENT),
    Column(gettext_lazy("Revenue per retained account"), Kind.MONEY),
    Column(gettext_lazy("Active now"), Kind.INTEGER),
    Column(gettext_lazy("Revenue now"), Kind.MONEY),
]


def _horizon_rows(result: WhatIf):
    for h in result.horizons:
        yield [h.years, h.baseline, h.raised, h.uplift, h.uplift_share]


def _assumption_rows(result: WhatIf):
    for a in result.assumptions:
        yield [
            a.age,
            a.previously_active,
            a.retained,
            a.retention,
            a.observed,
            a.raised_retention,
            a.revenue_per_retained,
            a.active_now,
            a.revenue_now,
        ]


def _export(request, what_if, wanted: str):
    """The revenue over the horizons, or with `table=assumptions` the assumptions by age: the
    page's two tables."""
    if request.GET.get("table") == "assumptions":
        headers, rows, name = ASSUMPTION_COLUMNS, _assumption_rows(what_if.result), "assumptions"
    else:
        headers, rows, name = HORIZON_COLUMNS, _horizon_rows(what_if.result), "horizons"
    return export_response(
        format=wanted,
        filename=f"retention-what-if-{name}",
        title=_("Retention what-if"),
        headers=headers,
        rows=rows,
    )


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
            wanted = export_format(request)
            if wanted and what_if.result.computable:
                return _export(request, what_if, wanted)
            context["chart"] = (
                charts.horizons(what_if.result.horizons) if what_if.result.horizons else ""
            )
            context["five_years"] = next((h for h in what_if.result.horizons if h.years == 5), None)
        template = "whatif/_result.html" if request.htmx else "whatif/retention.html"
        return render(request, template, context)

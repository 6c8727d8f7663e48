"""The Health tab of an account and the portfolio's health list. Both read stored scores:
nothing here computes a score."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from openkam.accounts import selectors as account_selectors
from openkam.core.exports import Column, Kind, export_format, export_response
from openkam.core.views import Login, paginate

from . import selectors
from .filters import HealthScoreFilterSet
from .models import HealthLevel, HealthScore

EXPORT_COLUMNS = [
    Column(gettext_lazy("Account")),
    Column(gettext_lazy("Owner")),
    Column(gettext_lazy("As of"), Kind.DATE),
    Column(gettext_lazy("Health score"), Kind.DECIMAL),
    Column(gettext_lazy("Level")),
    Column(gettext_lazy("Revenue (12 months)"), Kind.MONEY),
    Column(gettext_lazy("Rolled up from subsidiaries"), Kind.BOOLEAN),
    Column(gettext_lazy("Weakest component")),
    Column(gettext_lazy("Components without data")),
]


class AsOfForm(forms.Form):
    as_of = forms.DateField(required=False, label=gettext_lazy("As of"))


def _weakest(score: HealthScore, labels: dict[str, str]) -> str:
    present = [
        (part["score"], key) for key, part in score.components.items() if not part.get("missing")
    ]
    return labels.get(min(present)[1], min(present)[1]) if present else ""


def _export_row(score: HealthScore, labels: dict[str, str]) -> list:
    return [
        score.account.name,
        score.owner_username or "",
        score.as_of,
        round(score.score, 1),
        score.get_level_display(),
        score.revenue,
        score.rolled_up,
        _weakest(score, labels),
        ", ".join(labels.get(key, key) for key in score.missing()),
    ]


def _labels() -> dict[str, str]:
    from . import components

    return {c.key: str(c.label) for c in components.components()}


class HealthListView(Login, View):
    """The portfolio's health: the accounts the user sees by level, worst first."""

    def get(self, request):
        when = AsOfForm(request.GET)
        as_of = when.cleaned_data.get("as_of") if when.is_valid() else None
        scores = selectors.health_list(user=request.user, as_of=as_of)
        filterset = HealthScoreFilterSet(request.GET, queryset=scores, request=request)
        shown = filterset.qs if filterset.is_valid() else HealthScore.objects.none()
        wanted = export_format(request)
        if wanted:
            labels = _labels()
            return export_response(
                format=wanted,
                filename="health",
                title=_("Health"),
                headers=EXPORT_COLUMNS,
                rows=(_export_row(s, labels) for s in shown.iterator(chunk_size=1000)),
            )
        first = scores.first()
        context = {
            "filter": filterset,
            "when": when,
            "as_of": first.as_of if first else as_of,
            "dates": selectors.scored_dates()[:40],
            "counts": selectors.level_counts(scores.filter(rolled_up=False)),
            "at_risk": scores.filter(
                level__in=(HealthLevel.RED, HealthLevel.AMBER), rolled_up=False
            ).aggregate(total=Sum("revenue"))["total"],
            "currency": settings.REPORTING_CURRENCY,
            "levels": HealthLevel.choices,
            "page": paginate(request, shown),
        }
        template = "health/_health_results.html" if request.htmx else "health/health_list.html"
        return render(request, template, context)


TREND_WIDTH, TREND_HEIGHT, TREND_PAD = 640, 160, 24


def trend(history: list[HealthScore], thresholds) -> dict | None:
    """The points of the score's SVG line over the snapshot dates (x by date), the threshold
    lines and a few date labels."""
    if not history:
        return None
    first, last = history[0].as_of, history[-1].as_of
    span = max((last - first).days, 1)
    inner_w, inner_h = TREND_WIDTH - 2 * TREND_PAD, TREND_HEIGHT - 2 * TREND_PAD

    def x(day: dt.date) -> float:
        if len(history) == 1:
            return TREND_WIDTH / 2
        return round(TREND_PAD + inner_w * (day - first).days / span, 1)

    def y(score: float) -> float:
        return round(TREND_PAD + inner_h * (1 - score / 100), 1)

    points = [
        {"x": x(h.as_of), "y": y(h.score), "score": h.score, "level": h.level, "as_of": h.as_of}
        for h in history
    ]
    step = max(1, len(points) // 6)
    return {
        "width": TREND_WIDTH,
        "height": TREND_HEIGHT,
        "pad": TREND_PAD,
        "right": TREND_WIDTH - TREND_PAD,
        "points": points,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "green": y(thresholds.green_from),
        "amber": y(thresholds.amber_from),
        "labels": points[::step] if points[-1] in points[::step] else [*points[::step], points[-1]],
        "label_y": TREND_HEIGHT - 4,
    }


class AccountHealthView(Login, View):
    """The account's "Health" tab: its score, each component's value, evidence, weight and
    contribution, those without data, and the trend over the snapshot dates."""

    def get(self, request, pk: int):
        user = request.user
        account = account_selectors.account_detail(user=user, pk=pk)
        if account is None:
            raise Http404
        when = AsOfForm(request.GET)
        as_of = when.cleaned_data.get("as_of") if when.is_valid() else None
        score = selectors.account_health(account=account, as_of=as_of)
        history = selectors.account_history(account=account, limit=60)
        weights = score.weights if score and score.weights_id else selectors.current_weights()
        context = {
            "account": account,
            "tab": "health",
            "can_change": account_selectors.account_may(user, account, "change"),
            "can_delete": account_selectors.account_may(user, account, "delete"),
            "score": score,
            "rows": selectors.component_rows(score) if score else [],
            "history": history,
            "trend": trend(history, weights.thresholds()),
            "thresholds": weights.thresholds(),
            "currency": settings.REPORTING_CURRENCY,
        }
        return render(request, "health/account_health.html", context)

"""The directors' page of the health score: the weights in force and their history, the form to
set new ones, and beside it the backtest of a past date — with a preview of the backtest under
the form's weights (HTMX) before saving. Nothing here computes a score: the backtest reads the
stored readings (rescoring them is arithmetic) and the sales that followed."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from openkam.core import formatting
from openkam.core.views import Login, require_perm, service_errors_to_form
from openkam.metrics.models import Snapshot, SnapshotStatus

from . import backtest as bt
from . import components as registry
from . import selectors, services
from .weights_forms import BacktestDateForm, WeightsForm

PERMISSION = services.WEIGHTS_PERMISSION  # directors and administrators

# The calibration chart: a bar per score band, its height the share that went bad.
CHART_WIDTH, CHART_HEIGHT, CHART_TOP, CHART_BOTTOM = 340, 170, 16, 136


def chart(result: bt.Backtest, preview: bt.Backtest | None = None) -> dict:
    """The geometry of the calibration bars (stored scores, and the preview beside them)."""
    series = [("stored", result)] + ([("preview", preview)] if preview is not None else [])
    slot = (CHART_WIDTH - 20) / len(result.bands)
    bar = (slot - 12) / len(series)
    plot = CHART_BOTTOM - CHART_TOP
    bars, labels = [], []
    for index, band in enumerate(result.bands):
        left = 20 + index * slot
        labels.append(
            {
                "x": f"{left + slot / 2 - 6:.1f}",
                "text": f"{formatting.number(band.low)}–{formatting.number(band.high)}",
            }
        )
        for position, (kind, run) in enumerate(series):
            own = run.bands[index]
            share = own.bad_share or 0.0
            height = plot * share
            x = left + position * bar
            bars.append(
                {
                    "kind": kind,
                    "x": f"{x:.1f}",
                    "y": f"{CHART_BOTTOM - height:.1f}",
                    "width": f"{bar - 2:.1f}",
                    "height": f"{height:.1f}",
                    "text_x": f"{x + (bar - 2) / 2:.1f}",
                    "text_y": f"{CHART_BOTTOM - height - 3:.1f}",
                    "share": "" if own.bad_share is None else formatting.percent(share, 0),
                    "title": _("%(band)s: %(bad)s of %(count)s went bad")
                    % {
                        "band": labels[-1]["text"],
                        "bad": formatting.number(own.bad),
                        "count": formatting.number(own.count),
                    },
                }
            )
    base = result.bad_share
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "bottom": CHART_BOTTOM,
        "label_y": CHART_BOTTOM + 14,
        "bars": bars,
        "labels": labels,
        "base_y": None if base is None else f"{CHART_BOTTOM - plot * base:.1f}",
        "base_label": None
        if base is None
        else _("all accounts: %(share)s") % {"share": formatting.percent(base, 0)},
    }


def _rows(weights) -> list[dict]:
    values = weights.as_dict()
    shares = weights.shares()
    labels = {c.key: c.label for c in registry.components()}
    return [
        {"key": key, "label": labels.get(key, key), "weight": values[key], "share": shares[key]}
        for key in values
    ]


def _history(limit: int = 20) -> tuple[list[dict], list[dict]]:
    rows = list(selectors.weights_history()[:limit])
    keys = list(dict.fromkeys(key for row in rows for key in row.as_dict()))
    labels = {c.key: c.label for c in registry.components()}
    columns = [{"key": key, "label": labels.get(key, key)} for key in keys]
    history = [{"row": row, "values": [row.as_dict().get(key) for key in keys]} for row in rows]
    return columns, history


def _chosen_date(request) -> dt.date | None:
    form = BacktestDateForm(request.GET)
    chosen = form.cleaned_data.get("as_of") if form.is_valid() else None
    return chosen or bt.default_date()


def backtest_context(request, *, as_of: dt.date | None, form: WeightsForm | None = None) -> dict:
    """The backtest panel: the stored scores' backtest of `as_of`, and with a valid `form` the
    preview under its weights and thresholds."""
    context: dict = {"dates": bt.eligible_dates(), "as_of": as_of, "preview_form": form}
    if as_of is None:
        context["error"] = _(
            "No stored health scores are old enough to backtest yet: the scores of a date are "
            "checked against the 12 months of sales after it. Compute them for a date a year "
            "back with `kam health backtest --as-of DATE` (or `kam analyze --as-of DATE`)."
        )
        return context
    try:
        result = bt.backtest(as_of=as_of, user=request.user)
    except bt.BacktestError as error:
        context["error"] = str(error)
        return context
    context["result"] = result
    preview = None
    if form is not None:
        if form.is_valid():
            try:
                preview = bt.backtest(
                    as_of=as_of,
                    user=request.user,
                    weights=form.weights(),
                    green_from=form.cleaned_data["green_from"],
                    amber_from=form.cleaned_data["amber_from"],
                )
            except bt.BacktestError as error:
                context["preview_error"] = str(error)
        else:
            context["preview_error"] = _("Correct the weights to preview their backtest.")
    context["preview"] = preview
    context["chart"] = chart(result, preview)
    context["band_rows"] = list(
        zip(result.bands, preview.bands if preview else [None] * len(result.bands), strict=True)
    )
    context["level_rows"] = list(
        zip(result.levels, preview.levels if preview else [None] * len(result.levels), strict=True)
    )
    return context


class WeightsView(Login, View):
    """The weights in force, their history, the form and the backtest beside it."""

    def _render(self, request, form, status=200):
        current = selectors.current_weights()
        columns, history = _history()
        context = {
            "current": current,
            "rows": _rows(current),
            "history_columns": columns,
            "history": history,
            "form": form,
            **backtest_context(request, as_of=_chosen_date(request)),
        }
        return render(request, "health/weights.html", context, status=status)

    def get(self, request):
        require_perm(request, PERMISSION)
        form = WeightsForm(initial=WeightsForm.initial_from(selectors.current_weights()))
        return self._render(request, form)

    def post(self, request):
        require_perm(request, PERMISSION)
        form = WeightsForm(request.POST)
        if form.is_valid():
            try:
                services.health_weights_set(
                    actor=request.user,
                    weights=form.weights(),
                    green_from=form.cleaned_data["green_from"],
                    amber_from=form.cleaned_data["amber_from"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                queued = enqueue_recompute()
                messages.success(
                    request,
                    _(
                        "Weights saved. The health scores of %(count)s snapshot dates are being "
                        "recomputed with them in the background."
                    )
                    % {"count": formatting.number(queued)},
                )
                return redirect("health:weights")
        return self._render(request, form, status=400)


class BacktestPanelView(Login, View):
    """The backtest panel (HTMX): of the chosen date, and with `preview` the backtest under the
    weights and thresholds of the form sent along."""

    def get(self, request):
        require_perm(request, PERMISSION)
        form = None
        if request.GET.get("preview"):
            form = WeightsForm(request.GET)
        context = backtest_context(request, as_of=_chosen_date(request), form=form)
        return render(request, "health/_backtest.html", context)


def enqueue_recompute() -> int:
    """After the weights change, recompute every finished snapshot's stored scores with them
    (background tasks, once the new weights are committed). Returns how many were queued."""
    from .tasks import recompute

    ids = list(
        Snapshot.objects.filter(status=SnapshotStatus.DONE)
        .order_by("-as_of")
        .values_list("pk", flat=True)
    )

    def _enqueue() -> None:
        for snapshot_id in ids:
            recompute.enqueue(snapshot_id)

    transaction.on_commit(_enqueue)
    return len(ids)

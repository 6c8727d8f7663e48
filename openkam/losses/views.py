"""The loss dynamics page, the accounts behind its figures, and marking an account lost."""

from __future__ import annotations

import dataclasses
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from openkam.accounts import selectors as account_selectors
from openkam.accounts.models import Account
from openkam.core.exports import Column, Kind, export_format, export_response
from openkam.core.views import Login, paginate, service_errors_to_form
from openkam.metrics import selectors as metrics_selectors
from openkam.portfolio.charts import period_label

from . import charts, selectors, services
from .forms import AccountLossForm, DrillDownForm, LossesForm
from .models import AccountLoss, LossReason
from .selectors import DrillDown, LossQuery


def query_string(query: LossQuery, **extra) -> str:
    """The page's choices as a query string (what a link keeps)."""
    params = {
        "as_of": query.as_of.isoformat() if query.as_of else "",
        "period": query.period,
        "group": query.group,
        **{k: ("1" if v is True else v) for k, v in query.filters().items()},
        **extra,
    }
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def _form(request) -> LossesForm:
    return LossesForm(
        request.GET or None, user=request.user, dates=metrics_selectors.available_dates()
    )


SERIES_COLUMNS = [
    Column(gettext_lazy("Period start"), Kind.DATE),
    Column(gettext_lazy("Period end"), Kind.DATE),
    Column(gettext_lazy("Lost"), Kind.INTEGER),
    Column(gettext_lazy("Regained"), Kind.INTEGER),
    Column(gettext_lazy("New"), Kind.INTEGER),
    Column(gettext_lazy("Shrinking"), Kind.INTEGER),
    Column(gettext_lazy("Revenue lost"), Kind.MONEY),
]
ACCOUNT_COLUMNS = [
    Column(gettext_lazy("Account")),
    Column(gettext_lazy("External id")),
    Column(gettext_lazy("Owner")),
    Column(gettext_lazy("Country")),
    Column(gettext_lazy("Lost since"), Kind.DATE),
    Column(gettext_lazy("Revenue before the loss"), Kind.MONEY),
    Column(gettext_lazy("Reason")),
    Column(gettext_lazy("Went to")),
]


class LossDynamicsView(Login, View):
    """Per period: accounts lost, regained and shrinking, and the revenue lost, as a chart and a
    table; the latest period by owner, country, segment or key-account type; the reasons
    recorded and where the accounts went. `?format=xlsx|csv` downloads the series."""

    def get(self, request):
        form = _form(request)
        query = form.query()
        snapshot = metrics_selectors.snapshot_for(query.as_of)
        context = {"form": form, "query": query, "dynamics": None, "snapshot": snapshot}
        if snapshot is not None:
            dynamics = selectors.loss_dynamics(user=request.user, query=query, snapshot=snapshot)
            wanted = export_format(request)
            if wanted:
                return export_response(
                    format=wanted,
                    filename="loss-dynamics",
                    title=_("Loss dynamics"),
                    headers=SERIES_COLUMNS,
                    rows=(
                        [p.start, p.end, p.lost, p.regained, p.new, p.shrinking, p.revenue_lost]
                        for p in reversed(dynamics.series)
                    ),
                )
            context.update(_dynamics_context(query, dynamics))
        template = "losses/_dynamics.html" if request.htmx else "losses/dynamics.html"
        return render(request, template, context)


def _dynamics_context(query: LossQuery, dynamics: selectors.LossDynamics) -> dict:
    return {
        "dynamics": dynamics,
        "qs": query_string(query),
        "chart": charts.dynamics(
            dynamics.series, query.period, dynamics.snapshot.reporting_currency
        ),
        "rows": [(p, period_label(p.end, query.period)) for p in dynamics.series],
        "currency": dynamics.snapshot.reporting_currency,
        "group_label": selectors.GROUPS[query.group],
        "breakdown": [(row, _group_qs(query, row.key)) for row in dynamics.breakdown],
    }


def _group_qs(query: LossQuery, key: str) -> str | None:
    """The page's choices narrowed to one group of the breakdown (None: the "none" group)."""
    if not key:
        return None
    value: int | str = int(key) if query.group in ("owner", "segment") else key
    return query_string(dataclasses.replace(query, **{query.group: value}))


def _account_row(row: Account, reasons: dict) -> list:
    return [
        row.name,
        row.external_id,
        row.owner_username or "",
        row.country.name if row.country else "",
        row.lost_since or row.recorded_lost_on,
        row.revenue_before_loss,
        str(reasons.get(row.loss_reason, "")) if row.loss_reason else "",
        row.loss_competitor or "",
    ]


class LossAccountsView(Login, View):
    """The accounts behind a figure of the dynamics, a reason or a competitor, under the page's
    choices; an HTMX request (or `partial=1`) gets the list alone, `?format=xlsx|csv`
    downloads it."""

    def get(self, request):
        form = _form(request)
        query = form.query()
        which_form = DrillDownForm(request.GET)
        which = which_form.drill_down()
        snapshot = metrics_selectors.snapshot_for(query.as_of)
        error = None
        if which is None:
            error = " ".join(" ".join(errors) for errors in which_form.errors.values()) or _(
                "Choose one figure, one reason or one competitor to list its accounts."
            )
        elif snapshot is not None:
            error = selectors.drill_down_error(which, snapshot, query.period)
        rows = None
        if snapshot is not None and error is None:
            rows = selectors.drill_down(
                user=request.user, query=query, snapshot=snapshot, which=which
            )
        title = _title(which, snapshot, query) if which is not None else _("Accounts")
        wanted = export_format(request)
        if wanted and rows is not None:
            reasons = dict(LossReason.choices)
            return export_response(
                format=wanted,
                filename="lost-accounts",
                title=title,
                headers=ACCOUNT_COLUMNS,
                rows=(_account_row(r, reasons) for r in rows.iterator(chunk_size=1000)),
            )
        drill = {k: v for k, v in which_form.data.items() if k in which_form.fields and v}
        page = paginate(request, rows) if rows is not None else None
        if page is not None:
            page.object_list = list(page.object_list)
            reasons = dict(LossReason.choices)
            for row in page.object_list:
                row.reason_label = reasons.get(row.loss_reason, "") if row.loss_reason else ""
        context = {
            "form": form,
            "query": query,
            "snapshot": snapshot,
            "title": title,
            "error": error,
            "page": page,
            "qs": query_string(query, **drill),
            "dynamics_qs": query_string(query),
            "currency": snapshot.reporting_currency if snapshot else "",
        }
        partial = request.htmx or request.GET.get("partial")
        template = "losses/_accounts.html" if partial else "losses/accounts.html"
        asked = any(request.GET.get(name) for name in which_form.fields)
        return render(request, template, context, status=400 if error and asked else 200)


def _title(which: DrillDown, snapshot, query: LossQuery) -> str:
    title = selectors.drill_title(which)
    if which.measure and snapshot is not None:
        bounds = selectors.bounds_of(snapshot, query.period)
        if which.index < len(bounds):
            label = period_label(bounds[which.index][1], query.period)
            return _("%(title)s — period to %(period)s") % {"title": title, "period": label}
    return title


# -- Marking an account lost -------------------------------------------------------------------


class AccountLossesView(Login, View):
    """The loss records of one account, newest first, with the actions the user may take."""

    def get(self, request, pk: int):
        user = request.user
        account = account_selectors.account_detail(user=user, pk=pk)
        if account is None:
            raise Http404
        losses = (
            AccountLoss.objects.visible_to(user)
            .filter(account=account)
            .select_related("competitor", "recorded_by")
        )
        context = {
            "account": account,
            "tab": "losses",
            "can_change": account_selectors.account_may(user, account, "change"),
            "can_delete": account_selectors.account_may(user, account, "delete"),
            "losses": losses,
            "can_add_loss": services.may_record(user, account),
            "can_change_loss": services.may_record(user, account, "change"),
            "can_delete_loss": services.may_record(user, account, "delete"),
        }
        return render(request, "losses/account.html", context)


def _account(request, account_pk: int) -> Account:
    account = get_object_or_404(Account.objects.visible_to(request.user, "view"), pk=account_pk)
    if not services.may_record(request.user, account):
        raise PermissionDenied
    return account


def _loss(request, pk: int, action: str) -> AccountLoss:
    loss = get_object_or_404(
        AccountLoss.objects.visible_to(request.user).select_related("account"), pk=pk
    )
    if not services.may_record(request.user, loss.account, action):
        raise PermissionDenied
    return loss


def _save(request, form: AccountLossForm, save, context: dict, success: str):
    if form.is_valid():
        try:
            loss = save(form.service_data())
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, success)
            return redirect("losses:account", loss.account_id)
    return render(request, "losses/loss_form.html", {**context, "form": form}, status=400)


class AccountLossCreateView(Login, View):
    def get(self, request, account_pk: int):
        account = _account(request, account_pk)
        form = AccountLossForm(account=account, user=request.user)
        return render(request, "losses/loss_form.html", {"form": form, "account": account})

    def post(self, request, account_pk: int):
        account = _account(request, account_pk)
        form = AccountLossForm(request.POST, account=account, user=request.user)

        def save(data):
            return services.account_loss_record(actor=request.user, account=account, data=data)

        return _save(request, form, save, {"account": account}, _("Loss recorded."))


class AccountLossUpdateView(Login, View):
    def get(self, request, pk: int):
        loss = _loss(request, pk, "change")
        form = AccountLossForm(instance=loss, account=loss.account, user=request.user)
        context = {"form": form, "account": loss.account, "loss": loss}
        return render(request, "losses/loss_form.html", context)

    def post(self, request, pk: int):
        loss = _loss(request, pk, "change")
        form = AccountLossForm(request.POST, instance=loss, account=loss.account, user=request.user)

        def save(data):
            fresh = AccountLoss.objects.select_related("account").get(pk=loss.pk)
            return services.account_loss_update(actor=request.user, loss=fresh, data=data)

        context = {"account": loss.account, "loss": loss}
        return _save(request, form, save, context, _("Loss saved."))


class AccountLossDeleteView(Login, View):
    def get(self, request, pk: int):
        loss = _loss(request, pk, "delete")
        return render(request, "losses/loss_confirm_delete.html", {"loss": loss})

    def post(self, request, pk: int):
        loss = _loss(request, pk, "delete")
        account_id = loss.account_id
        services.account_loss_delete(actor=request.user, loss=loss)
        messages.success(request, _("Loss record deleted."))
        return redirect("losses:account", account_id)

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from openkam.accounts import selectors as account_selectors
from openkam.accounts.models import Account
from openkam.core.exports import Column, Kind, export_format, export_response
from openkam.core.views import Login, paginate, service_errors_to_form

from . import selectors, services, working_hours
from .filters import CommitmentFilterSet, CustomerRequestFilterSet
from .forms import CommitmentForm, CommitmentQuickForm, RequestForm, RequestQuickForm
from .models import Commitment, CustomerRequest

YEAR = dt.timedelta(days=365)

COMMITMENT_COLUMNS = [
    Column(gettext_lazy("Account")),
    Column(gettext_lazy("Direction")),
    Column(gettext_lazy("What was promised")),
    Column(gettext_lazy("Our owner")),
    Column(gettext_lazy("Their owner")),
    Column(gettext_lazy("Promised on"), Kind.DATE),
    Column(gettext_lazy("Due date"), Kind.DATE),
    Column(gettext_lazy("Status")),
    Column(gettext_lazy("Done on"), Kind.DATE),
    Column(gettext_lazy("Days late"), Kind.INTEGER),
    Column(gettext_lazy("Notes")),
]
REQUEST_COLUMNS = [
    Column(gettext_lazy("Account")),
    Column(gettext_lazy("Kind")),
    Column(gettext_lazy("Subject")),
    Column(gettext_lazy("Asked by")),
    Column(gettext_lazy("Our owner")),
    Column(gettext_lazy("Received"), Kind.DATETIME),
    Column(gettext_lazy("First answered"), Kind.DATETIME),
    Column(gettext_lazy("Closed"), Kind.DATETIME),
    Column(gettext_lazy("Response (working hours)"), Kind.DECIMAL),
    Column(gettext_lazy("Waiting (working hours)"), Kind.DECIMAL),
    Column(gettext_lazy("Within the target"), Kind.BOOLEAN),
]


def _commitment_row(c: Commitment, today: dt.date) -> list:
    return [
        c.account.name,
        c.get_direction_display(),
        c.description,
        c.owner.username,
        c.their_owner.name if c.their_owner else "",
        c.promised_on,
        c.due_on,
        c.get_status_display(),
        c.done_on,
        c.days_late(today) if c.is_late(today) else None,
        c.notes,
    ]


def _request_rows(rows, at: dt.datetime, target: float):
    w = working_hours.window()
    for r in rows:
        t = selectors.timing(r.received_at, r.first_answered_at, r.closed_at, at, target, w)
        yield [
            r.account.name,
            r.get_kind_display(),
            r.subject,
            r.stakeholder.name if r.stakeholder else "",
            r.owner.username,
            timezone.localtime(r.received_at),
            timezone.localtime(r.first_answered_at) if r.first_answered_at else None,
            timezone.localtime(r.closed_at) if r.closed_at else None,
            round(t.hours, 2) if t.hours is not None else None,
            round(t.waited, 2) if t.hours is None else None,
            t.hours <= target if t.hours is not None else (False if t.overdue else None),
        ]


def _sees_every_account(user) -> bool:
    return user.is_superuser or user.has_perm("accounts.view_all_accounts")


def _changeable(user, rows, model: str) -> set[int]:
    """The account ids among `rows` where `user` may change the `model` rows (one query)."""
    if not (user.is_superuser or user.has_perm(f"commitments.change_{model}")):
        return set()
    ids = {r.account_id for r in rows}
    return set(
        Account.objects.visible_to(user, "change").filter(pk__in=ids).values_list("pk", flat=True)
    )


def _chosen(filterset) -> dict:
    """The filters' cleaned values (for the form's checkboxes and selects)."""
    return getattr(filterset.form, "cleaned_data", {}) if filterset.is_bound else {}


def _back(request, fallback: str):
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(wanted)
    return redirect(fallback)


# The account's "Promises" tab -----------------------------------------------------------------


def _commitments_context(request, account: Account, form=None) -> dict:
    user, today = request.user, timezone.localdate()
    can_add = services.may_manage(user, account)
    commitments = list(selectors.commitment_list(user=user, today=today).filter(account=account))
    return {
        "account": account,
        "commitments": commitments,
        "late_count": sum(c.late for c in commitments),
        "today": today,
        "can_add_commitment": can_add,
        "can_change_commitment": services.may_manage(user, account, "change"),
        "commitment_form": form
        if form is not None
        else (CommitmentQuickForm(account=account, actor=user) if can_add else None),
    }


def _requests_context(request, account: Account, form=None) -> dict:
    user, now = request.user, timezone.now()
    model = "customerrequest"
    can_add = services.may_manage(user, account, "add", model)
    rows = selectors.request_list(user=user).filter(account=account)
    recent = rows.filter(received_at__gte=now - YEAR)
    shown = selectors.with_timings(rows.open_at(now) | recent, at=now)
    return {
        "account": account,
        "requests": shown,
        "stats": selectors.response_stats(recent, at=now),
        "can_add_request": can_add,
        "can_change_request": services.may_manage(user, account, "change", model),
        "request_form": form
        if form is not None
        else (RequestQuickForm(account=account, actor=user) if can_add else None),
    }


class PromisesView(Login, View):
    """Commitments (late ones first) and customer requests with their response times."""

    def get(self, request, pk: int):
        user = request.user
        account = account_selectors.account_detail(user=user, pk=pk)
        if account is None:
            raise Http404
        context = {
            "tab": "promises",
            "can_change": account_selectors.account_may(user, account, "change"),
            "can_delete": account_selectors.account_may(user, account, "delete"),
            **_commitments_context(request, account),
            **_requests_context(request, account),
        }
        return render(request, "commitments/promises.html", context)


# Commitments -----------------------------------------------------------------------------


def _account(request, account_pk: int, model: str = "commitment") -> Account:
    account = get_object_or_404(Account.objects.visible_to(request.user, "view"), pk=account_pk)
    if not services.may_manage(request.user, account, "add", model):
        raise PermissionDenied
    return account


def _commitment(request, pk: int, action: str) -> Commitment:
    commitment = get_object_or_404(
        Commitment.objects.visible_to(request.user).select_related("account"), pk=pk
    )
    if not services.may_manage(request.user, commitment.account, action):
        raise PermissionDenied
    return commitment


def _form_page(request, template: str, context: dict, status: int = 200):
    return render(request, template, context, status=status)


class CommitmentCreateView(Login, View):
    def get(self, request, account_pk: int):
        account = _account(request, account_pk)
        form = CommitmentForm(account=account, actor=request.user)
        return _form_page(request, "commitments/commitment_form.html", _ctx(form, account))

    def post(self, request, account_pk: int):
        account = _account(request, account_pk)
        quick = "quick" in request.POST
        form_class = CommitmentQuickForm if quick else CommitmentForm
        form = form_class(request.POST, account=account, actor=request.user)
        if form.is_valid():
            try:
                commitment = services.commitment_create(
                    actor=request.user, account=account, data=form.service_data()
                )
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                if request.htmx:
                    return render(
                        request,
                        "commitments/_commitments.html",
                        _commitments_context(request, account),
                    )
                messages.success(request, _("Recorded “%(what)s”.") % {"what": commitment})
                return redirect("commitments:account", account.pk)
        if request.htmx:  # the quick form again, with its errors, in place
            return render(
                request,
                "commitments/_commitments.html",
                _commitments_context(request, account, form),
            )
        return _form_page(request, "commitments/commitment_form.html", _ctx(form, account), 400)


def _ctx(form, account, obj=None) -> dict:
    return {"form": form, "account": account, "object": obj}


class CommitmentUpdateView(Login, View):
    def get(self, request, pk: int):
        commitment = _commitment(request, pk, "change")
        form = CommitmentForm(instance=commitment, account=commitment.account, actor=request.user)
        return _form_page(
            request, "commitments/commitment_form.html", _ctx(form, commitment.account, commitment)
        )

    def post(self, request, pk: int):
        commitment = _commitment(request, pk, "change")
        account = commitment.account
        form = CommitmentForm(
            request.POST, instance=commitment, account=account, actor=request.user
        )
        if form.is_valid():
            fresh = Commitment.objects.select_related("account").get(pk=commitment.pk)
            try:
                services.commitment_update(
                    actor=request.user, commitment=fresh, data=form.service_data()
                )
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                messages.success(request, _("Saved “%(what)s”.") % {"what": fresh})
                return redirect("commitments:account", account.pk)
        return _form_page(
            request, "commitments/commitment_form.html", _ctx(form, account, commitment), 400
        )


class CommitmentDeleteView(Login, View):
    def get(self, request, pk: int):
        commitment = _commitment(request, pk, "delete")
        context = {"object": commitment, "account": commitment.account}
        return render(request, "commitments/confirm_delete.html", context)

    def post(self, request, pk: int):
        commitment = _commitment(request, pk, "delete")
        account_id, what = commitment.account_id, str(commitment)
        services.commitment_delete(actor=request.user, commitment=commitment)
        messages.success(request, _("Deleted “%(what)s”.") % {"what": what})
        return redirect("commitments:account", account_id)


class CommitmentDoneView(Login, View):
    """One click: done today."""

    def post(self, request, pk: int):
        commitment = _commitment(request, pk, "change")
        try:
            services.commitment_done(actor=request.user, commitment=commitment)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        if request.htmx:
            row = selectors.commitment_list(user=request.user).get(pk=pk)
            context = {
                "c": row,
                "today": timezone.localdate(),
                "show_account": request.POST.get("list") == "1",
                "can_change_commitment": True,
                "changeable": {row.account_id},
            }
            return render(request, "commitments/_commitment_row.html", context)
        return _back(request, reverse_tab(commitment.account_id))


def reverse_tab(account_id: int) -> str:
    return reverse("commitments:account", args=[account_id])


class CommitmentListView(Login, View):
    """Everyone's commitments one may see; a KAM's own by default; late ones first."""

    def get(self, request):
        user, today = request.user, timezone.localdate()
        data = request.GET.copy()
        if not request.GET and not _sees_every_account(user):
            data["mine"] = "true"
        everything = selectors.commitment_list(user=user, today=today)
        filterset = CommitmentFilterSet(data, queryset=everything, request=request)
        rows = filterset.qs if filterset.is_valid() else everything.none()
        wanted = export_format(request)
        if wanted:
            return export_response(
                format=wanted,
                filename="commitments",
                title=_("Commitments"),
                headers=COMMITMENT_COLUMNS,
                rows=(_commitment_row(c, today) for c in rows.iterator(chunk_size=1000)),
            )
        page = paginate(request, rows)
        context = {
            "filter": filterset,
            "page": page,
            "today": today,
            "late_count": rows.filter(late=1).count(),
            "chosen": _chosen(filterset),
            "changeable": _changeable(user, page.object_list, "commitment"),
            "show_account": True,
        }
        template = (
            "commitments/_commitment_results.html"
            if request.htmx
            else "commitments/commitment_list.html"
        )
        return render(request, template, context)


# Customer requests -----------------------------------------------------------------------


def _customer_request(request, pk: int, action: str) -> CustomerRequest:
    row = get_object_or_404(
        CustomerRequest.objects.visible_to(request.user).select_related("account"), pk=pk
    )
    if not services.may_manage(request.user, row.account, action, "customerrequest"):
        raise PermissionDenied
    return row


class RequestCreateView(Login, View):
    def get(self, request, account_pk: int):
        account = _account(request, account_pk, "customerrequest")
        form = RequestForm(account=account, actor=request.user)
        return _form_page(request, "commitments/request_form.html", _ctx(form, account))

    def post(self, request, account_pk: int):
        account = _account(request, account_pk, "customerrequest")
        quick = "quick" in request.POST
        form_class = RequestQuickForm if quick else RequestForm
        form = form_class(request.POST, account=account, actor=request.user)
        if form.is_valid():
            try:
                created = services.request_create(
                    actor=request.user, account=account, data=form.service_data()
                )
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                if request.htmx:
                    return render(
                        request, "commitments/_requests.html", _requests_context(request, account)
                    )
                messages.success(request, _("Recorded “%(what)s”.") % {"what": created})
                return redirect("commitments:account", account.pk)
        if request.htmx:
            return render(
                request, "commitments/_requests.html", _requests_context(request, account, form)
            )
        return _form_page(request, "commitments/request_form.html", _ctx(form, account), 400)


class RequestUpdateView(Login, View):
    def get(self, request, pk: int):
        row = _customer_request(request, pk, "change")
        form = RequestForm(instance=row, account=row.account, actor=request.user)
        return _form_page(request, "commitments/request_form.html", _ctx(form, row.account, row))

    def post(self, request, pk: int):
        row = _customer_request(request, pk, "change")
        account = row.account
        form = RequestForm(request.POST, instance=row, account=account, actor=request.user)
        if form.is_valid():
            fresh = CustomerRequest.objects.select_related("account").get(pk=row.pk)
            try:
                services.request_update(
                    actor=request.user, customer_request=fresh, data=form.service_data()
                )
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                messages.success(request, _("Saved “%(what)s”.") % {"what": fresh})
                return redirect("commitments:account", account.pk)
        return _form_page(request, "commitments/request_form.html", _ctx(form, account, row), 400)


class RequestDeleteView(Login, View):
    def get(self, request, pk: int):
        row = _customer_request(request, pk, "delete")
        context = {"object": row, "account": row.account}
        return render(request, "commitments/confirm_delete.html", context)

    def post(self, request, pk: int):
        row = _customer_request(request, pk, "delete")
        account_id, what = row.account_id, str(row)
        services.request_delete(actor=request.user, customer_request=row)
        messages.success(request, _("Deleted “%(what)s”.") % {"what": what})
        return redirect("commitments:account", account_id)


class _RequestStep(Login, View):
    """One click: answered now, or closed now."""

    step = staticmethod(services.request_answer)

    def post(self, request, pk: int):
        row = _customer_request(request, pk, "change")
        try:
            type(self).step(actor=request.user, customer_request=row)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        if request.htmx:
            fresh = selectors.with_timings([selectors.request_list(user=request.user).get(pk=pk)])
            context = {
                "r": fresh[0],
                "show_account": request.POST.get("list") == "1",
                "can_change_request": True,
                "changeable": {fresh[0].account_id},
            }
            return render(request, "commitments/_request_row.html", context)
        return _back(request, reverse_tab(row.account_id))


class RequestAnswerView(_RequestStep):
    step = staticmethod(services.request_answer)


class RequestCloseView(_RequestStep):
    step = staticmethod(services.request_close)


class RequestListView(Login, View):
    """Customer requests with the response-time figures per KAM (our owner)."""

    def get(self, request):
        user, now = request.user, timezone.now()
        data = request.GET.copy()
        if "received_from" not in data:
            data["received_from"] = (timezone.localdate() - YEAR).isoformat()
        filterset = CustomerRequestFilterSet(
            data, queryset=selectors.request_list(user=user), request=request
        )
        rows = filterset.qs if filterset.is_valid() else CustomerRequest.objects.none()
        rows = rows.order_by("-received_at", "-id")
        wanted = export_format(request)
        target = working_hours.response_target()
        if wanted:
            return export_response(
                format=wanted,
                filename="requests",
                title=_("Customer requests"),
                headers=REQUEST_COLUMNS,
                rows=_request_rows(rows.iterator(chunk_size=1000), now, target),
            )
        stats = selectors.response_stats(rows, at=now)
        page = paginate(request, rows)
        page.object_list = selectors.with_timings(page.object_list, at=now)
        widest = stats.max_median
        context = {
            "filter": filterset,
            "page": page,
            "stats": stats,
            "bars": [
                (g, (g.median_hours or 0) / widest * 100 if widest else 0) for g in stats.by_owner
            ],
            "target_x": stats.target_hours / widest * 100 if widest else 0,
            "changeable": _changeable(user, page.object_list, "customerrequest"),
            "chosen": _chosen(filterset),
            "show_account": True,
        }
        template = (
            "commitments/_request_results.html" if request.htmx else "commitments/request_list.html"
        )
        return render(request, template, context)

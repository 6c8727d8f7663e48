from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from openkam.accounts import selectors as account_selectors
from openkam.accounts.models import Account, AccountTeamMember, TeamRole
from openkam.core.exports import Column, Kind, export_format, export_response
from openkam.core.views import Login, paginate, service_errors_to_form

from . import charts, selectors, services
from .forms import SatisfactionListForm, SurveyResponseForm
from .models import SurveyResponse

TREND_LABELS = {
    "up": gettext_lazy("rising"),
    "down": gettext_lazy("falling"),
    "flat": gettext_lazy("steady"),
}
EXPORT_COLUMNS = [
    Column(gettext_lazy("Account")),
    Column(gettext_lazy("Owner")),
    Column(gettext_lazy("Status")),
    Column(gettext_lazy("Latest quarter")),
    Column(gettext_lazy("Answers"), Kind.INTEGER),
    Column(gettext_lazy("Average CSAT"), Kind.DECIMAL),
    Column(gettext_lazy("NPS"), Kind.DECIMAL),
    Column(gettext_lazy("Quarter before")),
    Column(gettext_lazy("Average CSAT before"), Kind.DECIMAL),
    Column(gettext_lazy("NPS before"), Kind.DECIMAL),
    Column(gettext_lazy("Trend")),
    Column(gettext_lazy("Detractor decision makers")),
]


def _export_row(row: selectors.AccountSatisfaction, statuses: dict) -> list:
    latest, previous = row.latest, row.previous
    return [
        row.name,
        row.owner or "",
        statuses.get(row.status, row.status),
        latest.key,
        latest.answers,
        round(latest.csat, 2) if latest.csat is not None else None,
        round(latest.nps, 1) if latest.nps is not None else None,
        previous.key if previous else "",
        round(previous.csat, 2) if previous and previous.csat is not None else None,
        round(previous.nps, 1) if previous and previous.nps is not None else None,
        str(TREND_LABELS[row.trend]) if row.trend else "",
        ", ".join(d.name for d in row.detractors),
    ]


def _sort_key(order: str):
    worst = float("inf")
    if order == "name":
        return lambda r: r.name.casefold()
    if order == "csat":
        return lambda r: (r.latest.csat if r.latest.csat is not None else worst, r.name)
    if order == "recent":
        return lambda r: (-r.latest.index, r.name.casefold())
    return lambda r: (r.latest.nps if r.latest.nps is not None else worst, r.name.casefold())


def satisfaction_rows(user, form: SatisfactionListForm) -> list[selectors.AccountSatisfaction]:
    """The list's accounts, filtered and sorted as the form asks."""
    if not form.is_valid():
        return []
    chosen = form.cleaned_data
    owners = AccountTeamMember.objects.filter(account=OuterRef("pk"), role=TeamRole.OWNER)
    accounts = Account.objects.visible_to(user).annotate(
        owner_username=Subquery(owners.values("user__username")[:1])
    )
    if chosen["q"]:
        accounts = accounts.filter(name__icontains=chosen["q"])
    if chosen["owner"]:
        accounts = accounts.filter(owner_username=chosen["owner"])
    if chosen["status"]:
        accounts = accounts.filter(status=chosen["status"])
    rows = selectors.account_satisfaction(user=user, accounts=accounts)
    if chosen["trend"]:
        rows = [r for r in rows if r.trend == chosen["trend"]]
    if chosen["detractors"]:
        rows = [r for r in rows if r.detractors]
    rows.sort(key=_sort_key(chosen["order"] or "nps"))
    return rows


class SatisfactionListView(Login, View):
    """The accounts with answers: latest quarter's NPS and CSAT, the trend against the quarter
    before, and the decision makers who are detractors."""

    def get(self, request):
        form = SatisfactionListForm(request.GET)
        rows = satisfaction_rows(request.user, form)
        wanted = export_format(request)
        if wanted:
            statuses = dict(Account._meta.get_field("status").choices)
            return export_response(
                format=wanted,
                filename="satisfaction",
                title=_("Satisfaction"),
                headers=EXPORT_COLUMNS,
                rows=(_export_row(r, statuses) for r in rows),
            )
        context = {
            "form": form,
            "page": paginate(request, rows),
            "trend_labels": TREND_LABELS,
            "filtered": any(v for k, v in request.GET.items() if k not in ("page", "order")),
        }
        template = (
            "satisfaction/_results.html" if request.htmx else "satisfaction/satisfaction_list.html"
        )
        return render(request, template, context)


class AccountSatisfactionView(Login, View):
    """The account's "Satisfaction" tab: the trend per quarter (chart and table), the
    detractor decision makers, the answers, and the quick entry form."""

    def get(self, request, pk: int):
        user = request.user
        account = account_selectors.account_detail(user=user, pk=pk)
        if account is None:
            raise Http404
        responses = selectors.survey_list(user=user).filter(account=account)
        page = paginate(request, responses)
        can_change = services.may_record(user, account, "change")
        can_delete = services.may_record(user, account, "delete")
        if request.htmx:
            return render(
                request,
                "satisfaction/_answers.html",
                {"page": page, "can_change_answer": can_change, "can_delete_answer": can_delete},
            )
        trend = selectors.quarter_points(responses.values_list("answered_on", "csat", "nps"))
        can_add = services.may_record(user, account)
        form = None
        if can_add:
            form = SurveyResponseForm(account=account)
            _preselect(form, request.GET.get("stakeholder", ""))
        detractors = selectors.detractor_decision_makers(responses)
        context = {
            "account": account,
            "tab": "satisfaction",
            "can_change": account_selectors.account_may(user, account, "change"),
            "can_delete": account_selectors.account_may(user, account, "delete"),
            "trend": list(reversed(trend)),
            "chart": charts.quarterly_trend(trend) if trend else "",
            "detractors": detractors,
            "detractor_answers": {d.response_id for d in detractors},
            "page": page,
            "can_add_answer": can_add,
            "can_change_answer": can_change,
            "can_delete_answer": can_delete,
            "form": form,
        }
        return render(request, "satisfaction/account.html", context)


def _preselect(form: SurveyResponseForm, wanted: str) -> None:
    """From a stakeholder's page: that person is chosen already."""
    if wanted.isdigit():
        person = form.fields["stakeholder"].queryset.filter(pk=int(wanted)).first()
        if person is not None:
            form.initial["stakeholder"] = person.pk


def _account(request, account_pk: int) -> Account:
    account = get_object_or_404(Account.objects.visible_to(request.user, "view"), pk=account_pk)
    if not services.may_record(request.user, account):
        raise PermissionDenied
    return account


def _response(request, pk: int, action: str) -> SurveyResponse:
    response = get_object_or_404(selectors.survey_list(user=request.user), pk=pk)
    if not services.may_record(request.user, response.account, action):
        raise PermissionDenied
    return response


def _save(request, form: SurveyResponseForm, save, context: dict, success: str):
    if form.is_valid():
        try:
            response = save(form.service_data())
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, success)
            return redirect("satisfaction:account", response.account_id)
    return render(request, "satisfaction/survey_form.html", {**context, "form": form}, status=400)


class SurveyCreateView(Login, View):
    def get(self, request, account_pk: int):
        account = _account(request, account_pk)
        form = SurveyResponseForm(account=account)
        _preselect(form, request.GET.get("stakeholder", ""))
        return render(request, "satisfaction/survey_form.html", {"form": form, "account": account})

    def post(self, request, account_pk: int):
        account = _account(request, account_pk)
        form = SurveyResponseForm(request.POST, account=account)

        def save(data):
            return services.survey_create(actor=request.user, account=account, data=data)

        return _save(request, form, save, {"account": account}, _("Answer recorded."))


class SurveyUpdateView(Login, View):
    def get(self, request, pk: int):
        response = _response(request, pk, "change")
        form = SurveyResponseForm(instance=response, account=response.account)
        context = {"form": form, "account": response.account, "answer": response}
        return render(request, "satisfaction/survey_form.html", context)

    def post(self, request, pk: int):
        response = _response(request, pk, "change")
        form = SurveyResponseForm(request.POST, instance=response, account=response.account)

        def save(data):
            fresh = SurveyResponse.objects.select_related("account").get(pk=response.pk)
            return services.survey_update(actor=request.user, response=fresh, data=data)

        context = {"account": response.account, "answer": response}
        return _save(request, form, save, context, _("Answer saved."))


class SurveyDeleteView(Login, View):
    def get(self, request, pk: int):
        response = _response(request, pk, "delete")
        return render(request, "satisfaction/survey_confirm_delete.html", {"answer": response})

    def post(self, request, pk: int):
        response = _response(request, pk, "delete")
        account_id = response.account_id
        services.survey_delete(actor=request.user, response=response)
        messages.success(request, _("Answer deleted."))
        return redirect("satisfaction:account", account_id)

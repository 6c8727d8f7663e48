from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from openkam.accounts import selectors as account_selectors
from openkam.accounts.models import Account
from openkam.core.exports import Column, Kind, export_format, export_response
from openkam.core.views import Login, paginate, service_errors_to_form
from openkam.plans.models import MAX_YEAR, MIN_YEAR

from . import selectors, services
from .filters import GrowthOpportunityFilterSet
from .forms import AcceptForm, DismissForm, WalletEstimateForm
from .models import GrowthOpportunity, OpportunityStatus, WalletEstimate

EXPORT_COLUMNS = [
    Column(gettext_lazy("Account")),
    Column(gettext_lazy("Category")),
    Column(gettext_lazy("Kind")),
    Column(gettext_lazy("Status")),
    Column(gettext_lazy("Expected revenue"), Kind.MONEY),
    Column(gettext_lazy("Expected value"), Kind.MONEY),
    Column(gettext_lazy("Share of similar accounts buying it"), Kind.PERCENT),
    Column(gettext_lazy("Suggested as of"), Kind.DATE),
    Column(gettext_lazy("In the latest analysis"), Kind.BOOLEAN),
    Column(gettext_lazy("Reason for dismissing it")),
]


def _export_row(o: GrowthOpportunity) -> list:
    return [
        o.account.name,
        o.category.name,
        o.get_kind_display(),
        o.get_status_display(),
        o.expected_revenue,
        o.expected_value,
        (o.why or {}).get("share"),
        o.as_of,
        o.current,
        o.dismissed_reason,
    ]


class OpportunityListView(Login, View):
    """Every growth opportunity of the accounts the user sees (a KAM: their own), filtered,
    the largest expected revenue first."""

    def get(self, request):
        filters = GrowthOpportunityFilterSet(
            request.GET, queryset=selectors.opportunity_list(user=request.user)
        )
        rows = (
            filters.qs.order_by("-expected_revenue", "account__name", "category__name", "pk")
            if filters.is_valid()
            else GrowthOpportunity.objects.none()
        )
        wanted = export_format(request)
        if wanted:
            return export_response(
                format=wanted,
                filename="opportunities",
                title=_("Growth opportunities"),
                headers=EXPORT_COLUMNS,
                rows=(_export_row(o) for o in rows.iterator(chunk_size=2000)),
            )
        page = paginate(request, rows)
        selectors.explain(request.user, list(page.object_list))
        context = {
            "filters": filters,
            "page": page,
            "filtered": any(v for k, v in request.GET.items() if k not in ("page",)),
            "currency": settings.REPORTING_CURRENCY,
        }
        template = "growth/_results.html" if request.htmx else "growth/opportunity_list.html"
        return render(request, template, context)


def _year(request) -> int:
    value = request.GET.get("year", "")
    year = int(value) if value.isdigit() else timezone.localdate().year
    return min(max(year, MIN_YEAR), MAX_YEAR)


class AccountGrowthView(Login, View):
    """The account's "Growth" tab: suggestions with why, decisions, and share of wallet."""

    def get(self, request, pk: int):
        user = request.user
        account = account_selectors.account_detail(user=user, pk=pk)
        if account is None:
            raise Http404
        opportunities = list(
            selectors.opportunity_list(user=user)
            .filter(account=account)
            .order_by("-expected_revenue", "category__name", "pk")
        )
        selectors.explain(user, opportunities)
        year = _year(request)
        wallet = selectors.share_of_wallet(user=user, account=account, year=year)
        can_estimate = services.may_estimate(user, account)
        context = {
            "account": account,
            "tab": "growth",
            "can_change": account_selectors.account_may(user, account, "change"),
            "can_delete": account_selectors.account_may(user, account, "delete"),
            "suggested": [
                o for o in opportunities if o.status == OpportunityStatus.SUGGESTED and o.current
            ],
            "accepted": [o for o in opportunities if o.status == OpportunityStatus.ACCEPTED],
            "dismissed": [o for o in opportunities if o.status == OpportunityStatus.DISMISSED],
            "can_decide": services.may_decide(user, account),
            "has_plan": services.current_plan(account) is not None,
            "wallet": wallet,
            "year": year,
            "can_estimate": can_estimate,
            "can_change_estimate": services.may_estimate(user, account, "change"),
            "can_delete_estimate": services.may_estimate(user, account, "delete"),
            "currency": settings.REPORTING_CURRENCY,
        }
        return render(request, "growth/account.html", context)


def _opportunity(request, pk: int) -> GrowthOpportunity:
    opportunity = get_object_or_404(selectors.opportunity_list(user=request.user), pk=pk)
    if not services.may_decide(request.user, opportunity.account):
        raise PermissionDenied
    return opportunity


def _back(opportunity_or_account_id) -> object:
    return redirect("growth:account", opportunity_or_account_id)


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


class AcceptView(Login, View):
    def post(self, request, pk: int):
        opportunity = _opportunity(request, pk)
        form = AcceptForm(request.POST)
        if not form.is_valid():
            _errors(request, ValidationError(list(form.errors.values())))
            return _back(opportunity.account_id)
        try:
            services.opportunity_accept(
                actor=request.user,
                opportunity=opportunity,
                expected_value=form.cleaned_data["expected_value"],
                add_to_plan=form.cleaned_data["add_to_plan"],
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Opportunity accepted."))
        return _back(opportunity.account_id)


class DismissView(Login, View):
    def post(self, request, pk: int):
        opportunity = _opportunity(request, pk)
        form = DismissForm(request.POST)
        if not form.is_valid():
            _errors(request, ValidationError(_("Say why the opportunity is dismissed.")))
            return _back(opportunity.account_id)
        services.opportunity_dismiss(
            actor=request.user, opportunity=opportunity, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Opportunity dismissed: it stays dismissed."))
        return _back(opportunity.account_id)


class ReopenView(Login, View):
    def post(self, request, pk: int):
        opportunity = _opportunity(request, pk)
        services.opportunity_reopen(actor=request.user, opportunity=opportunity)
        messages.success(request, _("The opportunity is a suggestion again."))
        return _back(opportunity.account_id)


def _account(request, account_pk: int, action: str = "add") -> Account:
    account = get_object_or_404(Account.objects.visible_to(request.user, "view"), pk=account_pk)
    if not services.may_estimate(request.user, account, action):
        raise PermissionDenied
    return account


def _estimate(request, pk: int, action: str) -> WalletEstimate:
    estimate = get_object_or_404(selectors.wallet_estimate_list(user=request.user), pk=pk)
    if not services.may_estimate(request.user, estimate.account, action):
        raise PermissionDenied
    return estimate


def _save_estimate(request, form, save, context: dict):
    if form.is_valid():
        try:
            estimate = save(form.service_data())
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, _("Wallet estimate saved."))
            return redirect(f"{_back(estimate.account_id).url}?year={estimate.year}#wallet")
    return render(request, "growth/estimate_form.html", {**context, "form": form}, status=400)


class EstimateCreateView(Login, View):
    def get(self, request, account_pk: int):
        account = _account(request, account_pk)
        form = WalletEstimateForm(initial={"year": _year(request)})
        return render(request, "growth/estimate_form.html", {"form": form, "account": account})

    def post(self, request, account_pk: int):
        account = _account(request, account_pk)
        form = WalletEstimateForm(request.POST)

        def save(data):
            return services.wallet_estimate_create(actor=request.user, account=account, data=data)

        return _save_estimate(request, form, save, {"account": account})


class EstimateUpdateView(Login, View):
    def get(self, request, pk: int):
        estimate = _estimate(request, pk, "change")
        form = WalletEstimateForm(instance=estimate)
        context = {"form": form, "account": estimate.account, "estimate": estimate}
        return render(request, "growth/estimate_form.html", context)

    def post(self, request, pk: int):
        estimate = _estimate(request, pk, "change")
        form = WalletEstimateForm(request.POST, instance=estimate)

        def save(data):
            fresh = WalletEstimate.objects.select_related("account").get(pk=estimate.pk)
            return services.wallet_estimate_update(actor=request.user, estimate=fresh, data=data)

        context = {"account": estimate.account, "estimate": estimate}
        return _save_estimate(request, form, save, context)


class EstimateDeleteView(Login, View):
    def post(self, request, pk: int):
        estimate = _estimate(request, pk, "delete")
        account_id, year = estimate.account_id, estimate.year
        services.wallet_estimate_delete(actor=request.user, estimate=estimate)
        messages.success(request, _("Wallet estimate deleted."))
        return redirect(f"{_back(account_id).url}?year={year}#wallet")


class EstimateByRuleView(Login, View):
    def post(self, request, account_pk: int):
        account = _account(request, account_pk)
        year = _year(request)
        made = services.wallet_estimates_by_rule(actor=request.user, account=account, year=year)
        if made:
            messages.success(
                request, _("The rule estimated %(count)s categories.") % {"count": len(made)}
            )
        else:
            messages.info(
                request,
                _("Nothing to estimate: the account bought nothing in the latest analysis, "
                  "or every category has an entered estimate."),
            )  # fmt: skip
        return redirect(f"{_back(account.pk).url}?year={year}#wallet")

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from openkam.accounts import selectors as account_selectors
from openkam.accounts.models import Account
from openkam.core.exports import Column, Kind, export_format, export_response
from openkam.core.views import Login, paginate, service_errors_to_form

from . import forms, selectors, services
from .filters import AccountPlanFilterSet
from .models import (
    AccountPlan,
    PlanAction,
    PlanObjective,
    PlanReview,
    PlanRisk,
    ValueProposition,
)

LIST_COLUMNS = [
    Column(gettext_lazy("Account")),
    Column(gettext_lazy("Year"), Kind.INTEGER),
    Column(gettext_lazy("Key account manager")),
    Column(gettext_lazy("Status")),
    Column(gettext_lazy("Completeness"), Kind.PERCENT),
    Column(gettext_lazy("Missing")),
    Column(gettext_lazy("Open actions"), Kind.INTEGER),
    Column(gettext_lazy("Overdue actions"), Kind.INTEGER),
    Column(gettext_lazy("Last review"), Kind.DATE),
    Column(gettext_lazy("Revenue target"), Kind.MONEY),
    Column(gettext_lazy("Revenue (actual)"), Kind.MONEY),
]
GOAL_COLUMNS = [
    Column(gettext_lazy("Goal")),
    Column(gettext_lazy("Target"), Kind.DECIMAL),
    Column(gettext_lazy("Actual"), Kind.DECIMAL),
    Column(gettext_lazy("Reached"), Kind.PERCENT),
    Column(gettext_lazy("Unit")),
]
ACTION_COLUMNS = [
    Column(gettext_lazy("Objective")),
    Column(gettext_lazy("Action")),
    Column(gettext_lazy("Owner")),
    Column(gettext_lazy("Due date"), Kind.DATE),
    Column(gettext_lazy("Status")),
    Column(gettext_lazy("Done on"), Kind.DATE),
    Column(gettext_lazy("Overdue"), Kind.BOOLEAN),
]


def _list_row(plan: AccountPlan) -> list:
    check = selectors.completeness(plan)
    return [
        plan.account.name,
        plan.year,
        plan.owner_username or "",
        plan.get_status_display(),
        check.ratio,
        "; ".join(str(c.label) for c in check.missing),
        plan.n_open_actions,
        plan.n_overdue,
        plan.last_review,
        plan.revenue_target,
        plan.actual_revenue if plan.actual_currency == plan.currency else None,
    ]


class PlanListView(Login, View):
    """Account plans across KAMs (a KAM: their own): status, completeness, overdue actions."""

    def get(self, request):
        filterset = AccountPlanFilterSet(
            request.GET, queryset=selectors.plan_list(user=request.user), request=request
        )
        plans = filterset.qs if filterset.is_valid() else AccountPlan.objects.none()
        wanted = export_format(request)
        if wanted:
            return export_response(
                format=wanted,
                filename="account-plans",
                title=_("Account plans"),
                headers=LIST_COLUMNS,
                rows=(_list_row(p) for p in plans.iterator(chunk_size=500)),
            )
        page = paginate(request, plans)
        rows = [(plan, selectors.completeness(plan)) for plan in page.object_list]
        context = {"filter": filterset, "page": page, "rows": rows}
        template = "plans/_plan_table.html" if request.htmx else "plans/plan_list.html"
        return render(request, template, context)


def _account(request, account_pk: int) -> Account:
    account = account_selectors.account_detail(user=request.user, pk=account_pk)
    if account is None:
        raise Http404
    return account


def _plan_page(request, account: Account, plan: AccountPlan | None, year: int) -> HttpResponse:
    user = request.user
    can_manage = services.may_manage(user, account)
    years = selectors.plan_years(user=user, account_id=account.pk)
    previous = (
        AccountPlan.objects.filter(account=account, year__lt=year).order_by("-year").first()
        if plan is None
        else None
    )
    context = {
        "account": account,
        "tab": "plan",
        "plan": plan,
        "year": year,
        "years": years,
        "previous": previous,
        "can_manage": can_manage,
        "can_change": account_selectors.account_may(user, account, "change"),
        "today": timezone.localdate(),
    }
    if plan is not None:
        context["goals"] = selectors.goals(plan)
        context["completeness"] = selectors.completeness(plan)
        context["next_review"] = selectors.next_review_due(plan)
    return render(request, "plans/plan_detail.html", context)


class AccountPlanView(Login, View):
    """The account's "Account plan" tab: the plan of this year (or `?year=`)."""

    def get(self, request, account_pk: int):
        account = _account(request, account_pk)
        wanted = request.GET.get("year", "")
        year = int(wanted) if wanted.isdigit() and len(wanted) == 4 else timezone.localdate().year
        plan = selectors.plan_of_year(user=request.user, account_id=account.pk, year=year)
        return _plan_page(request, account, plan, year)


def _visible_plan(request, pk: int) -> AccountPlan:
    plan = selectors.plan_detail(user=request.user, pk=pk)
    if plan is None:
        raise Http404
    return plan


class PlanDetailView(Login, View):
    def get(self, request, pk: int):
        plan = _visible_plan(request, pk)
        account = _account(request, plan.account_id)
        return _plan_page(request, account, plan, plan.year)


def _managed_plan(request, pk: int, action: str) -> AccountPlan:
    plan = get_object_or_404(
        AccountPlan.objects.visible_to(request.user, "view").select_related("account"), pk=pk
    )
    if not services.may_write(request.user, plan.account, AccountPlan, action):
        raise PermissionDenied
    return plan


def _to_plan(plan: AccountPlan, anchor: str = ""):
    url = reverse("plans:detail", args=[plan.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


class PlanCreateView(Login, View):
    def _account(self, request, account_pk: int) -> Account:
        account = _account(request, account_pk)
        if not services.may_manage(request.user, account):
            raise PermissionDenied
        return account

    def _render(self, request, account, year_form, form, status=200):
        context = {"account": account, "year_form": year_form, "form": form}
        return render(request, "plans/plan_form.html", context, status=status)

    def get(self, request, account_pk: int):
        account = self._account(request, account_pk)
        wanted = request.GET.get("year", "")
        year = int(wanted) if wanted.isdigit() else timezone.localdate().year
        return self._render(
            request, account, forms.PlanYearForm(initial={"year": year}), forms.AccountPlanForm()
        )

    def post(self, request, account_pk: int):
        account = self._account(request, account_pk)
        year_form = forms.PlanYearForm(request.POST)
        form = forms.AccountPlanForm(request.POST, instance=AccountPlan(account=account))
        if year_form.is_valid() & form.is_valid():
            try:
                plan = services.account_plan_create(
                    actor=request.user,
                    account=account,
                    year=year_form.cleaned_data["year"],
                    data=form.service_data(),
                )
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                messages.success(request, _("Created the account plan %(plan)s.") % {"plan": plan})
                return _to_plan(plan)
        return self._render(request, account, year_form, form, status=400)


class PlanUpdateView(Login, View):
    def get(self, request, pk: int):
        plan = _managed_plan(request, pk, "change")
        form = forms.AccountPlanForm(instance=plan)
        return render(
            request, "plans/plan_form.html", {"account": plan.account, "plan": plan, "form": form}
        )

    def post(self, request, pk: int):
        plan = _managed_plan(request, pk, "change")
        form = forms.AccountPlanForm(request.POST, instance=AccountPlan.objects.get(pk=plan.pk))
        if form.is_valid():
            try:
                services.account_plan_update(
                    actor=request.user, plan=plan, data=form.service_data()
                )
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                messages.success(request, _("Saved the account plan %(plan)s.") % {"plan": plan})
                return _to_plan(plan, "goals")
        context = {"account": plan.account, "plan": plan, "form": form}
        return render(request, "plans/plan_form.html", context, status=400)


class PlanCopyView(Login, View):
    def _render(self, request, plan, form, status=200):
        context = {"plan": plan, "form": form}
        return render(request, "plans/plan_copy.html", context, status=status)

    def get(self, request, pk: int):
        plan = _managed_plan(request, pk, "add")
        wanted = request.GET.get("year", "")
        year = int(wanted) if wanted.isdigit() else max(plan.year + 1, timezone.localdate().year)
        return self._render(request, plan, forms.PlanYearForm(initial={"year": year}))

    def post(self, request, pk: int):
        plan = _managed_plan(request, pk, "add")
        form = forms.PlanYearForm(request.POST)
        if form.is_valid():
            try:
                copy = services.account_plan_copy(
                    actor=request.user, plan=plan, year=form.cleaned_data["year"]
                )
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                messages.success(
                    request,
                    _("Copied %(source)s into %(plan)s.") % {"source": plan, "plan": copy},
                )
                return _to_plan(copy)
        return self._render(request, plan, form, status=400)


class PlanDeleteView(Login, View):
    def get(self, request, pk: int):
        plan = _managed_plan(request, pk, "delete")
        return render(request, "plans/plan_confirm_delete.html", {"plan": plan})

    def post(self, request, pk: int):
        plan = _managed_plan(request, pk, "delete")
        account_id, name = plan.account_id, str(plan)
        services.account_plan_delete(actor=request.user, plan=plan)
        messages.success(request, _("Deleted the account plan %(plan)s.") % {"plan": name})
        return redirect("plans:account", account_id)


class PlanExportView(Login, View):
    """The plan's goals (`?part=goals`) or actions (`?part=actions`) as a spreadsheet."""

    def get(self, request, pk: int):
        plan = _visible_plan(request, pk)
        wanted = export_format(request) or "xlsx"
        if request.GET.get("part") == "goals":
            rows = [
                [
                    str(g.label),
                    g.target,
                    g.actual,
                    g.reached,
                    "%" if g.is_share else plan.currency,
                ]
                for g in selectors.goals(plan)
            ]
            headers, title = GOAL_COLUMNS, _("Goals")
        else:
            rows = [
                [
                    objective.title,
                    action.title,
                    action.owner.get_username(),
                    action.due_date,
                    action.get_status_display(),
                    action.done_on,
                    action.overdue,
                ]
                for objective in plan.objectives.all()
                for action in objective.actions.all()
            ]
            headers, title = ACTION_COLUMNS, _("Actions")
        return export_response(
            format=wanted,
            filename=f"account-plan-{plan.pk}-{request.GET.get('part') or 'actions'}"[:60],
            title=title,
            headers=headers,
            rows=rows,
        )


class PlanPdfView(Login, View):
    """The plan printed as PDF (goals, value propositions, objectives and actions, risks,
    reviews)."""

    def get(self, request, pk: int):
        from openkam.core.pdf import pdf_response

        plan = _visible_plan(request, pk)
        context = {
            "plan": plan,
            "goals": selectors.goals(plan),
            "completeness": selectors.completeness(plan),
            "today": timezone.localdate(),
        }
        return pdf_response(
            request, "plans/plan_print.html", context, filename=f"account-plan-{plan.pk}"
        )


# The plan's parts: value propositions, objectives, actions, risks, reviews -------------------


@dataclass(frozen=True)
class Section:
    name: str
    model: type[models.Model]
    form: type[forms._ServiceForm]
    parent_model: type[models.Model]
    item: str  # the services' keyword for the row
    create: Callable[..., Any]
    update: Callable[..., Any]
    delete: Callable[..., Any]
    anchor: str
    add_title: Any
    edit_title: Any
    needs_people: bool = False

    def plan_of(self, obj) -> AccountPlan:
        if isinstance(obj, AccountPlan):
            return obj
        if isinstance(obj, PlanAction):
            return obj.objective.plan
        return obj.plan

    def parent_kwarg(self) -> str:
        return "objective" if self.parent_model is PlanObjective else "plan"


SECTIONS = {
    "value_proposition": Section(
        "value_proposition",
        ValueProposition,
        forms.ValuePropositionForm,
        AccountPlan,
        "proposition",
        services.value_proposition_create,
        services.value_proposition_update,
        services.value_proposition_delete,
        "value",
        gettext_lazy("Add a value proposition"),
        gettext_lazy("Edit the value proposition"),
    ),
    "objective": Section(
        "objective",
        PlanObjective,
        forms.PlanObjectiveForm,
        AccountPlan,
        "objective",
        services.plan_objective_create,
        services.plan_objective_update,
        services.plan_objective_delete,
        "objectives",
        gettext_lazy("Add an objective"),
        gettext_lazy("Edit the objective"),
    ),
    "action": Section(
        "action",
        PlanAction,
        forms.PlanActionForm,
        PlanObjective,
        "action",
        services.plan_action_create,
        services.plan_action_update,
        services.plan_action_delete,
        "objectives",
        gettext_lazy("Add an action"),
        gettext_lazy("Edit the action"),
        needs_people=True,
    ),
    "risk": Section(
        "risk",
        PlanRisk,
        forms.PlanRiskForm,
        AccountPlan,
        "risk",
        services.plan_risk_create,
        services.plan_risk_update,
        services.plan_risk_delete,
        "risks",
        gettext_lazy("Add a risk"),
        gettext_lazy("Edit the risk"),
    ),
    "review": Section(
        "review",
        PlanReview,
        forms.PlanReviewForm,
        AccountPlan,
        "review",
        services.plan_review_create,
        services.plan_review_update,
        services.plan_review_delete,
        "reviews",
        gettext_lazy("Record a business review"),
        gettext_lazy("Edit the business review"),
        needs_people=True,
    ),
}

_RELATED = {
    AccountPlan: ("account",),
    PlanObjective: ("plan__account",),
    PlanAction: ("objective__plan__account", "owner"),
}


def _fetch(request, model: type[models.Model], pk: int):
    """The row with what it belongs to, or 404 when the user cannot see it."""
    related = _RELATED.get(model, ("plan__account",))
    return get_object_or_404(
        model.objects.visible_to(request.user, "view").select_related(*related), pk=pk
    )


class _SectionView(Login, View):
    section: Section | None = None  # set by urls.py for each part

    def _form(self, request, plan: AccountPlan, data=None, instance=None):
        kwargs = {"instance": instance}
        if self.section.needs_people:
            kwargs |= {"account": plan.account, "user": request.user}
        return self.section.form(data, **kwargs)

    def _render(self, request, plan, form, item=None, status=200, parent=None):
        section = self.section
        context = {
            "plan": plan,
            "form": form,
            "item": item,
            "parent": parent,
            "section": section,
            "title": section.edit_title if item else section.add_title,
        }
        return render(request, "plans/part_form.html", context, status=status)

    def _save(self, request, plan, form, save, item=None, parent=None):
        if form.is_valid():
            data = form.service_data()
            try:
                if self.section.needs_people and self.section.model is PlanReview:
                    ours, theirs = form.attendees()
                    save(data, our_attendees=ours, their_attendees=theirs)
                else:
                    save(data)
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                messages.success(request, _("Saved."))
                return _to_plan(plan, self.section.anchor)
        return self._render(request, plan, form, item=item, status=400, parent=parent)


class SectionCreateView(_SectionView):
    def _parent(self, request, pk: int):
        parent = _fetch(request, self.section.parent_model, pk)
        plan = self.section.plan_of(parent)
        if not services.may_write(request.user, plan.account, self.section.model, "add"):
            raise PermissionDenied
        return parent, plan

    def get(self, request, pk: int):
        parent, plan = self._parent(request, pk)
        return self._render(request, plan, self._form(request, plan), parent=parent)

    def post(self, request, pk: int):
        parent, plan = self._parent(request, pk)
        form = self._form(request, plan, request.POST)

        def save(data, **people):
            return self.section.create(
                actor=request.user, **{self.section.parent_kwarg(): parent}, data=data, **people
            )

        return self._save(request, plan, form, save, parent=parent)


class SectionUpdateView(_SectionView):
    def _item(self, request, pk: int, action: str = "change"):
        item = _fetch(request, self.section.model, pk)
        plan = self.section.plan_of(item)
        if not services.may_write(request.user, plan.account, self.section.model, action):
            raise PermissionDenied
        return item, plan

    def get(self, request, pk: int):
        item, plan = self._item(request, pk)
        return self._render(request, plan, self._form(request, plan, instance=item), item=item)

    def post(self, request, pk: int):
        item, plan = self._item(request, pk)
        fresh = type(item).objects.get(pk=item.pk)  # the form writes into its instance
        form = self._form(request, plan, request.POST, instance=fresh)

        def save(data, **people):
            return self.section.update(
                actor=request.user, **{self.section.item: item}, data=data, **people
            )

        return self._save(request, plan, form, save, item=item)


class SectionDeleteView(SectionUpdateView):
    def get(self, request, pk: int):
        item, plan = self._item(request, pk, "delete")
        context = {"plan": plan, "item": item, "section": self.section}
        return render(request, "plans/part_confirm_delete.html", context)

    def post(self, request, pk: int):
        item, plan = self._item(request, pk, "delete")
        self.section.delete(actor=request.user, **{self.section.item: item})
        messages.success(request, _("Deleted “%(item)s”.") % {"item": item})
        return _to_plan(plan, self.section.anchor)

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from openkam.accounts import selectors as account_selectors
from openkam.accounts.models import Account
from openkam.accounts.selectors import account_may
from openkam.activities import selectors as activity_selectors
from openkam.activities import services as activity_services
from openkam.core.exports import Column, Kind, export_format, export_response
from openkam.core.views import Login, paginate, require_perm, service_errors_to_form
from openkam.users.models import User

from . import coverage, selectors, services
from .filters import StakeholderFilterSet
from .forms import DepartmentForm, StakeholderForm, StakeholderLeaveForm, StakeholderMoveForm
from .models import Stakeholder


def _visible_stakeholder(request, pk: int, action: str = "view") -> Stakeholder:
    stakeholder = get_object_or_404(selectors.stakeholder_detail(user=request.user, pk=pk))
    if (
        action != "view"
        and not Stakeholder.objects.visible_to(request.user, action).filter(pk=pk).exists()
    ):
        raise PermissionDenied
    return stakeholder


def _account_for_people(request, account_pk: int, permission: str) -> Account:
    account = get_object_or_404(Account.objects.visible_to(request.user, "view"), pk=account_pk)
    require_perm(request, permission)
    if not account_may(request.user, account, "change"):
        raise PermissionDenied
    return account


class StakeholderListView(Login, View):
    def get(self, request):
        filterset = StakeholderFilterSet(
            request.GET, queryset=selectors.stakeholder_list(user=request.user), request=request
        )
        qs = filterset.qs if filterset.is_valid() else Stakeholder.objects.none()
        page = paginate(request, qs)
        template = (
            "stakeholders/_stakeholder_table.html"
            if request.htmx
            else "stakeholders/stakeholder_list.html"
        )
        return render(request, template, {"filter": filterset, "page": page})


class StakeholderDetailView(Login, View):
    def get(self, request, pk: int):
        stakeholder = _visible_stakeholder(request, pk)
        can_change = Stakeholder.objects.visible_to(request.user, "change").filter(pk=pk).exists()
        context = {
            "stakeholder": stakeholder,
            "last_contact": activity_selectors.last_contacts([stakeholder]).get(stakeholder.pk),
            "met_by": activity_selectors.met_by(stakeholder),
            "can_log_activity": stakeholder.active
            and activity_services.may_log(request.user, stakeholder.account),
            "can_change": can_change,
            "can_move": can_change and request.user.has_perm("stakeholders.move_stakeholder"),
            "can_delete": Stakeholder.objects.visible_to(request.user, "delete")
            .filter(pk=pk)
            .exists(),
            "assessments": selectors.stakeholder_assessments(stakeholder=stakeholder),
        }
        return render(request, "stakeholders/stakeholder_detail.html", context)


class StakeholderCreateView(Login, View):
    def get(self, request, account_pk: int):
        account = _account_for_people(request, account_pk, "stakeholders.add_stakeholder")
        form = StakeholderForm(user=request.user, account=account)
        return render(
            request, "stakeholders/stakeholder_form.html", {"form": form, "account": account}
        )

    def post(self, request, account_pk: int):
        account = _account_for_people(request, account_pk, "stakeholders.add_stakeholder")
        form = StakeholderForm(request.POST, user=request.user, account=account)
        if form.is_valid():
            try:
                stakeholder = services.stakeholder_create(
                    actor=request.user, account=account, data=form.cleaned_data
                )
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                messages.success(request, _("%(name)s added.") % {"name": stakeholder})
                return redirect("accounts:detail", pk=account.pk)
        return render(
            request,
            "stakeholders/stakeholder_form.html",
            {"form": form, "account": account},
            status=400,
        )


class StakeholderUpdateView(Login, View):
    def get(self, request, pk: int):
        stakeholder = _visible_stakeholder(request, pk, "change")
        form = StakeholderForm(instance=stakeholder, user=request.user, account=stakeholder.account)
        return render(
            request,
            "stakeholders/stakeholder_form.html",
            {"form": form, "account": stakeholder.account, "stakeholder": stakeholder},
        )

    def post(self, request, pk: int):
        stakeholder = _visible_stakeholder(request, pk, "change")
        form = StakeholderForm(
            request.POST,
            instance=Stakeholder.objects.get(pk=pk),
            user=request.user,
            account=stakeholder.account,
        )
        if form.is_valid():
            try:
                services.stakeholder_update(
                    actor=request.user, stakeholder=stakeholder, data=form.cleaned_data
                )
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("stakeholders:detail", pk=pk)
        return render(
            request,
            "stakeholders/stakeholder_form.html",
            {"form": form, "account": stakeholder.account, "stakeholder": stakeholder},
            status=400,
        )


class StakeholderMoveView(Login, View):
    def _stakeholder(self, request, pk):
        stakeholder = _visible_stakeholder(request, pk, "change")
        require_perm(request, "stakeholders.move_stakeholder")
        return stakeholder

    def get(self, request, pk: int):
        stakeholder = self._stakeholder(request, pk)
        form = StakeholderMoveForm(user=request.user, stakeholder=stakeholder)
        return render(
            request,
            "stakeholders/stakeholder_move.html",
            {"form": form, "stakeholder": stakeholder},
        )

    def post(self, request, pk: int):
        stakeholder = self._stakeholder(request, pk)
        form = StakeholderMoveForm(request.POST, user=request.user, stakeholder=stakeholder)
        if form.is_valid():
            data = form.cleaned_data
            try:
                department = (
                    services.department_for_kind(
                        actor=request.user, account=data["account"], kind=data["department_kind"]
                    )
                    if data["department_kind"]
                    else None
                )
                services.stakeholder_move(
                    actor=request.user,
                    stakeholder=stakeholder,
                    account=data["account"],
                    department=department,
                    job_title=data["job_title"],
                    buying_role=data["buying_role"],
                    on=data["on"],
                )
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s now works at %(account)s.")
                    % {"name": stakeholder, "account": data["account"]},
                )
                return redirect("stakeholders:detail", pk=pk)
        return render(
            request,
            "stakeholders/stakeholder_move.html",
            {"form": form, "stakeholder": stakeholder},
            status=400,
        )


class StakeholderLeaveView(Login, View):
    """The person left the account and we do not know where to (a move is the other view)."""

    def _stakeholder(self, request, pk):
        stakeholder = _visible_stakeholder(request, pk, "change")
        require_perm(request, "stakeholders.move_stakeholder")
        return stakeholder

    def _render(self, request, form, stakeholder, status=200):
        context = {"form": form, "stakeholder": stakeholder}
        return render(request, "stakeholders/stakeholder_leave.html", context, status=status)

    def get(self, request, pk: int):
        stakeholder = self._stakeholder(request, pk)
        return self._render(request, StakeholderLeaveForm(), stakeholder)

    def post(self, request, pk: int):
        stakeholder = self._stakeholder(request, pk)
        form = StakeholderLeaveForm(request.POST)
        if form.is_valid():
            try:
                services.stakeholder_leave(
                    actor=request.user, stakeholder=stakeholder, on=form.cleaned_data["on"]
                )
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s left %(account)s.")
                    % {"name": stakeholder, "account": stakeholder.account},
                )
                return redirect("stakeholders:detail", pk=pk)
        return self._render(request, form, stakeholder, status=400)


class StakeholderDeleteView(Login, View):
    def get(self, request, pk: int):
        stakeholder = _visible_stakeholder(request, pk, "delete")
        return render(
            request, "stakeholders/stakeholder_confirm_delete.html", {"stakeholder": stakeholder}
        )

    def post(self, request, pk: int):
        stakeholder = _visible_stakeholder(request, pk, "delete")
        account_pk = stakeholder.account_id
        services.stakeholder_delete(actor=request.user, stakeholder=stakeholder)
        messages.success(request, _("%(name)s deleted.") % {"name": stakeholder.name})
        return redirect("accounts:detail", pk=account_pk)


class DepartmentCreateView(Login, View):
    def get(self, request, account_pk: int):
        account = _account_for_people(request, account_pk, "stakeholders.add_department")
        return render(
            request,
            "stakeholders/department_form.html",
            {"form": DepartmentForm(account=account), "account": account},
        )

    def post(self, request, account_pk: int):
        account = _account_for_people(request, account_pk, "stakeholders.add_department")
        form = DepartmentForm(request.POST, account=account)
        if form.is_valid():
            try:
                services.department_create(actor=request.user, account=account, **form.cleaned_data)
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                messages.success(request, _("Department added."))
                return redirect("accounts:detail", pk=account.pk)
        return render(
            request,
            "stakeholders/department_form.html",
            {"form": form, "account": account},
            status=400,
        )


# -- Org chart, coverage, departures ---------------------------------------------------------


def _account_page(request, account_pk: int) -> tuple[Account, dict]:
    """The account (404 when invisible) and what its tabs need."""
    account = account_selectors.account_detail(user=request.user, pk=account_pk)
    if account is None:
        raise Http404
    return account, {
        "account": account,
        "tab": "people",
        "can_change": account_may(request.user, account, "change"),
        "can_delete": account_may(request.user, account, "delete"),
    }


def may_arrange(user: User, account: Account) -> bool:
    """Who may change reports-to: whoever may change the account's stakeholders fully."""
    return (user.is_superuser or user.has_perm("stakeholders.change_stakeholder")) and account_may(
        user, account, "change"
    )


class OrgChartView(Login, View):
    def get(self, request, account_pk: int):
        account, context = _account_page(request, account_pk)
        chart = selectors.org_chart(user=request.user, account=account)
        context |= {
            "chart": chart,
            "can_arrange": may_arrange(request.user, account),
            "managers": [{"id": p.pk, "name": p.name} for p in chart.people],
        }
        return render(request, "stakeholders/org_chart.html", context)


class ReportsToView(Login, View):
    """The keyboard way of the org chart's drag and drop: a person's manager from a select."""

    def post(self, request, pk: int):
        stakeholder = _visible_stakeholder(request, pk)
        if not may_arrange(request.user, stakeholder.account):
            raise PermissionDenied
        wanted = request.POST.get("reports_to", "")
        boss = None
        if wanted:
            boss = (
                Stakeholder.objects.visible_to(request.user, "view").filter(pk=wanted).first()
                if wanted.isdigit()
                else None
            )
            if boss is None:
                messages.error(request, _("Choose a manager from the list."))
                return redirect("stakeholders:org_chart", account_pk=stakeholder.account_id)
        try:
            services.stakeholder_set_reports_to(
                actor=request.user, stakeholder=stakeholder, reports_to=boss
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            if boss is None:
                messages.success(
                    request, _("%(name)s reports to nobody now.") % {"name": stakeholder}
                )
            else:
                messages.success(
                    request,
                    _("%(name)s reports to %(manager)s now.")
                    % {"name": stakeholder, "manager": boss},
                )
        return redirect("stakeholders:org_chart", account_pk=stakeholder.account_id)


class CoverageView(Login, View):
    def get(self, request, account_pk: int):
        account, context = _account_page(request, account_pk)
        cover = coverage.account_coverage(account=account)
        context["coverage"] = cover
        context["matrix"] = [
            (row, list(zip(cover.users, row.cells, strict=True))) for row in cover.rows
        ]
        return render(request, "stakeholders/coverage.html", context)


class PeoplePanelView(Login, View):
    """The account overview's card: departures (a risk), arrivals (a new door) and gaps."""

    def get(self, request, account_pk: int):
        account = get_object_or_404(Account.objects.visible_to(request.user, "view"), pk=account_pk)
        departures = selectors.account_departures(user=request.user, account=account)
        context = {
            "account": account,
            "risks": [d for d in departures if d.key_person],
            "others_left": [d for d in departures if not d.key_person],
            "arrivals": selectors.account_arrivals(user=request.user, account=account),
            "gaps": coverage.coverage_gaps([account]),
        }
        return render(request, "stakeholders/_people_panel.html", context)


GAP_COLUMNS = [
    Column(gettext_lazy("Account")),
    Column(gettext_lazy("Gap")),
    Column(gettext_lazy("Department")),
    Column(gettext_lazy("Stakeholder")),
    Column(gettext_lazy("Last contact"), Kind.DATETIME),
    Column(gettext_lazy("What")),
]


class CoverageGapsView(Login, View):
    """The coverage gaps across the accounts a user sees: a KAM their own, directors all."""

    def get(self, request):
        owner = None
        wanted = request.GET.get("owner", "")
        if wanted.isdigit():
            owner = User.objects.filter(pk=int(wanted)).first()
        key_only = request.GET.get("key") == "1"
        kind = request.GET.get("kind", "")
        if kind not in coverage.GapKind.__members__.values():
            kind = ""
        accounts = coverage.gap_accounts(user=request.user, owner=owner, key_only=key_only)
        gaps = coverage.stored_gaps(accounts, kind=kind)
        wanted_format = export_format(request)
        if wanted_format:
            return export_response(
                format=wanted_format,
                filename="coverage-gaps",
                title=_("Coverage gaps"),
                headers=GAP_COLUMNS,
                rows=(
                    [
                        g.account.name,
                        g.label,
                        str(g.department) if g.department else "",
                        g.stakeholder.name if g.stakeholder else "",
                        g.last_contact,
                        g.message,
                    ]
                    for g in gaps
                ),
            )
        context = {
            "page": (page := paginate(request, gaps, per_page=100)),
            "count": page.paginator.count,
            "kinds": [(k.value, coverage.gap_label(k)) for k in coverage.GapKind],
            "kind": kind,
            "key_only": key_only,
            "query": request.GET.urlencode(),
        }
        return render(request, "stakeholders/coverage_gaps.html", context)

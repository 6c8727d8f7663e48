from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from openkam.accounts.models import Account
from openkam.accounts.selectors import account_may
from openkam.activities import selectors as activity_selectors
from openkam.activities import services as activity_services
from openkam.core.views import Login, paginate, require_perm, service_errors_to_form

from . import selectors, services
from .filters import StakeholderFilterSet
from .forms import DepartmentForm, StakeholderForm, StakeholderMoveForm
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

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from openkam.activities import selectors as activity_selectors
from openkam.activities import services as activity_services
from openkam.core.exports import Column, Kind, export_format, export_response
from openkam.core.views import Login, paginate, require_perm, service_errors_to_form
from openkam.stakeholders.selectors import account_stakeholders_by_department

from . import selectors, services
from .filters import AccountFilterSet
from .forms import AccountForm, TeamMemberForm
from .models import Account, AccountTeamMember


def _visible_account(request, pk: int, action: str = "view") -> Account:
    """404 when the user cannot see the account; 403 when they see it but may not `action`."""
    account = selectors.account_detail(user=request.user, pk=pk)
    if account is None:
        raise Http404
    if action != "view" and not selectors.account_may(request.user, account, action):
        raise PermissionDenied
    return account


RECENT_ACTIVITIES = 5

EXPORT_HEADERS = [
    gettext_lazy("Name"),
    gettext_lazy("Legal name"),
    gettext_lazy("External id"),
    gettext_lazy("Status"),
    gettext_lazy("Parent account"),
    gettext_lazy("Country"),
    gettext_lazy("Industry"),
    gettext_lazy("Segment"),
    gettext_lazy("Owner"),
    Column(gettext_lazy("Employees"), Kind.INTEGER),
    gettext_lazy("Reporting currency"),
    Column(gettext_lazy("Updated"), Kind.DATETIME),
]


def _export_row(account: Account) -> list:
    return [
        account.name,
        account.legal_name,
        account.external_id,
        account.get_status_display(),
        account.parent.name if account.parent else "",
        account.country.name if account.country else "",
        account.industry,
        str(account.segment or ""),
        account.owner_username or "",
        account.employees,
        account.reporting_currency,
        account.updated_at,
    ]


class AccountListView(Login, View):
    def get(self, request):
        filterset = AccountFilterSet(
            request.GET, queryset=selectors.account_list(user=request.user), request=request
        )
        accounts = filterset.qs if filterset.is_valid() else Account.objects.none()
        wanted = export_format(request)
        if wanted:  # every account matching the filters, not just this page
            return export_response(
                format=wanted,
                filename="accounts",
                title=_("Accounts"),
                headers=EXPORT_HEADERS,
                rows=(
                    _export_row(a)
                    for a in accounts.select_related("parent").iterator(chunk_size=1000)
                ),
            )
        page = paginate(request, accounts)
        context = {
            "filter": filterset,
            "page": page,
            "can_add": request.user.has_perm("accounts.add_account"),
        }
        template = "accounts/_account_table.html" if request.htmx else "accounts/account_list.html"
        return render(request, template, context)


class AccountDetailView(Login, View):
    def get(self, request, pk: int):
        account = _visible_account(request, pk)
        context = {
            "account": account,
            "tab": "overview",
            "subsidiaries": selectors.account_subsidiaries(user=request.user, account=account),
            "departments": account_stakeholders_by_department(user=request.user, account=account),
            "can_change": selectors.account_may(request.user, account, "change"),
            "can_delete": selectors.account_may(request.user, account, "delete"),
            "can_manage_team": request.user.has_perm("accounts.add_accountteammember")
            and selectors.account_may(request.user, account, "change"),
            "activities": activity_selectors.activity_list(user=request.user).filter(
                account=account
            )[:RECENT_ACTIVITIES],
            "can_log_activity": activity_services.may_log(request.user, account),
        }
        return render(request, "accounts/account_detail.html", context)


class AccountHistoryView(Login, View):
    def get(self, request, pk: int):
        account = _visible_account(request, pk)
        page = paginate(request, selectors.account_history(account=account))
        return render(
            request,
            "accounts/account_history.html",
            {"account": account, "page": page, "tab": "history"},
        )


class AccountCreateView(Login, View):
    def get(self, request):
        require_perm(request, "accounts.add_account")
        return render(
            request, "accounts/account_form.html", {"form": AccountForm(user=request.user)}
        )

    def post(self, request):
        require_perm(request, "accounts.add_account")
        form = AccountForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                account = services.account_create(
                    actor=request.user,
                    data=form.account_data(),
                    owner=form.cleaned_data.get("owner"),
                )
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                messages.success(request, _("Account “%(name)s” created.") % {"name": account})
                return redirect("accounts:detail", pk=account.pk)
        return render(request, "accounts/account_form.html", {"form": form}, status=400)


class AccountUpdateView(Login, View):
    def get(self, request, pk: int):
        account = _visible_account(request, pk, "change")
        form = AccountForm(instance=account, user=request.user)
        return render(request, "accounts/account_form.html", {"form": form, "account": account})

    def post(self, request, pk: int):
        account = _visible_account(request, pk, "change")
        form = AccountForm(request.POST, instance=Account.objects.get(pk=pk), user=request.user)
        if form.is_valid():
            try:
                services.account_update(
                    actor=request.user,
                    account=account,
                    data=form.account_data(),
                    owner=form.cleaned_data.get("owner"),
                    set_owner="owner" in form.fields,
                )
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("accounts:detail", pk=account.pk)
        return render(
            request, "accounts/account_form.html", {"form": form, "account": account}, status=400
        )


class AccountDeleteView(Login, View):
    def get(self, request, pk: int):
        account = _visible_account(request, pk, "delete")
        return render(request, "accounts/account_confirm_delete.html", {"account": account})

    def post(self, request, pk: int):
        account = _visible_account(request, pk, "delete")
        try:
            services.account_delete(actor=request.user, account=account)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("accounts:detail", pk=account.pk)
        messages.success(request, _("Account “%(name)s” deleted.") % {"name": account.name})
        return redirect("accounts:list")


class AccountLookupView(Login, View):
    """<option>s for the account-name pickers (HTMX)."""

    def get(self, request):
        # The picker sends its own field's name: q, parent (account form) or account (move).
        text = next((request.GET[k] for k in ("q", "parent", "account") if request.GET.get(k)), "")
        accounts = (
            Account.objects.visible_to(request.user, "view")
            .filter(name__icontains=text.strip())
            .order_by("name")
            .only("name", "external_id")[:20]
            if text.strip()
            else Account.objects.none()
        )
        return render(request, "htmx/account_options.html", {"accounts": accounts})


class TeamMemberAddView(Login, View):
    def _account(self, request, pk):
        require_perm(request, "accounts.add_accountteammember")
        return _visible_account(request, pk, "change")

    def get(self, request, pk: int):
        account = self._account(request, pk)
        form = TeamMemberForm(account=account)
        return render(request, "accounts/team_form.html", {"form": form, "account": account})

    def post(self, request, pk: int):
        account = self._account(request, pk)
        form = TeamMemberForm(request.POST, account=account)
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.account_team_add(
                        actor=request.user, account=account, **form.cleaned_data
                    )
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                messages.success(request, _("Team member added."))
                return redirect(reverse("accounts:detail", args=[account.pk]) + "#team")
        return render(
            request, "accounts/team_form.html", {"form": form, "account": account}, status=400
        )


class TeamMemberRemoveView(Login, View):
    def post(self, request, pk: int, member_pk: int):
        require_perm(request, "accounts.delete_accountteammember")
        account = _visible_account(request, pk, "change")
        member = get_object_or_404(AccountTeamMember, pk=member_pk, account=account)
        try:
            services.account_team_remove(actor=request.user, member=member)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(user)s removed from the team.") % {"user": member.user})
        return redirect(reverse("accounts:detail", args=[account.pk]) + "#team")

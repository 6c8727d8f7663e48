from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View

from openkam.accounts.models import Account
from openkam.core.pdf import pdf_response
from openkam.core.views import Login, paginate, service_errors_to_form

from . import selectors, services
from .forms import BriefForm
from .models import NegotiationBrief

PANEL_BRIEFS = 5


def _visible(request, pk: int) -> NegotiationBrief:
    return get_object_or_404(selectors.brief_list(user=request.user), pk=pk)


def _writable_account(request, account_pk: int) -> Account:
    account = get_object_or_404(Account.objects.visible_to(request.user, "view"), pk=account_pk)
    if not services.may_write(request.user, account, "briefs.add_negotiationbrief"):
        raise PermissionDenied
    return account


def _writable(request, pk: int, permission: str) -> NegotiationBrief:
    brief = _visible(request, pk)
    if not services.may_write(request.user, brief.account, permission):
        raise PermissionDenied
    return brief


class BriefListView(Login, View):
    def get(self, request):
        briefs = selectors.brief_list(user=request.user)
        account = request.GET.get("account", "")
        if account.isdigit():
            briefs = briefs.filter(account_id=int(account))
        return render(request, "briefs/brief_list.html", {"page": paginate(request, briefs)})


class AccountBriefsPanelView(Login, View):
    """The account page's card (loaded by HTMX): the latest briefs and "Prepare a negotiation"."""

    def get(self, request, account_pk: int):
        account = get_object_or_404(Account.objects.visible_to(request.user, "view"), pk=account_pk)
        briefs = selectors.brief_list(user=request.user).filter(account=account)[:PANEL_BRIEFS]
        context = {
            "account": account,
            "briefs": briefs,
            "can_add": services.may_write(request.user, account, "briefs.add_negotiationbrief"),
        }
        return render(request, "briefs/_account_panel.html", context)


class BriefDetailView(Login, View):
    def get(self, request, pk: int):
        brief = _visible(request, pk)
        context = selectors.brief_context(brief)
        context["can_change"] = services.may_write(
            request.user, brief.account, "briefs.change_negotiationbrief"
        )
        return render(request, "briefs/brief_detail.html", context)


class BriefPdfView(Login, View):
    def get(self, request, pk: int):
        brief = _visible(request, pk)
        name = f"brief-{slugify(brief.account.name) or brief.account_id}-{brief.meeting_on}"
        return pdf_response(
            request, "briefs/brief_print.html", selectors.brief_context(brief), filename=name
        )


def _save(request, form: BriefForm, save, context: dict, success: str):
    if form.is_valid():
        data, attendees, ours = form.service_data()
        try:
            brief = save(data, attendees, ours)
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, success % {"title": brief.title})
            return redirect(brief)
    return render(request, "briefs/brief_form.html", {**context, "form": form}, status=400)


class BriefCreateView(Login, View):
    def get(self, request, account_pk: int):
        account = _writable_account(request, account_pk)
        form = BriefForm(user=request.user, account=account)
        return render(request, "briefs/brief_form.html", {"form": form, "account": account})

    def post(self, request, account_pk: int):
        account = _writable_account(request, account_pk)
        form = BriefForm(request.POST, user=request.user, account=account)

        def save(data, attendees, ours):
            return services.brief_create(
                actor=request.user,
                account=account,
                data=data,
                attendees=attendees,
                our_people=ours,
            )

        return _save(request, form, save, {"account": account}, _("Prepared “%(title)s”."))


class BriefUpdateView(Login, View):
    permission = "briefs.change_negotiationbrief"

    def get(self, request, pk: int):
        brief = _writable(request, pk, self.permission)
        form = BriefForm(instance=brief, user=request.user, account=brief.account)
        context = {"form": form, "account": brief.account, "brief": brief}
        return render(request, "briefs/brief_form.html", context)

    def post(self, request, pk: int):
        brief = _writable(request, pk, self.permission)
        form = BriefForm(request.POST, instance=brief, user=request.user, account=brief.account)

        def save(data, attendees, ours):
            fresh = NegotiationBrief.objects.get(pk=brief.pk)  # the form wrote into `brief`
            return services.brief_update(
                actor=request.user, brief=fresh, data=data, attendees=attendees, our_people=ours
            )

        context = {"account": brief.account, "brief": brief}
        return _save(request, form, save, context, _("Saved “%(title)s”."))


class BriefDeleteView(Login, View):
    permission = "briefs.delete_negotiationbrief"

    def get(self, request, pk: int):
        brief = _writable(request, pk, self.permission)
        return render(request, "briefs/brief_confirm_delete.html", {"brief": brief})

    def post(self, request, pk: int):
        brief = _writable(request, pk, self.permission)
        account_id, title = brief.account_id, brief.title
        services.brief_delete(actor=request.user, brief=brief)
        messages.success(request, _("Deleted “%(title)s”.") % {"title": title})
        return redirect(f"{_list_url()}?account={account_id}")


def _list_url() -> str:
    from django.urls import reverse

    return reverse("briefs:list")

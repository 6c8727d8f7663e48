from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from openkam.accounts.models import Account
from openkam.core.exports import Column, Kind, export_format, export_response
from openkam.core.views import Login, paginate, require_perm, service_errors_to_form

from . import selectors, services
from .filters import CompetitorFilterSet
from .forms import AccountCompetitorForm, CompetitorForm
from .models import AccountCompetitor, Competitor

EXPORT_COLUMNS = [
    Column(gettext_lazy("Competitor")),
    Column(gettext_lazy("Website")),
    Column(gettext_lazy("Strengths")),
    Column(gettext_lazy("Accounts present at"), Kind.INTEGER),
    Column(gettext_lazy("Accounts taken"), Kind.INTEGER),
    Column(gettext_lazy("Notes")),
]


def _export_row(c: Competitor) -> list:
    return [c.name, c.website, c.strengths, c.account_count, c.won_count, c.notes]


class CompetitorListView(Login, View):
    def get(self, request):
        require_perm(request, "competitors.view_competitor")
        filterset = CompetitorFilterSet(
            request.GET, queryset=selectors.competitor_list(user=request.user), request=request
        )
        competitors = filterset.qs if filterset.is_valid() else Competitor.objects.none()
        wanted = export_format(request)
        if wanted:
            return export_response(
                format=wanted,
                filename="competitors",
                title=_("Competitors"),
                headers=EXPORT_COLUMNS,
                rows=(_export_row(c) for c in competitors.iterator(chunk_size=1000)),
            )
        context = {
            "filter": filterset,
            "page": paginate(request, competitors),
            "can_add": request.user.has_perm("competitors.add_competitor"),
        }
        template = (
            "competitors/_competitor_table.html"
            if request.htmx
            else "competitors/competitor_list.html"
        )
        return render(request, template, context)


class CompetitorDetailView(Login, View):
    def get(self, request, pk: int):
        require_perm(request, "competitors.view_competitor")
        competitor = get_object_or_404(Competitor, pk=pk)
        presences = (
            selectors.presence_list(user=request.user)
            .filter(competitor=competitor)
            .order_by("account__name")
        )
        context = {
            "competitor": competitor,
            "page": paginate(request, presences),
            "can_change": services.may_edit_register(request.user),
        }
        return render(request, "competitors/competitor_detail.html", context)


def _register_form(request, form, save, context, success):
    if form.is_valid():
        try:
            competitor = save(form.service_data())
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, success % {"name": competitor.name})
            return redirect("competitors:detail", competitor.pk)
    return render(
        request, "competitors/competitor_form.html", {**context, "form": form}, status=400
    )


class CompetitorCreateView(Login, View):
    def get(self, request):
        require_perm(request, "competitors.add_competitor")
        return render(request, "competitors/competitor_form.html", {"form": CompetitorForm()})

    def post(self, request):
        require_perm(request, "competitors.add_competitor")

        def save(data):
            return services.competitor_create(actor=request.user, data=data)

        return _register_form(
            request, CompetitorForm(request.POST), save, {}, _("Added %(name)s to the register.")
        )


class CompetitorUpdateView(Login, View):
    def get(self, request, pk: int):
        require_perm(request, "competitors.change_competitor")
        competitor = get_object_or_404(Competitor, pk=pk)
        context = {"form": CompetitorForm(instance=competitor), "competitor": competitor}
        return render(request, "competitors/competitor_form.html", context)

    def post(self, request, pk: int):
        require_perm(request, "competitors.change_competitor")
        competitor = get_object_or_404(Competitor, pk=pk)
        form = CompetitorForm(request.POST, instance=competitor)

        def save(data):
            fresh = Competitor.objects.get(pk=competitor.pk)
            return services.competitor_update(actor=request.user, competitor=fresh, data=data)

        context = {"competitor": competitor}
        return _register_form(request, form, save, context, _("Saved %(name)s."))


class CompetitorDeleteView(Login, View):
    def get(self, request, pk: int):
        require_perm(request, "competitors.delete_competitor")
        competitor = get_object_or_404(Competitor, pk=pk)
        return render(request, "competitors/competitor_confirm_delete.html", {"object": competitor})

    def post(self, request, pk: int):
        require_perm(request, "competitors.delete_competitor")
        competitor = get_object_or_404(Competitor, pk=pk)
        try:
            services.competitor_delete(actor=request.user, competitor=competitor)
        except ValidationError as error:
            context = {"object": competitor, "errors": error.messages}
            return render(
                request, "competitors/competitor_confirm_delete.html", context, status=400
            )
        messages.success(request, _("Deleted %(name)s.") % {"name": competitor.name})
        return redirect("competitors:list")


def _account(request, account_pk: int) -> Account:
    account = get_object_or_404(Account.objects.visible_to(request.user, "view"), pk=account_pk)
    if not services.may_record(request.user, account):
        raise PermissionDenied
    return account


def _presence(request, pk: int, action: str) -> AccountCompetitor:
    presence = get_object_or_404(selectors.presence_list(user=request.user), pk=pk)
    if not services.may_record(request.user, presence.account, action):
        raise PermissionDenied
    return presence


def _tab(account_id: int):
    return redirect("tenders:account", account_id)


def _presence_form(request, form, save, context, success):
    if form.is_valid():
        data, categories = form.service_data()
        try:
            presence = save(data, categories)
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, success % {"name": presence.competitor.name})
            return _tab(presence.account_id)
    return render(request, "competitors/presence_form.html", {**context, "form": form}, status=400)


class PresenceCreateView(Login, View):
    def get(self, request, account_pk: int):
        account = _account(request, account_pk)
        form = AccountCompetitorForm(account=account)
        return render(request, "competitors/presence_form.html", {"form": form, "account": account})

    def post(self, request, account_pk: int):
        account = _account(request, account_pk)
        form = AccountCompetitorForm(request.POST, account=account)

        def save(data, categories):
            return services.account_competitor_create(
                actor=request.user, account=account, data=data, categories=categories
            )

        return _presence_form(
            request, form, save, {"account": account}, _("Recorded %(name)s at the account.")
        )


class PresenceUpdateView(Login, View):
    def get(self, request, pk: int):
        presence = _presence(request, pk, "change")
        form = AccountCompetitorForm(instance=presence, account=presence.account)
        context = {"form": form, "account": presence.account, "presence": presence}
        return render(request, "competitors/presence_form.html", context)

    def post(self, request, pk: int):
        presence = _presence(request, pk, "change")
        form = AccountCompetitorForm(request.POST, instance=presence, account=presence.account)

        def save(data, categories):
            fresh = AccountCompetitor.objects.select_related("account").get(pk=presence.pk)
            return services.account_competitor_update(
                actor=request.user, presence=fresh, data=data, categories=categories
            )

        context = {"account": presence.account, "presence": presence}
        return _presence_form(request, form, save, context, _("Saved %(name)s."))


class PresenceDeleteView(Login, View):
    def get(self, request, pk: int):
        presence = _presence(request, pk, "delete")
        return render(request, "competitors/presence_confirm_delete.html", {"presence": presence})

    def post(self, request, pk: int):
        presence = _presence(request, pk, "delete")
        account_id, name = presence.account_id, presence.competitor.name
        services.account_competitor_delete(actor=request.user, presence=presence)
        messages.success(request, _("Removed %(name)s from the account.") % {"name": name})
        return _tab(account_id)

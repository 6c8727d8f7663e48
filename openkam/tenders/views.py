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
from openkam.competitors import selectors as competitor_selectors
from openkam.competitors import services as competitor_services
from openkam.competitors.models import Competitor
from openkam.core.exports import Column, Kind, export_format, export_response
from openkam.core.views import Login, paginate, service_errors_to_form

from . import selectors, services
from .filters import TenderFilterSet
from .forms import TenderForm
from .models import Tender

EXPORT_COLUMNS = [
    Column(gettext_lazy("Account")),
    Column(gettext_lazy("Owner")),
    Column(gettext_lazy("Title")),
    Column(gettext_lazy("Category")),
    Column(gettext_lazy("Value"), Kind.DECIMAL),
    Column(gettext_lazy("Currency")),
    Column(gettext_lazy("Announced"), Kind.DATE),
    Column(gettext_lazy("Submitted"), Kind.DATE),
    Column(gettext_lazy("Decided"), Kind.DATE),
    Column(gettext_lazy("Status")),
    Column(gettext_lazy("Reason lost")),
    Column(gettext_lazy("Winning competitor")),
    Column(gettext_lazy("Comment on the loss")),
]


def _export_row(t: Tender) -> list:
    return [
        t.account.name,
        t.owner_username or "",
        t.title,
        t.category.name if t.category else "",
        t.value,
        t.currency,
        t.announced_on,
        t.submitted_on,
        t.decided_on,
        t.get_status_display(),
        t.get_lost_reason_display() if t.lost_reason else "",
        t.winner.name if t.winner else "",
        t.lost_comment,
    ]


def _bars(groups, maximum) -> list[tuple]:
    """(group, width in % of the widest bar) for the CSS bar charts."""
    return [(g, float(g.lost_value / maximum * 100) if maximum else 0.0) for g in groups]


class TenderListView(Login, View):
    """The portfolio's tenders: win rate and lost value by reason and by competitor."""

    def get(self, request):
        filterset = TenderFilterSet(
            request.GET, queryset=selectors.tender_list(user=request.user), request=request
        )
        tenders = filterset.qs if filterset.is_valid() else Tender.objects.none()
        wanted = export_format(request)
        if wanted:
            return export_response(
                format=wanted,
                filename="tenders",
                title=_("Tenders"),
                headers=EXPORT_COLUMNS,
                rows=(_export_row(t) for t in tenders.iterator(chunk_size=1000)),
            )
        stats = selectors.tender_stats(tenders)
        maximum = stats.max_lost_value
        context = {
            "filter": filterset,
            "page": paginate(request, tenders),
            "stats": stats,
            "reason_bars": _bars(stats.by_reason, maximum),
            "competitor_bars": _bars(stats.by_competitor, maximum),
            "competitors": Competitor.objects.order_by("name").only("pk", "name"),
        }
        template = "tenders/_tender_results.html" if request.htmx else "tenders/tender_list.html"
        return render(request, template, context)


class CompetitionView(Login, View):
    """The account's "Competition" tab: who competes there, its tenders and its win rate."""

    def get(self, request, pk: int):
        user = request.user
        account = account_selectors.account_detail(user=user, pk=pk)
        if account is None:
            raise Http404
        tenders = selectors.tender_list(user=user).filter(account=account)
        stats = selectors.tender_stats(tenders)
        context = {
            "account": account,
            "tab": "competition",
            "can_change": account_selectors.account_may(user, account, "change"),
            "can_delete": account_selectors.account_may(user, account, "delete"),
            "presences": competitor_selectors.account_presences(user=user, account_id=account.pk),
            "tenders": tenders,
            "stats": stats,
            "reason_bars": _bars(stats.by_reason, stats.max_lost_value),
            "can_record_competitor": competitor_services.may_record(user, account),
            "can_change_competitor": competitor_services.may_record(user, account, "change"),
            "can_add_tender": services.may_manage(user, account),
            "can_change_tender": services.may_manage(user, account, "change"),
        }
        return render(request, "tenders/competition.html", context)


def _account(request, account_pk: int) -> Account:
    account = get_object_or_404(Account.objects.visible_to(request.user, "view"), pk=account_pk)
    if not services.may_manage(request.user, account):
        raise PermissionDenied
    return account


def _tender(request, pk: int, action: str) -> Tender:
    tender = get_object_or_404(
        Tender.objects.visible_to(request.user).select_related("account"), pk=pk
    )
    if not services.may_manage(request.user, tender.account, action):
        raise PermissionDenied
    return tender


def _save(request, form: TenderForm, save, context: dict, success: str):
    if form.is_valid():
        try:
            tender = save(form.service_data())
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, success % {"title": tender.title})
            return redirect("tenders:account", tender.account_id)
    return render(request, "tenders/tender_form.html", {**context, "form": form}, status=400)


class TenderCreateView(Login, View):
    def get(self, request, account_pk: int):
        account = _account(request, account_pk)
        form = TenderForm(account=account)
        return render(request, "tenders/tender_form.html", {"form": form, "account": account})

    def post(self, request, account_pk: int):
        account = _account(request, account_pk)
        form = TenderForm(request.POST, account=account)

        def save(data):
            return services.tender_create(actor=request.user, account=account, data=data)

        return _save(request, form, save, {"account": account}, _("Recorded “%(title)s”."))


class TenderUpdateView(Login, View):
    def get(self, request, pk: int):
        tender = _tender(request, pk, "change")
        form = TenderForm(instance=tender, account=tender.account)
        context = {"form": form, "account": tender.account, "tender": tender}
        return render(request, "tenders/tender_form.html", context)

    def post(self, request, pk: int):
        tender = _tender(request, pk, "change")
        form = TenderForm(request.POST, instance=tender, account=tender.account)

        def save(data):
            fresh = Tender.objects.select_related("account").get(pk=tender.pk)
            return services.tender_update(actor=request.user, tender=fresh, data=data)

        context = {"account": tender.account, "tender": tender}
        return _save(request, form, save, context, _("Saved “%(title)s”."))


class TenderDeleteView(Login, View):
    def get(self, request, pk: int):
        tender = _tender(request, pk, "delete")
        return render(request, "tenders/tender_confirm_delete.html", {"tender": tender})

    def post(self, request, pk: int):
        tender = _tender(request, pk, "delete")
        account_id, title = tender.account_id, tender.title
        services.tender_delete(actor=request.user, tender=tender)
        messages.success(request, _("Deleted “%(title)s”.") % {"title": title})
        return redirect("tenders:account", account_id)

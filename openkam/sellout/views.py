from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from openkam.accounts import selectors as account_selectors
from openkam.accounts.models import Account
from openkam.analytics.sellout import AccountDecomposition, Decomposition
from openkam.core.exports import Column, Kind, export_format, export_response
from openkam.core.views import Login, paginate

from . import charts, selectors
from .forms import PeriodsForm
from .importer import rows_of

LEVER_LABELS = {
    "shoppers": gettext_lazy("More shoppers"),
    "frequency": gettext_lazy("More frequent visits"),
    "spend": gettext_lazy("More spend per visit"),
}
STORE_STATUS = {
    "new": gettext_lazy("new"),
    "closed": gettext_lazy("closed"),
    "continuing": "",
}

EXPORT_COLUMNS = [
    Column(gettext_lazy("Store or channel")),
    Column(gettext_lazy("Status")),
    Column(gettext_lazy("Shoppers before"), Kind.INTEGER),
    Column(gettext_lazy("Shoppers"), Kind.INTEGER),
    Column(gettext_lazy("Visits before"), Kind.INTEGER),
    Column(gettext_lazy("Visits"), Kind.INTEGER),
    Column(gettext_lazy("Sell-out before"), Kind.MONEY),
    Column(gettext_lazy("Sell-out"), Kind.MONEY),
    Column(gettext_lazy("Change"), Kind.MONEY),
    Column(gettext_lazy("More shoppers"), Kind.MONEY),
    Column(gettext_lazy("More frequent visits"), Kind.MONEY),
    Column(gettext_lazy("More spend per visit"), Kind.MONEY),
]


def _export_row(name: str, status: str, d: Decomposition) -> list:
    return [
        name,
        status,
        d.before.shoppers,
        d.after.shoppers,
        d.before.visits,
        d.after.visits,
        d.before.value,
        d.after.value,
        d.change,
        d.shoppers,
        d.frequency,
        d.spend,
    ]


def _export_rows(result: AccountDecomposition):
    """The account's total first, then every store: the page's two tables in one."""
    yield _export_row(_("All stores"), "", result.total)
    for store in result.stores:
        yield _export_row(store.store, str(STORE_STATUS[store.status]), store.decomposition)


class ImportListView(Login, View):
    def get(self, request):
        page = paginate(request, selectors.import_list(user=request.user))
        for batch in page:
            batch.reason_rows = list(rows_of(batch))
        return render(request, "sellout/import_list.html", {"page": page})


class ImportRejectsView(Login, View):
    def get(self, request, pk: int):
        batch = get_object_or_404(selectors.import_list(user=request.user), pk=pk)
        if not batch.rejects_csv:
            raise Http404(_("This import rejected no line."))
        response = HttpResponse(batch.rejects_csv, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="sellout-{batch.pk}-rejects.csv"'
        return response


class AccountSelloutView(Login, View):
    def get(self, request, pk: int):
        user = request.user
        account = get_object_or_404(Account.objects.visible_to(user, "view"), pk=pk)
        form = PeriodsForm(request.GET or None)
        before = after = None
        if form.is_bound and form.is_valid():
            before, after = form.cleaned_data.get("before"), form.cleaned_data.get("after")
        found = selectors.account_sellout(user=user, account=account, before=before, after=after)
        wanted = export_format(request)
        if wanted and found is not None:
            return export_response(
                format=wanted,
                filename=f"sellout-{account.pk}-{found.before.key}-vs-{found.after.key}".replace(
                    "..", "_"
                ),
                title=_("Sell-out"),
                headers=EXPORT_COLUMNS,
                rows=_export_rows(found.result),
            )
        propositions = selectors.value_propositions_by_lever(user=user, account=account)
        levers = []
        if found is not None:
            total = found.result.total
            levers = [
                {
                    "key": lever,
                    "label": LEVER_LABELS[lever],
                    "amount": total.part(lever),
                    "propositions": propositions[lever],
                }
                for lever in ("shoppers", "frequency", "spend")
            ]
        context = {
            "account": account,
            "tab": "sellout",
            "can_change": account_selectors.account_may(user, account, "change"),
            "can_delete": account_selectors.account_may(user, account, "delete"),
            "form": form,
            "found": found,
            "levers": levers,
            "currency": settings.REPORTING_CURRENCY,
            "chart": charts.waterfall(found.result.total, settings.REPORTING_CURRENCY)
            if found
            else "",
            "stores": [{"row": s, "status": STORE_STATUS[s.status]} for s in found.result.stores]
            if found
            else [],
        }
        status = 400 if form.is_bound and not form.is_valid() else 200
        return render(request, "sellout/account.html", context, status=status)

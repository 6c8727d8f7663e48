from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from openkam.accounts import selectors as account_selectors
from openkam.accounts.models import Account
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

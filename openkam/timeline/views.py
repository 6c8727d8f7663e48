from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from openkam.accounts import selectors as account_selectors
from openkam.core.exports import Column, Kind, export_format, export_response
from openkam.core.views import Login

from . import charts, selectors
from .events import EventKind

EXPORT_COLUMNS = [
    Column(gettext_lazy("Date and time"), Kind.DATETIME),
    Column(gettext_lazy("Kind")),
    Column(gettext_lazy("What")),
    Column(gettext_lazy("Details")),
    Column(gettext_lazy("Amount"), Kind.MONEY),
]
EXPORT_PAGE = 10_000


def page_number(request) -> int:
    try:
        return int(request.GET.get("page", 1))
    except ValueError:
        return 1


class AccountTimelineView(Login, View):
    def get(self, request, pk: int):
        account = account_selectors.account_detail(user=request.user, pk=pk)
        if account is None:
            raise Http404
        kinds = request.GET.getlist("kind")
        wanted = export_format(request)
        if wanted:
            timeline = selectors.account_timeline(account, kinds=kinds, per_page=EXPORT_PAGE)
            labels = dict(EventKind.choices)
            return export_response(
                format=wanted,
                filename="timeline",
                title=_("Timeline"),
                headers=EXPORT_COLUMNS,
                rows=(
                    [
                        e.when.date() if e.dated else e.when,
                        str(labels[e.kind]),
                        e.title,
                        e.detail,
                        e.amount,
                    ]
                    for e in timeline.events
                ),
            )
        timeline = selectors.account_timeline(account, kinds=kinds, page=page_number(request))
        context = {"account": account, "timeline": timeline, "tab": "timeline"}
        if request.htmx:
            return render(request, "timeline/_events.html", context)
        sales = selectors.monthly_revenue(account)
        context |= {
            "kinds": selectors.available_kinds(),
            "chart": charts.monthly_revenue(sales.months, sales.currency) if sales.months else "",
            "can_change": account_selectors.account_may(request.user, account, "change"),
            "can_delete": account_selectors.account_may(request.user, account, "delete"),
        }
        return render(request, "timeline/timeline.html", context)

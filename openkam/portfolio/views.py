"""The portfolio cockpit: the first screen a director opens."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View

from openkam.core.exports import Column, Kind, export_format, export_response
from openkam.core.formatting import buddhist_era
from openkam.core.views import Login, paginate
from openkam.metrics import selectors as metrics_selectors
from openkam.metrics.labels import rhythm_label

from . import charts, selectors
from .forms import AccountsForm, CockpitForm
from .selectors import CockpitQuery


def _query_string(query: CockpitQuery, **extra) -> str:
    """The cockpit's choices as a query string (what a link keeps)."""
    params = {
        "as_of": query.as_of.isoformat() if query.as_of else "",
        "period": query.period,
        **query.filters(),
        **extra,
    }
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def _form(request) -> CockpitForm:
    return CockpitForm(
        request.GET or None, user=request.user, dates=metrics_selectors.available_dates()
    )


MATRIX_HEADERS = [
    gettext_lazy("ABC"),
    gettext_lazy("XYZ"),
    Column(gettext_lazy("Accounts"), Kind.INTEGER),
    Column(gettext_lazy("Share of accounts"), Kind.PERCENT),
    Column(gettext_lazy("Revenue over the window"), Kind.MONEY),
    Column(gettext_lazy("Share of revenue"), Kind.PERCENT),
]
SERIES_HEADERS = [
    Column(gettext_lazy("Period start"), Kind.DATE),
    Column(gettext_lazy("Period end"), Kind.DATE),
    Column(gettext_lazy("Revenue"), Kind.MONEY),
    Column(gettext_lazy("Active accounts"), Kind.INTEGER),
    Column(gettext_lazy("Retention rate"), Kind.PERCENT),
    Column(gettext_lazy("Net revenue retention"), Kind.PERCENT),
    Column(gettext_lazy("Gross revenue retention"), Kind.PERCENT),
    Column(gettext_lazy("Lost"), Kind.INTEGER),
    Column(gettext_lazy("Regained"), Kind.INTEGER),
    Column(gettext_lazy("New"), Kind.INTEGER),
    gettext_lazy("History covers the period"),
]
COVERAGE_LABELS = {
    "full": gettext_lazy("fully"),
    "partial": gettext_lazy("in part"),
    "none": gettext_lazy("not at all"),
}


def _export_tables(cockpit: selectors.Cockpit, table: str, wanted: str):
    if table == "series":
        return export_response(
            format=wanted,
            filename="portfolio-series",
            title=_("Series"),
            headers=SERIES_HEADERS,
            rows=(
                [
                    p["start"],
                    p["end"],
                    float(p["revenue"] or 0),
                    p["active"],
                    p["retention_rate"],
                    p["revenue_retention_net"],
                    p["revenue_retention_gross"],
                    p["lost"],
                    p["regained"],
                    p["new"],
                    str(COVERAGE_LABELS.get(p.get("covered"), "")),
                ]
                for p in reversed(cockpit.series)
            ),
        )
    return export_response(
        format=wanted,
        filename="portfolio-abc-xyz",
        title=_("ABC-XYZ matrix"),
        headers=MATRIX_HEADERS,
        rows=(
            [
                c["abc"],
                c["xyz"],
                c["accounts"],
                round(c["account_share"], 4),
                float(c["revenue"]),
                round(c["revenue_share"], 4),
            ]
            for c in cockpit.matrix
        ),
    )


CACHE_SECONDS = 600


class CockpitView(Login, View):
    """Headline figures against their targets, the Pareto curve, the ABC–XYZ matrix and the
    series, for the snapshot, period and accounts chosen. `?format=xlsx|csv&table=matrix|series`
    downloads the matrix or the series. What it shows is kept in the cache under the
    snapshot, the choices, the user's scope and the latest change to any account
    (`selectors.cache_key`), so a second look costs a few queries."""

    def get(self, request):
        wanted = export_format(request)
        partial = bool(request.htmx)
        key = None
        if not wanted:
            era = "be" if buddhist_era() else "ce"  # Buddhist-era years are shown differently
            kind = f"{'partial' if partial else 'page'}-{get_language()}-{era}"
            params = request.GET.urlencode()
            key = selectors.cache_key(user=request.user, params=params, kind=kind)
            body = cache.get(key)
            if body is not None:
                return self._respond(request, partial, body)
        form = _form(request)
        query = form.query()
        snapshot = metrics_selectors.snapshot_for(query.as_of)
        if wanted and snapshot is not None:
            cockpit = selectors.cockpit(user=request.user, query=query, snapshot=snapshot)
            return _export_tables(cockpit, request.GET.get("table", "matrix"), wanted)
        template = "portfolio/_cockpit.html" if partial else "portfolio/_body.html"
        context = {"form": form, "query": query, "cockpit": None}
        if snapshot is not None:
            context.update(_cockpit_context(request.user, query, snapshot))
        body = render_to_string(template, context, request)
        if key is not None and snapshot is not None:
            cache.set(key, body, CACHE_SECONDS)
        return self._respond(request, partial, body, context["cockpit"])

    def _respond(self, request, partial: bool, body: str, cockpit=None):
        if partial:
            return HttpResponse(body)
        context = {"body": mark_safe(body), "cockpit": cockpit}  # noqa: S308 -- our own render
        return render(request, "portfolio/cockpit.html", context)


def _cockpit_context(user, query: CockpitQuery, snapshot) -> dict:
    cockpit = selectors.cockpit(user=user, query=query, snapshot=snapshot)
    base = reverse("portfolio:accounts")

    def link(abc: str, xyz: str) -> str:
        return f"{base}?{_query_string(query, abc=abc, xyz=xyz)}"

    h = cockpit.headline
    return {
        "cockpit": cockpit,
        "qs": _query_string(query),
        "accounts_url": base,
        "pareto_svg": charts.pareto(cockpit.pareto, h.get("top20_share")),
        "matrix_svg": charts.matrix(cockpit.matrix, link),
        "revenue_svg": charts.revenue_retention(
            cockpit.series, query.period, selectors.RETENTION_TARGET
        ),
        "lapse_svg": charts.lost_regained(cockpit.series, query.period),
        "series_rows": list(reversed(cockpit.series)),
        "band": selectors.KEY_SHARE_BAND,
        "target": selectors.RETENTION_TARGET,
    }


ACCOUNT_HEADERS = [
    gettext_lazy("Account"),
    gettext_lazy("External id"),
    gettext_lazy("Status"),
    gettext_lazy("Country"),
    gettext_lazy("Segment"),
    gettext_lazy("Owner"),
    gettext_lazy("ABC"),
    gettext_lazy("XYZ"),
    Column(gettext_lazy("Revenue in the period"), Kind.MONEY),
    Column(gettext_lazy("Revenue over the window"), Kind.MONEY),
    Column(gettext_lazy("Growth on the previous period"), Kind.PERCENT),
    Column(gettext_lazy("Growth on a year before"), Kind.PERCENT),
    gettext_lazy("Rhythm"),
    Column(gettext_lazy("Days since last purchase"), Kind.INTEGER),
    gettext_lazy("Overdue"),
    gettext_lazy("Lost"),
]


def _account_row(row) -> list:
    account = row.account
    return [
        account.name,
        account.external_id,
        account.get_status_display(),
        account.country.name if account.country else "",
        str(account.segment or ""),
        row.owner_username or "",
        row.abc,
        row.xyz,
        row.revenue,
        row.window_revenue,
        row.growth_prev,
        row.growth_year_ago,
        rhythm_label(row.rhythm),
        row.days_since_purchase,
        bool(row.is_overdue),
        bool(row.is_lost),
    ]


class CockpitAccountsView(Login, View):
    """The accounts behind a matrix cell or a headline figure, under the cockpit's choices;
    an HTMX request (or `partial=1`) gets the list alone, `?format=xlsx|csv` downloads it."""

    def get(self, request):
        form = _form(request)
        query = form.query()
        which = AccountsForm(request.GET)
        choice = which.cleaned_data if which.is_valid() else {}
        snapshot = metrics_selectors.snapshot_for(query.as_of)
        rows = None
        if snapshot is not None:
            rows = selectors.cockpit_accounts(
                user=request.user,
                query=query,
                snapshot=snapshot,
                abc=choice.get("abc") or None,
                xyz=choice.get("xyz") or None,
                flag=choice.get("flag") or None,
            )
        title = _title(choice)
        wanted = export_format(request)
        if wanted and rows is not None:
            return export_response(
                format=wanted,
                filename="portfolio-accounts",
                title=title,
                headers=ACCOUNT_HEADERS,
                rows=(_account_row(r) for r in rows.iterator(chunk_size=1000)),
            )
        context = {
            "form": form,
            "query": query,
            "snapshot": snapshot,
            "title": title,
            "page": paginate(request, rows) if rows is not None else None,
            "qs": _query_string(query, **{k: v for k, v in choice.items() if v}),
            "cockpit_qs": _query_string(query),
        }
        partial = request.htmx or request.GET.get("partial")
        template = "portfolio/_accounts.html" if partial else "portfolio/accounts.html"
        return render(request, template, context)


def _title(choice: dict) -> str:
    cell = f"{choice.get('abc') or ''}{choice.get('xyz') or ''}"
    parts = []
    if cell:
        parts.append(_("cell %(cell)s") % {"cell": cell})
    if choice.get("flag"):
        parts.append(str(selectors.FLAGS[choice["flag"]]))
    return _("Accounts: %(which)s") % {"which": ", ".join(parts)} if parts else _("Accounts")

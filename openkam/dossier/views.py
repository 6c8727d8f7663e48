from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from openkam.accounts import selectors as account_selectors
from openkam.accounts.models import Account
from openkam.activities import selectors as activity_selectors
from openkam.core.exports import Column, Kind, export_format, export_response
from openkam.core.pdf import pdf_response
from openkam.core.views import Login, paginate, service_errors_to_form
from openkam.stakeholders.models import Stakeholder

from . import selectors, services
from .forms import KeyFigureForm, PortraitSectionForm, ProfileForm
from .models import Area, KeyFigure

# Sections of the printed dossier, in order. Other parts of Account 360 (competitors,
# tenders, the account plan) add their own include here; each gets the same context.
PDF_SECTIONS = [
    "dossier/print/_general.html",
    "dossier/print/_key_figures.html",
    "dossier/print/_portrait.html",
    "dossier/print/_stakeholders.html",
    "dossier/print/_activities.html",
]
PDF_ACTIVITIES = 15


def _account(request, pk: int) -> Account:
    account = account_selectors.account_detail(user=request.user, pk=pk)
    if account is None:
        raise Http404
    return account


def _to_dossier(account: Account, anchor: str = ""):
    return redirect(reverse("dossier:account", args=[account.pk]) + anchor)


def _dossier_context(request, account: Account) -> dict:
    figures = selectors.key_figures(account=account)
    user = request.user
    return {
        "account": account,
        "profile": selectors.profile(account=account),
        "figures": figures,
        "bars": selectors.turnover_bars(figures),
        "portrait": selectors.portrait(account=account),
        "stale_months": selectors.stale_months(),
        "can_edit_profile": services.may_edit_profile(user, account),
        "can_edit_figures": services.may_edit_key_figures(user, account),
        "can_edit_portrait": services.may_edit_portrait(user, account),
    }


class DossierView(Login, View):
    """The account's "Dossier" tab: general information, key figures, the portrait."""

    def get(self, request, pk: int):
        account = _account(request, pk)
        context = {
            **_dossier_context(request, account),
            "tab": "dossier",
            "can_change": account_selectors.account_may(request.user, account, "change"),
            "can_delete": account_selectors.account_may(request.user, account, "delete"),
        }
        return render(request, "dossier/account_dossier.html", context)


def _form_page(request, account: Account, form, title: str, status: int = 200, **extra):
    context = {"account": account, "form": form, "title": title, **extra}
    return render(request, "dossier/form.html", context, status=status)


def _post(request, account: Account, form, save, title: str, success: str, anchor: str, **extra):
    if form.is_valid():
        try:
            save(form.service_data())
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, success)
            return _to_dossier(account, anchor)
    return _form_page(request, account, form, title, status=400, **extra)


class ProfileEditView(Login, View):
    def _editable(self, request, pk: int) -> Account:
        account = _account(request, pk)
        if not services.may_edit_profile(request.user, account):
            raise PermissionDenied
        return account

    def get(self, request, pk: int):
        account = self._editable(request, pk)
        form = ProfileForm(instance=selectors.profile(account=account))
        return _form_page(request, account, form, _("General information"))

    def post(self, request, pk: int):
        account = self._editable(request, pk)
        form = ProfileForm(request.POST, instance=selectors.profile(account=account))

        def save(data):
            return services.account_profile_update(actor=request.user, account=account, data=data)

        return _post(
            request, account, form, save, _("General information"), _("Saved."), "#general"
        )


class KeyFigureCreateView(Login, View):
    def _editable(self, request, pk: int) -> Account:
        account = _account(request, pk)
        if not services.may_edit_key_figures(request.user, account):
            raise PermissionDenied
        return account

    def get(self, request, pk: int):
        account = self._editable(request, pk)
        return _form_page(request, account, KeyFigureForm(account=account), _("Key figures"))

    def post(self, request, pk: int):
        account = self._editable(request, pk)
        form = KeyFigureForm(request.POST, account=account)

        def save(data):
            return services.key_figure_create(actor=request.user, account=account, data=data)

        return _post(request, account, form, save, _("Key figures"), _("Saved."), "#key-figures")


def _figure(request, pk: int) -> KeyFigure:
    figure = get_object_or_404(
        KeyFigure.objects.visible_to(request.user).select_related("account"), pk=pk
    )
    if not services.may_edit_key_figures(request.user, figure.account):
        raise PermissionDenied
    return figure


class KeyFigureUpdateView(Login, View):
    def get(self, request, pk: int):
        figure = _figure(request, pk)
        form = KeyFigureForm(instance=figure, account=figure.account)
        return _form_page(request, figure.account, form, _("Key figures"), figure=figure)

    def post(self, request, pk: int):
        figure = _figure(request, pk)
        form = KeyFigureForm(request.POST, instance=figure, account=figure.account)

        def save(data):
            fresh = KeyFigure.objects.get(pk=figure.pk)  # the form wrote into `figure`
            return services.key_figure_update(actor=request.user, figure=fresh, data=data)

        return _post(
            request,
            figure.account,
            form,
            save,
            _("Key figures"),
            _("Saved."),
            "#key-figures",
            figure=figure,
        )


class KeyFigureDeleteView(Login, View):
    def get(self, request, pk: int):
        figure = _figure(request, pk)
        return render(request, "dossier/key_figure_confirm_delete.html", {"figure": figure})

    def post(self, request, pk: int):
        figure = _figure(request, pk)
        account = figure.account
        services.key_figure_delete(actor=request.user, figure=figure)
        messages.success(request, _("Deleted the key figures of %(year)s.") % {"year": figure.year})
        return _to_dossier(account, "#key-figures")


class PortraitSectionEditView(Login, View):
    def _editable(self, request, pk: int, area: str) -> Account:
        if area not in Area.values:
            raise Http404
        account = _account(request, pk)
        if not services.may_edit_portrait(request.user, account):
            raise PermissionDenied
        return account

    def _section(self, account: Account, area: str):
        return selectors.portrait(account=account).by_area()[area].section

    def get(self, request, pk: int, area: str):
        account = self._editable(request, pk, area)
        form = PortraitSectionForm(
            instance=self._section(account, area), account=account, area=area
        )
        return _form_page(request, account, form, str(Area(area).label), area=area)

    def post(self, request, pk: int, area: str):
        account = self._editable(request, pk, area)
        form = PortraitSectionForm(
            request.POST, instance=self._section(account, area), account=account, area=area
        )

        def save(data):
            return services.portrait_section_save(
                actor=request.user, account=account, area=area, data=data
            )

        label = str(Area(area).label)
        success = _("Saved “%(section)s”.") % {"section": label}
        return _post(request, account, form, save, label, success, f"#portrait-{area}", area=area)


class DossierPdfView(Login, View):
    """The dossier printed: general information, key figures, portrait, the people and the
    latest activities."""

    def get(self, request, pk: int):
        account = _account(request, pk)
        people = (
            Stakeholder.objects.visible_to(request.user)
            .filter(account=account, active=True)
            .select_related("department__kind")
            .order_by("department__kind__order", "department__name", "name")
        )
        activities = activity_selectors.activity_list(user=request.user).filter(account=account)
        context = {
            **_dossier_context(request, account),
            "people": list(people),
            "activities": list(activities[:PDF_ACTIVITIES]),
            "sections": PDF_SECTIONS,
            "printed_on": timezone.localdate(),
        }
        filename = f"dossier-{slugify(account.name) or account.pk}"
        return pdf_response(request, "dossier/print/dossier.html", context, filename=filename)


STALE_COLUMNS = [
    Column(gettext_lazy("Key account manager")),
    Column(gettext_lazy("Account")),
    Column(gettext_lazy("Country")),
    Column(gettext_lazy("Stale sections")),
    Column(gettext_lazy("Missing sections")),
    Column(gettext_lazy("Oldest review"), Kind.DATE),
]


def _stale_row(account: Account, portrait: selectors.Portrait) -> list:
    reviewed = [s.section.reviewed_on for s in portrait.stale if s.section.reviewed_on]
    return [
        account.owner_username or "",
        account.name,
        account.country.name if account.country else "",
        ", ".join(s.label for s in portrait.stale),
        ", ".join(s.label for s in portrait.missing),
        min(reviewed) if reviewed else None,
    ]


def _stale_rows(accounts, chunk: int = 500):
    batch = []
    for account in accounts.iterator(chunk_size=chunk):
        batch.append(account)
        if len(batch) == chunk:
            yield from _rows_of(batch)
            batch = []
    yield from _rows_of(batch)


def _rows_of(batch):
    portraits = selectors.portraits_of(batch)
    return [_stale_row(a, portraits[a.pk]) for a in batch]


class StalePortraitListView(Login, View):
    """The key accounts whose portrait has stale or missing strategy sections, by KAM."""

    def get(self, request):
        accounts = selectors.stale_portraits(user=request.user)
        owner = request.GET.get("owner", "").strip()
        if owner:
            accounts = accounts.filter(owner_username=owner)
        wanted = export_format(request)
        if wanted:
            return export_response(
                format=wanted,
                filename="stale-portraits",
                title=_("Stale portraits"),
                headers=STALE_COLUMNS,
                rows=_stale_rows(accounts),
            )
        page = paginate(request, accounts)
        portraits = selectors.portraits_of(list(page.object_list))
        rows = [(a, portraits[a.pk]) for a in page.object_list]
        context = {
            "page": page,
            "rows": rows,
            "owner": owner,
            "stale_months": selectors.stale_months(),
        }
        template = "dossier/_stale_table.html" if request.htmx else "dossier/stale_list.html"
        return render(request, template, context)

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from openkam.core import formatting
from openkam.core.exports import Column, Kind, export_format, export_response
from openkam.core.views import Login, paginate, require_perm, service_errors_to_form
from openkam.users.models import User
from openkam.users.roles import Role

from . import charts, selectors, services
from .forms import SplitForm, TimeEntryForm
from .models import TimeEntry

VIEW_PERMISSION = "timesplit.view_timeentry"
LATEST_ENTRIES = 25
CHANGED_EVENT = "timesplit-changed"

PEOPLE_COLUMNS = [
    Column(gettext_lazy("Username")),
    Column(gettext_lazy("Name")),
    Column(gettext_lazy("Period from"), Kind.DATE),
    Column(gettext_lazy("Period to"), Kind.DATE),
    Column(gettext_lazy("Key-account work (hours)"), Kind.DECIMAL),
    Column(gettext_lazy("New business (hours)"), Kind.DECIMAL),
    Column(gettext_lazy("Other (hours)"), Kind.DECIMAL),
    Column(gettext_lazy("Total (hours)"), Kind.DECIMAL),
    Column(gettext_lazy("Share on key accounts"), Kind.PERCENT),
    Column(gettext_lazy("Target"), Kind.PERCENT),
]
ACCOUNT_COLUMNS = [
    Column(gettext_lazy("Account")),
    Column(gettext_lazy("External id")),
    Column(gettext_lazy("Status")),
    Column(gettext_lazy("Owner")),
    Column(gettext_lazy("Hours"), Kind.DECIMAL),
    Column(gettext_lazy("Revenue, 12 months"), Kind.MONEY),
    Column(gettext_lazy("Hours per 1,000 of revenue (a year)"), Kind.DECIMAL),
    Column(gettext_lazy("Growth on the 12 months before"), Kind.PERCENT),
    gettext_lazy("Over-served"),
    gettext_lazy("Neglected"),
]


def _described(entry: TimeEntry) -> str:
    return _("%(hours)s hours (%(purpose)s) in the week of %(week)s") % {
        "hours": formatting.number(entry.hours, 2),
        "purpose": entry.get_purpose_display(),
        "week": formatting.day(entry.week),
    }


def _people_rows(people: list[selectors.PersonSplit], target: float):
    for split in people:
        for part in split.periods:
            hours = part.hours
            yield [
                split.user.get_username(),
                split.user.get_full_name(),
                part.start,
                part.end,
                round(hours.key_account, 2),
                round(hours.new_business, 2),
                round(hours.other, 2),
                round(hours.total, 2),
                hours.share,
                target,
            ]


def _account_rows(report: selectors.AccountReport):
    for row in report.rows:
        account = row.account
        yield [
            account.name,
            account.external_id or "",
            account.get_status_display(),
            account.owner_username or "",
            row.hours,
            row.revenue,
            None if row.hours_per_thousand is None else round(row.hours_per_thousand, 3),
            row.growth,
            row.over_served,
            row.neglected,
        ]


def _latest_entries(user: User):
    return (
        TimeEntry.objects.visible_to(user)
        .filter(user=user)
        .select_related("account")
        .order_by("-week", "-id")[:LATEST_ENTRIES]
    )


def _entries_context(request, form: TimeEntryForm | None = None) -> dict:
    may_record = services.may_record(request.user)
    if may_record and form is None:
        form = TimeEntryForm(user=request.user)
    return {"entry_form": form, "entries": _latest_entries(request.user), "may_record": may_record}


class TimeSplitView(Login, View):
    """Each person's 80/20 split and the time each account gets, with quick weekly entry."""

    def get(self, request):
        require_perm(request, VIEW_PERMISSION)
        form = SplitForm(request.GET, reader=request.user)
        everyone = selectors.sees_everyone(request.user)
        context = {"form": form, "sees_everyone": everyone, "target": selectors.target()}
        if everyone:
            context["people_choices"] = User.objects.filter(
                is_active=True, groups__name=Role.KEY_ACCOUNT_MANAGER.value
            ).order_by("username")
        if not form.is_valid():
            if request.htmx and request.htmx.target == "results":
                return render(request, "timesplit/_form_errors.html", context)
            context |= _entries_context(request)
            return render(request, "timesplit/time_split.html", context, status=400)
        span, person = form.span, form.person
        people = selectors.people_split(user=request.user, span=span, person=person)
        report = selectors.account_time(user=request.user, span=span, person=person)
        wanted = export_format(request)
        if wanted:
            if request.GET.get("table") == "accounts":
                return export_response(
                    format=wanted,
                    filename="time-per-account",
                    title=_("Time per account"),
                    headers=ACCOUNT_COLUMNS,
                    rows=_account_rows(report),
                )
            return export_response(
                format=wanted,
                filename="time-split",
                title=_("Time split"),
                headers=PEOPLE_COLUMNS,
                rows=_people_rows(people, context["target"]),
            )
        side_by_side = person is None
        context |= {
            "span": span,
            "person": person,
            "side_by_side": side_by_side,
            "people": [
                (split, charts.split_bar(split.hours, context["target"])) for split in people
            ],
            "trend": None
            if side_by_side or not people
            else charts.trend(people[0].periods, context["target"], span.period),
            "single": None if side_by_side or not people else people[0],
            "report": report,
            "accounts_page": paginate(request, report.rows),
        }
        if request.htmx and request.htmx.target == "results":
            return render(request, "timesplit/_results.html", context)
        context |= _entries_context(request)
        return render(request, "timesplit/time_split.html", context)


def _entries_response(request, form: TimeEntryForm | None = None, *, changed: bool = False):
    response = render(request, "timesplit/_entries.html", _entries_context(request, form))
    if changed:
        response["HX-Trigger"] = CHANGED_EVENT
    return response


class TimeEntryCreateView(Login, View):
    def _allowed(self, request) -> None:
        if not services.may_record(request.user):
            raise PermissionDenied

    def get(self, request):
        self._allowed(request)
        form = TimeEntryForm(user=request.user)
        return render(request, "timesplit/entry_form.html", {"form": form})

    def post(self, request):
        self._allowed(request)
        form = TimeEntryForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                entry = services.time_entry_create(actor=request.user, data=form.service_data())
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                messages.success(request, _("Recorded %(entry)s.") % {"entry": _described(entry)})
                if request.htmx:
                    return _entries_response(request, changed=True)
                return redirect("timesplit:page")
        if request.htmx:  # htmx swaps only successful answers: the form comes back with errors
            return _entries_response(request, form)
        return render(request, "timesplit/entry_form.html", {"form": form}, status=400)


def _editable(request, pk: int, action: str = "change") -> TimeEntry:
    require_perm(request, f"timesplit.{action}_timeentry")
    entry = get_object_or_404(
        TimeEntry.objects.visible_to(request.user, action).select_related("account", "user"),
        pk=pk,
    )
    if not services.may_edit(request.user, entry, action):
        raise PermissionDenied
    return entry


class TimeEntryUpdateView(Login, View):
    def get(self, request, pk: int):
        entry = _editable(request, pk)
        form = TimeEntryForm(user=request.user, entry=entry)
        return render(request, "timesplit/entry_form.html", {"form": form, "entry": entry})

    def post(self, request, pk: int):
        entry = _editable(request, pk)
        form = TimeEntryForm(request.POST, user=request.user, entry=entry)
        if form.is_valid():
            try:
                entry = services.time_entry_update(
                    actor=request.user, entry=entry, data=form.service_data()
                )
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                messages.success(request, _("Saved %(entry)s.") % {"entry": _described(entry)})
                return redirect("timesplit:page")
        context = {"form": form, "entry": entry}
        return render(request, "timesplit/entry_form.html", context, status=400)


class TimeEntryDeleteView(Login, View):
    def get(self, request, pk: int):
        entry = _editable(request, pk, "delete")
        return render(request, "timesplit/entry_confirm_delete.html", {"entry": entry})

    def post(self, request, pk: int):
        entry = _editable(request, pk, "delete")
        text = _described(entry)
        services.time_entry_delete(actor=request.user, entry=entry)
        messages.success(request, _("Deleted %(entry)s.") % {"entry": text})
        if request.htmx:
            return _entries_response(request, changed=True)
        return redirect("timesplit:page")
